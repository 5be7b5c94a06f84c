import { ConfidentialClientApplication, CryptoProvider, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { startEmulator, type Emulator } from '../index.js';
import { drivePages, msalClient, signInWithMsal, TEST_REDIRECT_URI } from './testkit.js';

const ARM = 'https://management.azure.com/user_impersonation';
const PARTNER_CENTER = 'https://api.partnercenter.microsoft.com/user_impersonation';
const DAY = 24 * 3600 * 1000;

/** msal-node throws ServerError (or its InteractionRequiredAuthError sibling) carrying error, AADSTS text and errorNo. */
async function msalFailure(p: Promise<unknown>): Promise<ServerError | InteractionRequiredAuthError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ServerError || e instanceof InteractionRequiredAuthError) return e;
    throw e;
  }
  throw new Error('expected msal to fail');
}

describe('login: AADSTS errors surface through msal-node', () => {
  let emu: Emulator;
  let admin: string;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'msal-errors' });
    admin = emu.adminUpns[0];
  });
  afterAll(async () => {
    await emu.close();
  });

  async function codeFor(upn: string) {
    const msal = msalClient(emu);
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const url = await msal.getAuthCodeUrl({ scopes: [ARM], redirectUri: TEST_REDIRECT_URI, codeChallenge: challenge, codeChallengeMethod: 'S256' });
    const outcome = await drivePages(url, { upn });
    if (!('redirect' in outcome)) throw new Error(outcome.errorPage);
    return { msal, verifier, code: outcome.redirect.searchParams.get('code')! };
  }

  it('a reused code fails with AADSTS54005', async () => {
    const { msal, verifier, code } = await codeFor(admin);
    await msal.acquireTokenByCode({ code, scopes: [ARM], redirectUri: TEST_REDIRECT_URI, codeVerifier: verifier });
    const err = await msalFailure(msal.acquireTokenByCode({ code, scopes: [ARM], redirectUri: TEST_REDIRECT_URI, codeVerifier: verifier }));
    expect(err.errorCode).toBe('invalid_grant');
    expect(err.errorMessage).toContain('AADSTS54005');
    expect((err as ServerError).errorNo).toBe(54005);
  });

  it('a wrong PKCE verifier fails with AADSTS501481, and the code stays unredeemed', async () => {
    const { msal, verifier, code } = await codeFor(admin);
    const err = await msalFailure(msal.acquireTokenByCode({ code, scopes: [ARM], redirectUri: TEST_REDIRECT_URI, codeVerifier: `${verifier.slice(0, -2)}xx` }));
    expect(err.errorMessage).toContain('AADSTS501481');
    const ok = await msal.acquireTokenByCode({ code, scopes: [ARM], redirectUri: TEST_REDIRECT_URI, codeVerifier: verifier });
    expect(ok.accessToken).toBeTruthy();
  });

  it('revoking the user refresh tokens gives AADSTS50173 as InteractionRequiredAuthError; a new sign-in works again', async () => {
    const { refreshToken, msal } = await signInWithMsal(emu, { upn: admin, scopes: [ARM] });
    emu.control.revokeUserRefreshTokens(emu.homeTenantId, admin);
    const err = await msalFailure(msal.acquireTokenByRefreshToken({ refreshToken, scopes: [ARM] }));
    expect(err).toBeInstanceOf(InteractionRequiredAuthError);
    expect(err.errorMessage).toContain('AADSTS50173');
    await new Promise((r) => setTimeout(r, 2));
    const fresh = await signInWithMsal(emu, { upn: admin, scopes: [ARM] });
    expect((await fresh.msal.acquireTokenByRefreshToken({ refreshToken: fresh.refreshToken, scopes: [ARM] }))!.accessToken).toBeTruthy();
  });

  it('a refresh token unused for 90 days fails with AADSTS700082; one used within the window keeps living', async () => {
    const { refreshToken, msal } = await signInWithMsal(emu, { upn: admin, scopes: [ARM] });
    emu.control.advanceClock(89 * DAY);
    const kept = await msal.acquireTokenByRefreshToken({ refreshToken, scopes: [ARM] });
    expect(kept!.accessToken).toBeTruthy();
    emu.control.advanceClock(2 * DAY);
    const err = await msalFailure(msalClient(emu).acquireTokenByRefreshToken({ refreshToken, scopes: [ARM] }));
    emu.control.advanceClock(-91 * DAY);
    expect(err).toBeInstanceOf(InteractionRequiredAuthError);
    expect(err.errorMessage).toContain('AADSTS700082');
    expect(err.errorMessage).toContain('90.00:00:00');
  });

  it('a Conditional Access block gives AADSTS53003 on refresh and on the sign-in page', async () => {
    const { refreshToken, msal } = await signInWithMsal(emu, { upn: admin, scopes: [ARM] });
    emu.control.setConditionalAccessBlock(emu.homeTenantId, true);
    try {
      const err = await msalFailure(msal.acquireTokenByRefreshToken({ refreshToken, scopes: [ARM] }));
      expect(err).toBeInstanceOf(InteractionRequiredAuthError);
      expect(err.errorMessage).toContain('AADSTS53003');
      const page = await drivePages(await msal.getAuthCodeUrl({ scopes: [ARM], redirectUri: TEST_REDIRECT_URI }), { upn: admin });
      expect(page).toMatchObject({ status: 403, errorPage: expect.stringContaining('AADSTS53003') });
    } finally {
      emu.control.setConditionalAccessBlock(emu.homeTenantId, false);
    }
  });

  it('a sign-in frequency policy gives AADSTS70043 once the sign-in is older than allowed', async () => {
    const { refreshToken, msal } = await signInWithMsal(emu, { upn: admin, scopes: [ARM] });
    emu.control.setSignInFrequency(emu.homeTenantId, 1);
    emu.control.advanceClock(2 * 3600 * 1000);
    try {
      const err = await msalFailure(msal.acquireTokenByRefreshToken({ refreshToken, scopes: [ARM] }));
      expect(err.errorMessage).toContain('AADSTS70043');
    } finally {
      emu.control.advanceClock(-2 * 3600 * 1000);
      emu.control.setSignInFrequency(emu.homeTenantId, null);
    }
  });

  it('an unknown tenant fails at the token endpoint with AADSTS90002 when MSAL is given the metadata', async () => {
    const unknown = '11111111-2222-3333-4444-555555555555';
    const metadata = await (await fetch(`${emu.urls.authority}/organizations/v2.0/.well-known/openid-configuration`)).text();
    const msal = new ConfidentialClientApplication({
      auth: {
        clientId: emu.demoApp.clientId,
        clientSecret: emu.demoApp.clientSecret,
        authority: `${emu.urls.authority}/${unknown}`,
        knownAuthorities: [new URL(emu.urls.authority).host],
        authorityMetadata: metadata.replaceAll('/organizations/', `/${unknown}/`),
      },
    });
    const err = await msalFailure(msal.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] }));
    expect(err.errorMessage).toContain('AADSTS90002');
  });

  it('Partner Center: the partner admin refresh token yields an app+user token with MFA, also for a customer tenant (double hop)', async () => {
    const { refreshToken } = await signInWithMsal(emu, { upn: admin, scopes: [PARTNER_CENTER] });
    const pc = await msalClient(emu, emu.world.partner.tenantId).acquireTokenByRefreshToken({ refreshToken, scopes: ['https://api.partnercenter.microsoft.com/.default'] });
    expect(decodeJwt(pc!.accessToken)).toMatchObject({ aud: 'https://api.partnercenter.microsoft.com', scp: 'user_impersonation', amr: expect.arrayContaining(['mfa']) });
    const invoices = await fetch(`${emu.urls.partnerCenter}/v1/invoices`, { headers: { authorization: `Bearer ${pc!.accessToken}` } });
    expect(invoices.status).toBe(200);
    const customerId = emu.world.partnerCustomers()[0].id;
    const hop = await msalClient(emu, customerId).acquireTokenByRefreshToken({ refreshToken, scopes: ['https://api.partnercenter.microsoft.com/.default'] });
    expect(decodeJwt(hop!.accessToken)).toMatchObject({ tid: customerId, oid: emu.world.user(emu.homeTenantId, admin)!.id });
  });

  it('a refresh token for a tenant the user has nothing to do with fails with AADSTS50020', async () => {
    const customer = emu.world.tenants().find((t) => t.kind === 'customer')!;
    const customerAdmin = emu.world.admins(customer.id)[0].userPrincipalName;
    const { refreshToken } = await signInWithMsal(emu, { upn: customerAdmin, scopes: [ARM] });
    const err = await msalFailure(msalClient(emu, emu.homeTenantId).acquireTokenByRefreshToken({ refreshToken, scopes: [ARM] }));
    expect(err.errorMessage).toContain('AADSTS50020');
  });
});
