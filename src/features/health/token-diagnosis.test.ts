import { generateKeyPair, SignJWT } from 'jose';
import { describeDiagnosis, diagnoseToken, normaliseTokenInput } from './token-diagnosis.js';

const NOW = new Date('2025-03-01T12:00:00Z');
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
const TENANT = '0c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e';

async function azureToken(claims: Record<string, unknown>, expiresAt: Date, alg: 'RS256' | 'ES256' = 'RS256'): Promise<string> {
  const { privateKey } = await generateKeyPair(alg);
  return new SignJWT({ tid: TENANT, ver: '1.0', ...claims })
    .setProtectedHeader({ alg, typ: 'JWT', kid: 'test-key' })
    .setAudience('https://management.azure.com/')
    .setIssuedAt(seconds(expiresAt) - 3600)
    .setNotBefore(seconds(expiresAt) - 3600)
    .setExpirationTime(seconds(expiresAt))
    .sign(privateKey);
}

describe('diagnoseToken', () => {
  test('a valid user token: tenant, audience, expiry and who, with a plain note that the signature is not verified', async () => {
    const token = await azureToken({ upn: 'adele@contoso.example' }, new Date(NOW.getTime() + 45 * 60_000));
    const d = diagnoseToken(token, NOW);
    expect(d).toMatchObject({ verdict: 'valid', tenantId: TENANT, audience: 'https://management.azure.com/', who: 'adele@contoso.example', whoKind: 'user', expiresIn: '45 minutes' });
    if (d.verdict !== 'valid') throw new Error('expected valid');
    expect(d.expiresAt.toISOString()).toBe('2025-03-01T12:45:00.000Z');
    expect(describeDiagnosis(d).join(' ')).toMatch(/does not verify its signature/);
  });

  test('an app-only token names the app id', async () => {
    const token = await azureToken({ appid: '11111111-2222-4333-8444-555555555555', app_displayname: 'Tenant Steward' }, new Date(NOW.getTime() + 60_000), 'ES256');
    expect(diagnoseToken(token, NOW)).toMatchObject({ verdict: 'valid', whoKind: 'app', who: 'app 11111111-2222-4333-8444-555555555555 (Tenant Steward)' });
  });

  test('an expired token says since when, and to generate a new one', async () => {
    const token = await azureToken({ upn: 'adele@contoso.example' }, new Date(NOW.getTime() - (3 * 3600 + 12 * 60) * 1000));
    const d = diagnoseToken(token, NOW);
    expect(d).toMatchObject({ verdict: 'expired', expiredFor: '3 hours 12 minutes', tenantId: TENANT });
    expect(d.fix).toMatch(/^Generate a new token/);
  });

  test('a token cut off anywhere is incomplete, with the fix to copy it again', async () => {
    const token = await azureToken({ upn: 'adele@contoso.example' }, new Date(NOW.getTime() + 3600_000));
    const [header, payload, signature] = token.split('.');
    const cuts = [
      token.slice(0, token.length - 40), // in the signature: too few bytes for RS256
      `${header}.${payload}.`, // signature gone
      `${header}.${payload}`, // second dot gone
      `${header}.${payload.slice(0, payload.length - 7)}.${signature}`, // middle of the payload lost
      header.slice(0, 12), // only the start
    ];
    for (const cut of cuts) {
      const d = diagnoseToken(cut, NOW);
      expect(d.verdict).toBe('incomplete');
      expect(d.fix).toMatch(/^Copy the token again/);
    }
    expect(diagnoseToken(token.slice(0, token.length - 40), NOW)).toMatchObject({ reason: expect.stringMatching(/signature is \d+ bytes/) });
  });

  test('garbage, an empty paste and a JWE are incomplete, each with its reason', () => {
    expect(diagnoseToken('hello world, this is not a token', NOW)).toMatchObject({ verdict: 'incomplete', reason: expect.stringMatching(/three parts/) });
    expect(diagnoseToken('   ', NOW)).toMatchObject({ verdict: 'incomplete', reason: expect.stringMatching(/no token/) });
    expect(diagnoseToken('a.b.c.d.e', NOW)).toMatchObject({ verdict: 'incomplete', reason: expect.stringMatching(/encrypted/) });
    expect(diagnoseToken('eyJub3Q.a$b.c', NOW)).toMatchObject({ verdict: 'incomplete', reason: expect.stringMatching(/base64url/) });
    const notJsonHeader = `${Buffer.from('not json').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.sig0`;
    expect(diagnoseToken(notJsonHeader, NOW)).toMatchObject({ verdict: 'incomplete', reason: expect.stringMatching(/header/) });
  });

  test('what the chat adds around a token is removed, and the token itself never comes back in full', async () => {
    const token = await azureToken({ upn: 'adele@contoso.example' }, new Date(NOW.getTime() + 3600_000));
    const wrapped = `<p>"Bearer ${token.slice(0, 500)}\n${token.slice(500)}"</p>`;
    expect(normaliseTokenInput(wrapped)).toBe(token);
    const d = diagnoseToken(wrapped, NOW);
    expect(d.verdict).toBe('valid');
    const shown = JSON.stringify({ ...d, lines: describeDiagnosis(d) });
    expect(shown).not.toContain(token.split('.')[1]);
    expect(shown).not.toContain(token.split('.')[2].slice(0, 20));
    expect(d.hint).toBe(`${token.slice(0, 10)}… (${token.length} characters)`);
  });
});
