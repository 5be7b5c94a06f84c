import { classifyPartnerFailure } from '../../src/features/partner/problems.js';
import { PartnerLinkMissing } from '../../src/features/partner/credential.js';
import { MicrosoftRestError } from '../../src/microsoft/rest.js';

/** What partner.refresh says about each way the partner's token can fail, and whether a person must sign in again. */
describe('classifyPartnerFailure', () => {
  const aad = (code: number, text = 'x') => Object.assign(new Error(`AADSTS${code}: ${text}`), { errorCode: 'invalid_grant' });

  test.each([
    [aad(700082), 'expired', true, /90-day expiry/],
    [aad(50173), 'revoked', true, /revoked/],
    [aad(65001), 'missing', true, /permission change/],
    [aad(70043), 'expired', true, /sign-in frequency/],
    [new MicrosoftRestError(401, 900421, 'Multi-factor authentication is required.'), 'missing', true, /missing MFA claim/],
    [new MicrosoftRestError(403, 403, 'Forbidden: the signed-in user does not have the Admin Agent role in Partner Center.'), 'missing', true, /permission change.*Admin Agent/],
    [aad(53003), 'blocked', false, /Conditional Access/],
    [new PartnerLinkMissing('Partner Center is not linked'), 'missing', true, /not linked/],
  ] as const)('%s → %s (re-consent: %s)', (err, state, reconsent, reason) => {
    const p = classifyPartnerFailure(err);
    expect(p).toMatchObject({ state, reconsent, transient: false });
    expect(p.reason).toMatch(reason);
    if (reconsent) expect(p.fix).toContain('connect partner');
  });

  test('our expired client secret is the operator\'s to fix, not a re-consent', () => {
    expect(classifyPartnerFailure(aad(7000222))).toMatchObject({ state: 'expired', reconsent: false, fix: expect.stringContaining('ENTRA_APP_CLIENT_SECRET') });
  });

  test('network errors and outages are transient: retried, never announced', () => {
    expect(classifyPartnerFailure(new TypeError('fetch failed'))).toMatchObject({ state: 'error', transient: true });
    expect(classifyPartnerFailure(new MicrosoftRestError(503, 503, 'unavailable'))).toMatchObject({ transient: true });
  });
});
