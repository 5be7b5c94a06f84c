import { classifyCredentialFailure } from './credential-errors.js';

/** Shapes the SDKs produce: msal-node ServerError and @azure/identity AuthenticationError. */
const msalError = (code: number) => Object.assign(new Error(`invalid_grant: Error(s): ${code} - Timestamp: x - Description: AADSTS${code}: something. Trace ID: t`), { errorCode: 'invalid_grant', errorMessage: `AADSTS${code}: something.` });
const identityError = (code: number) => Object.assign(new Error('ClientSecretCredential authentication failed.'), { errorResponse: { error: 'invalid_client', errorDescription: `AADSTS${code}: The provided client secret keys are expired.` } });

describe('classifyCredentialFailure', () => {
  test.each([
    [700082, 'expired', false],
    [50173, 'revoked', false],
    [65001, 'missing', false],
    [53003, 'blocked', false],
    [70043, 'expired', false],
    [7000222, 'expired', true],
    [7000215, 'revoked', true],
  ] as const)('AADSTS%i → %s (client secret: %s), from every error shape', (code, state, secret) => {
    for (const err of [msalError(code), identityError(code)]) {
      const c = classifyCredentialFailure(err);
      expect(c).toMatchObject({ state, code, concernsClientSecret: secret });
      expect(c.reason).toContain(`AADSTS${code}`);
      expect(c.fix.split(/[.!?](\s|$)/).filter((s) => s && s.trim()).length).toBe(1);
    }
  });

  test('the fix for user grants is to reconnect; for our secret it is the operator who rotates it', () => {
    expect(classifyCredentialFailure(msalError(50173)).fix).toMatch(/Reconnect/);
    expect(classifyCredentialFailure(identityError(7000222)).fix).toMatch(/new client secret/);
  });

  test('a network error or an unknown code is "error": recorded, never mistaken for a revocation', () => {
    expect(classifyCredentialFailure(new Error('connect ECONNREFUSED 127.0.0.1:443'))).toMatchObject({ state: 'error', code: undefined, reason: expect.stringContaining('ECONNREFUSED') });
    expect(classifyCredentialFailure(msalError(90002))).toMatchObject({ state: 'error', code: 90002 });
    expect(classifyCredentialFailure(Object.assign(new Error('Too Many Requests'), { statusCode: 429 }))).toMatchObject({ state: 'error' });
  });
});
