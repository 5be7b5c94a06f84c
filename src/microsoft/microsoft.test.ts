import { startEmulator, type Emulator } from '../../emulator/index.js';
import { drivePages } from '../../emulator/login/testkit.js';
import { loadConfig } from '../config.js';
import { armDelegatedScopes, createMicrosoft, classifyMicrosoftError, roleAssignmentName, ROLE_IDS, type Microsoft } from './index.js';

const REDIRECT = 'http://127.0.0.1:3978/auth/callback';

/** The facade against the emulator, through the official SDKs, configured exactly as the bot configures it. */
describe('Microsoft facade against the emulator', () => {
  let emu: Emulator;
  let microsoft: Microsoft;
  let home: string;
  let adele: { id: string; userPrincipalName: string };
  let megan: { id: string; userPrincipalName: string };

  const configFor = (e: Emulator, secret = e.demoApp.clientSecret) =>
    loadConfig({
      AUTHORITY_HOST: e.urls.authority, ARM_ENDPOINT: e.urls.arm, GRAPH_ENDPOINT: e.urls.graph, PARTNER_CENTER_ENDPOINT: e.urls.partnerCenter,
      ENTRA_APP_CLIENT_ID: e.demoApp.clientId, ENTRA_APP_CLIENT_SECRET: secret, ENTRA_HOME_TENANT_ID: e.homeTenantId,
    });

  beforeAll(async () => {
    emu = await startEmulator({ seed: 'microsoft-facade' });
    microsoft = createMicrosoft(configFor(emu));
    home = emu.homeTenantId;
    [adele, megan] = emu.world.admins(home);
  });
  afterAll(() => emu.close());

  async function signIn(upn: string) {
    const { url, verifier } = await microsoft.authCode.begin({ tenant: 'organizations', redirectUri: REDIRECT, scopes: armDelegatedScopes(microsoft.endpoints), state: 'st-1' });
    const outcome = await drivePages(url, { upn, consentForOrganization: true });
    if (!('redirect' in outcome)) throw new Error(outcome.errorPage);
    expect(outcome.redirect.searchParams.get('state')).toBe('st-1');
    const code = outcome.redirect.searchParams.get('code')!;
    return microsoft.authCode.redeem({ tenant: 'organizations', code, verifier, redirectUri: REDIRECT, scopes: armDelegatedScopes(microsoft.endpoints) });
  }

  test('auth code + PKCE: the authorize URL uses S256 and our state; the grant names tenant and user; refresh rotates', async () => {
    const { url } = await microsoft.authCode.begin({ tenant: 'organizations', redirectUri: REDIRECT, scopes: armDelegatedScopes(microsoft.endpoints), state: 'xyz' });
    const q = new URL(url).searchParams;
    expect(new URL(url).origin).toBe(emu.urls.authority);
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('state')).toBe('xyz');
    expect(q.get('scope')).toContain('https://management.azure.com/.default');

    const grant = await signIn(adele.userPrincipalName);
    expect(grant).toMatchObject({ tenantId: home, userObjectId: adele.id, userPrincipalName: adele.userPrincipalName });
    expect(grant.refreshToken).toBeTruthy();
    expect(grant.expiresOn.getTime()).toBeGreaterThan(Date.now());
    const refreshed = await microsoft.authCode.refresh({ tenant: home, refreshToken: grant.refreshToken!, scopes: armDelegatedScopes(microsoft.endpoints) });
    expect(refreshed.refreshToken).toBeTruthy();
    expect(refreshed.refreshToken).not.toBe(grant.refreshToken);
    expect(refreshed.userObjectId).toBe(adele.id);
  });

  test('ARM with the delegated token: subscriptions, who may write role assignments, idempotent deterministic assignment', async () => {
    const grant = await signIn(adele.userPrincipalName);
    const arm = microsoft.arm(microsoft.delegatedCredential(grant.accessToken, grant.expiresOn));
    const subs = await arm.listSubscriptions();
    expect(subs.map((s) => s.subscriptionId).sort()).toEqual(emu.world.azureSubscriptions(home).map((s) => s.subscriptionId).sort());
    const sub = subs[0].subscriptionId;
    expect(await arm.canWriteRoleAssignments(sub)).toBe(true);

    const sp = await microsoft.servicePrincipalId(home);
    expect(sp).toBe(emu.world.demoApp.servicePrincipalIdIn(home));
    const name = roleAssignmentName(sub, sp, ROLE_IDS.Reader);
    expect(roleAssignmentName(sub.toUpperCase(), sp, ROLE_IDS.Reader)).toBe(name);
    const before = emu.control.writes('roleAssignment.create').length;
    await arm.createRoleAssignment(sub, { name, roleDefinitionGuid: ROLE_IDS.Reader, principalId: sp });
    await arm.createRoleAssignment(sub, { name, roleDefinitionGuid: ROLE_IDS.Reader, principalId: sp });
    expect(emu.control.writes('roleAssignment.create').length - before).toBe(1);
    expect((await arm.roleAssignmentsOf(sub, sp)).map((a) => [a.name, a.roleDefinitionGuid])).toEqual([[name, ROLE_IDS.Reader]]);
    // Another name for the same principal and role: ARM's 409 RoleAssignmentExists, classified as "other" (the caller treats it as done).
    const dup = await arm.createRoleAssignment(sub, { name: '00000000-0000-4000-8000-000000000001', roleDefinitionGuid: ROLE_IDS.Reader, principalId: sp }).catch((e: unknown) => e);
    expect(dup).toMatchObject({ statusCode: 409, code: 'RoleAssignmentExists' });
    expect(await arm.deleteRoleAssignment(sub, name)).toBe(true);
    expect(await arm.roleAssignmentsOf(sub, sp)).toEqual([]);
  });

  test('a Reader may not write role assignments; the 403 is classified as forbidden', async () => {
    const sub = emu.world.azureSubscriptions(home)[0].subscriptionId;
    emu.control.assignRole(sub, megan.id, ROLE_IDS.Reader);
    try {
      const grant = await signIn(megan.userPrincipalName);
      const arm = microsoft.arm(microsoft.delegatedCredential(grant.accessToken, grant.expiresOn));
      expect((await arm.listSubscriptions()).map((s) => s.subscriptionId)).toEqual([sub]);
      expect(await arm.canWriteRoleAssignments(sub)).toBe(false);
      const err = await arm.createRoleAssignment(sub, { name: roleAssignmentName(sub, megan.id, ROLE_IDS.Reader), roleDefinitionGuid: ROLE_IDS.Reader, principalId: megan.id }).catch((e: unknown) => e);
      expect(classifyMicrosoftError(err)).toMatchObject({ kind: 'forbidden', status: 403, code: 'AuthorizationFailed' });
    } finally {
      emu.control.removeRoleAssignment(sub, megan.id, ROLE_IDS.Reader);
    }
  });

  test('Graph with the app credential reads the organization through the configured host', async () => {
    const org = (await microsoft.graph(microsoft.appCredential(home)).api('/organization').get()) as { value: { id: string }[] };
    expect(org.value[0].id).toBe(home);
  });

  test('real SDK errors map to kinds with AADSTS codes and a fix', async () => {
    const refresh = (token: string) => microsoft.authCode.refresh({ tenant: home, refreshToken: token, scopes: armDelegatedScopes(microsoft.endpoints) }).catch((e: unknown) => e);

    const revokedGrant = await signIn(adele.userPrincipalName);
    await new Promise((r) => setTimeout(r, 2));
    emu.control.revokeUserRefreshTokens(home, adele.id);
    expect(classifyMicrosoftError(await refresh(revokedGrant.refreshToken!))).toMatchObject({ kind: 'revoked', aadsts: 50173 });

    await new Promise((r) => setTimeout(r, 2));
    const idle = await signIn(adele.userPrincipalName);
    emu.control.advanceClock(91 * 24 * 3600 * 1000);
    try {
      const problem = classifyMicrosoftError(await refresh(idle.refreshToken!));
      expect(problem).toMatchObject({ kind: 'expired', aadsts: 700082 });
      expect(problem.fix).toMatch(/reconnect/);
    } finally {
      emu.control.advanceClock(-91 * 24 * 3600 * 1000);
    }

    const blocked = await signIn(adele.userPrincipalName);
    emu.control.setConditionalAccessBlock(home, true);
    try {
      expect(classifyMicrosoftError(await refresh(blocked.refreshToken!))).toMatchObject({ kind: 'conditionalAccess', aadsts: 53003 });
    } finally {
      emu.control.setConditionalAccessBlock(home, false);
    }

    const wrongSecret = createMicrosoft(configFor(emu, 'not-the-secret'));
    const bad = await wrongSecret.appCredential(home).getToken(microsoft.endpoints.scopes.arm).catch((e: unknown) => e);
    expect(classifyMicrosoftError(bad)).toMatchObject({ kind: 'badSecret', aadsts: 7000215 });
    expect(classifyMicrosoftError(bad).message).not.toMatch(/Trace ID/);

    const unknownTenant = await microsoft.appCredential('no-such-tenant.example').getToken(microsoft.endpoints.scopes.arm).catch((e: unknown) => e);
    expect(classifyMicrosoftError(unknownTenant)).toMatchObject({ kind: 'wrongTenant', code: 'endpoints_resolution_error' });

    const customer = emu.world.tenants().find((t) => t.kind === 'customer')!;
    const noConsent = await microsoft.appCredential(customer.id).getToken(microsoft.endpoints.scopes.arm).catch((e: unknown) => e);
    expect(classifyMicrosoftError(noConsent)).toMatchObject({ kind: 'consentMissing', aadsts: 65001 });

    const offline = createMicrosoft({ ...configFor(emu), microsoft: { ...microsoft.endpoints, arm: 'https://127.0.0.1:9' } });
    const net = await offline.arm(microsoft.appCredential(home)).listSubscriptions().catch((e: unknown) => e);
    expect(classifyMicrosoftError(net).kind).toBe('network');
  });

  test('without Application.Read.All the service principal id comes from the app token; Graph 403 is forbidden; an expired secret is 7000222', async () => {
    const fresh = await startEmulator({ seed: 'microsoft-facade-secret', login: { applicationPermissions: ['Organization.Read.All'] } });
    try {
      const m = createMicrosoft(configFor(fresh));
      expect(await m.servicePrincipalId(fresh.homeTenantId)).toBe(fresh.world.demoApp.servicePrincipalIdIn(fresh.homeTenantId));
      const denied = await m.graph(m.appCredential(fresh.homeTenantId)).api('/users').get().catch((e: unknown) => e);
      expect(classifyMicrosoftError(denied)).toMatchObject({ kind: 'forbidden', status: 403 });
      fresh.control.expireClientSecret();
      const err = await createMicrosoft(configFor(fresh)).appCredential(fresh.homeTenantId).getToken(m.endpoints.scopes.graph).catch((e: unknown) => e);
      expect(classifyMicrosoftError(err)).toMatchObject({ kind: 'expiredSecret', aadsts: 7000222 });
    } finally {
      await fresh.close();
    }
  });
});
