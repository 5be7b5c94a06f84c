import { ClientSecretCredential } from '@azure/identity';
import { createRemoteJWKSet, jwtVerify, decodeJwt } from 'jose';
import { startEmulator, type Emulator } from '../index.js';

/** client_credentials through @azure/identity, as the bot uses it. */
describe('login: ClientSecretCredential against the emulator', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'identity-test' });
  });
  afterAll(async () => {
    await emu.close();
  });

  const credential = (tenant: string, secret = emu.demoApp.clientSecret) =>
    new ClientSecretCredential(tenant, emu.demoApp.clientId, secret, { authorityHost: emu.urls.authority, disableInstanceDiscovery: true });

  /** Captures the error a getToken call throws (it must throw). */
  async function failure(p: Promise<unknown>): Promise<Error & { errorResponse?: { error: string; errorDescription: string } }> {
    try {
      await p;
    } catch (e) {
      return e as Error & { errorResponse?: { error: string; errorDescription: string } };
    }
    throw new Error('expected getToken to fail');
  }

  it('issues ARM and Graph tokens that verify against the JWKS, with Graph roles from the admin consent', async () => {
    const jwks = createRemoteJWKSet(new URL(`${emu.urls.authority}/${emu.homeTenantId}/discovery/v2.0/keys`));
    const cred = credential(emu.homeTenantId);
    const arm = await cred.getToken('https://management.azure.com/.default');
    const { payload: armClaims } = await jwtVerify(arm.token, jwks, { issuer: `${emu.urls.authority}/${emu.homeTenantId}/v2.0`, audience: 'https://management.azure.com' });
    expect(armClaims).toMatchObject({ tid: emu.homeTenantId, appid: emu.demoApp.clientId, oid: emu.world.demoApp.servicePrincipalIdIn(emu.homeTenantId), idtyp: 'app' });
    expect(armClaims.roles).toBeUndefined();
    expect(arm.expiresOnTimestamp).toBeGreaterThan(Date.now() + 50 * 60 * 1000);

    const graph = await cred.getToken('https://graph.microsoft.com/.default');
    const { payload: graphClaims } = await jwtVerify(graph.token, jwks, { audience: 'https://graph.microsoft.com' });
    expect(graphClaims.roles).toEqual(expect.arrayContaining(['User.Read.All', 'AuditLog.Read.All', 'Organization.Read.All']));
  });

  it('accepts a verified domain as the tenant and resolves it to the tenant id', async () => {
    const domain = emu.world.home.verifiedDomains[0].name;
    const token = await credential(domain).getToken('https://management.azure.com/.default');
    expect(decodeJwt(token.token).tid).toBe(emu.homeTenantId);
  });

  // @azure/identity 4.x wraps MSAL's ServerError in AuthenticationRequiredError, keeping the AADSTS text in the message.
  it('surfaces AADSTS7000215 for a wrong secret', async () => {
    const err = await failure(credential(emu.homeTenantId, 'not-the-secret').getToken('https://graph.microsoft.com/.default'));
    expect(err.name).toBe('AuthenticationRequiredError');
    expect(err.message).toContain('AADSTS7000215');
    expect(err.message).toContain('invalid_client');
  });

  // As with login.microsoftonline.com, MSAL drops the body of a failed discovery: identity reports endpoints_resolution_error.
  // The AADSTS90002 body itself is checked here; msal-token-errors.test.ts shows it surfacing from the token endpoint.
  it('answers discovery for an unknown tenant with AADSTS90002, which identity reports as CredentialUnavailableError', async () => {
    const unknown = '00000000-0000-0000-0000-00000000dead';
    const res = await fetch(`${emu.urls.authority}/${unknown}/v2.0/.well-known/openid-configuration`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_tenant', error_codes: [90002] });
    const err = await failure(credential(unknown).getToken('https://graph.microsoft.com/.default'));
    expect(err.name).toBe('CredentialUnavailableError');
    expect(err.message).toContain('endpoints_resolution_error');
  });

  it('surfaces AADSTS65001 for a customer tenant that has not consented, and issues roles after admin consent', async () => {
    const customer = emu.world.tenants().find((t) => t.kind === 'customer')!;
    const err = await failure(credential(customer.id).getToken('https://graph.microsoft.com/.default'));
    expect(err.message).toContain('AADSTS65001');
    expect(emu.control.writes('consent.grant')).toHaveLength(0);
    emu.control.grantAdminConsent(customer.id);
    const token = await credential(customer.id).getToken('https://graph.microsoft.com/.default');
    expect(decodeJwt(token.token)).toMatchObject({ tid: customer.id, roles: expect.arrayContaining(['User.Read.All']) });
  });

  it('surfaces AADSTS7000222 once the client secret has expired', async () => {
    const fresh = emu.control.addClientSecret();
    expect((await credential(emu.homeTenantId, fresh.secret).getToken('https://management.azure.com/.default')).token).toBeTruthy();
    emu.control.expireClientSecret();
    const err = await failure(credential(emu.homeTenantId, fresh.secret).getToken('https://management.azure.com/.default'));
    expect(err.message).toContain('AADSTS7000222');
  });
});
