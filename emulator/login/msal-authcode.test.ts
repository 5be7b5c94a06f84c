import { ClientSecretCredential } from '@azure/identity';
import { CryptoProvider } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { startEmulator, type Emulator } from '../index.js';
import { cachedRefreshToken, drivePages, msalClient, signInWithMsal, TEST_REDIRECT_URI } from './testkit.js';

const ARM = 'https://management.azure.com/user_impersonation';

describe('login: msal-node authorization code flow with PKCE through the sign-in and consent pages', () => {
  let emu: Emulator;
  let admin: string;
  let customer: { id: string; admin: string; user: string };
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'msal-authcode' });
    admin = emu.adminUpns[0];
    const c = emu.world.tenants().find((t) => t.kind === 'customer')!;
    const adminIds = new Set(emu.world.admins(c.id).map((u) => u.id));
    const user = [...emu.world.users(c.id)].find((u) => !adminIds.has(u.id) && u.accountEnabled)!;
    customer = { id: c.id, admin: emu.world.admins(c.id)[0].userPrincipalName, user: user.userPrincipalName };
  });
  afterAll(async () => {
    await emu.close();
  });

  it('round-trips: consent page, code, acquireTokenByCode, delegated ARM token with MFA; consent is recorded as a write', async () => {
    const { result, refreshToken } = await signInWithMsal(emu, { upn: admin, scopes: [ARM] });
    const claims = decodeJwt(result.accessToken);
    const user = emu.world.user(emu.homeTenantId, admin)!;
    expect(claims).toMatchObject({ aud: 'https://management.azure.com', scp: 'user_impersonation', tid: emu.homeTenantId, oid: user.id, upn: admin, appid: emu.demoApp.clientId });
    expect(claims.amr).toContain('mfa');
    expect(result.account?.username).toBe(admin);
    expect(result.account?.tenantId).toBe(emu.homeTenantId);
    expect(result.idTokenClaims).toMatchObject({ preferred_username: admin, tid: emu.homeTenantId, aud: emu.demoApp.clientId });
    expect(refreshToken.length).toBeGreaterThan(40);
    const grants = emu.control.writes('consent.grant');
    expect(grants).toHaveLength(1);
    expect(grants[0].detail).toMatchObject({ type: 'delegated', tenantId: emu.homeTenantId, scopes: [ARM] });
  });

  it('skips the consent page once consented, and refresh rotates the refresh token while the old one keeps working', async () => {
    const { refreshToken, msal } = await signInWithMsal(emu, { upn: admin, scopes: [ARM], consent: 'cancel' });
    const first = await msal.acquireTokenByRefreshToken({ refreshToken, scopes: [ARM] });
    const rotated = cachedRefreshToken(msal);
    expect(rotated).not.toBe(refreshToken);
    expect(decodeJwt(first!.accessToken).scp).toBe('user_impersonation');
    const again = await msalClient(emu).acquireTokenByRefreshToken({ refreshToken, scopes: [ARM] });
    expect(decodeJwt(again!.accessToken).oid).toBe(emu.world.user(emu.homeTenantId, admin)!.id);
    const silent = await msal.acquireTokenSilent({ account: first!.account!, scopes: [ARM], forceRefresh: true });
    expect(silent.accessToken).not.toBe(first!.accessToken);
  });

  it('Cancel on the consent page redirects with access_denied, AADSTS65004 and the state', async () => {
    const msal = msalClient(emu);
    const url = await msal.getAuthCodeUrl({ scopes: [ARM], redirectUri: TEST_REDIRECT_URI, state: 'st-cancel', prompt: 'consent' });
    const outcome = await drivePages(url, { upn: admin, consent: 'cancel' });
    if (!('redirect' in outcome)) throw new Error(outcome.errorPage);
    expect(outcome.redirect.origin + outcome.redirect.pathname).toBe(TEST_REDIRECT_URI);
    expect(outcome.redirect.searchParams.get('error')).toBe('access_denied');
    expect(outcome.redirect.searchParams.get('error_description')).toMatch(/^AADSTS65004: User declined to consent/);
    expect(outcome.redirect.searchParams.get('state')).toBe('st-cancel');
    expect(outcome.redirect.searchParams.get('code')).toBeNull();
  });

  it('never redirects to an unregistered redirect URI (AADSTS50011 page) and accepts any loopback port', async () => {
    const msal = msalClient(emu);
    const bad = await drivePages(await msal.getAuthCodeUrl({ scopes: [ARM], redirectUri: 'https://evil.example/auth/callback' }), { upn: admin });
    expect(bad).toMatchObject({ status: 400, errorPage: expect.stringContaining('AADSTS50011') });
    const otherPort = await signInWithMsal(emu, { upn: admin, scopes: [ARM], redirectUri: 'http://localhost:41234/auth/callback' });
    expect(otherPort.result.accessToken).toBeTruthy();
  });

  it('a non-admin cannot consent to Graph *.All permissions (AADSTS90094, returned to the app as access_denied)', async () => {
    const msal = msalClient(emu);
    const url = await msal.getAuthCodeUrl({ scopes: ['https://graph.microsoft.com/Directory.Read.All'], redirectUri: TEST_REDIRECT_URI, state: 's1' });
    const outcome = await drivePages(url, { upn: customer.user });
    if (!('errorPage' in outcome)) throw new Error('expected the admin-approval page');
    expect(outcome.errorPage).toContain('AADSTS90094');
    const back = await fetch(outcome.returnLink!, { redirect: 'manual' });
    const location = new URL(back.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('s1');
  });

  it('adminconsent: a customer admin grants the application permissions, then client_credentials gets roles there', async () => {
    const credential = new ClientSecretCredential(customer.id, emu.demoApp.clientId, emu.demoApp.clientSecret, { authorityHost: emu.urls.authority, disableInstanceDiscovery: true });
    await expect(credential.getToken('https://graph.microsoft.com/.default')).rejects.toThrow(/AADSTS65001/);
    const state = new CryptoProvider().createNewGuid();
    const query = new URLSearchParams({ client_id: emu.demoApp.clientId, redirect_uri: TEST_REDIRECT_URI, state, scope: 'https://graph.microsoft.com/.default' });
    const outcome = await drivePages(`${emu.urls.authority}/organizations/v2.0/adminconsent?${query}`, { upn: customer.admin });
    if (!('redirect' in outcome)) throw new Error(outcome.errorPage);
    expect(Object.fromEntries(outcome.redirect.searchParams)).toMatchObject({ admin_consent: 'True', tenant: customer.id, state });
    const token = await credential.getToken('https://graph.microsoft.com/.default');
    expect(decodeJwt(token.token).roles).toEqual(expect.arrayContaining(['User.Read.All', 'Directory.Read.All']));
    const write = emu.control.writes('consent.grant').find((w) => (w.detail as { type: string }).type === 'application');
    expect(write).toMatchObject({ service: 'login', principal: { tenantId: customer.id, appId: emu.demoApp.clientId } });
  });

  it('adminconsent refuses a non-admin (AADSTS90094)', async () => {
    const query = new URLSearchParams({ client_id: emu.demoApp.clientId, redirect_uri: TEST_REDIRECT_URI, state: 'x', scope: 'https://graph.microsoft.com/.default' });
    const outcome = await drivePages(`${emu.urls.authority}/${customer.id}/v2.0/adminconsent?${query}`, { upn: customer.user });
    expect(outcome).toMatchObject({ errorPage: expect.stringContaining('AADSTS90094') });
  });
});
