import { decodeJwt } from 'jose';
import { startEmulator, type Emulator } from '../index.js';

/** Wire details the SDK tests do not reach: v1 endpoint, client_secret_basic, request validation, form_post. */
describe('login: token endpoint and authorize wire details', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'token-http' });
  });
  afterAll(async () => {
    await emu.close();
  });

  const token = (tenant: string, form: Record<string, string>, headers: Record<string, string> = {}, path = 'oauth2/v2.0/token') =>
    fetch(`${emu.urls.authority}/${tenant}/${path}`, { method: 'POST', headers, body: new URLSearchParams(form) });
  const creds = () => ({ client_id: emu.demoApp.clientId, client_secret: emu.demoApp.clientSecret });

  it('v1 /oauth2/token takes `resource` and answers with v1 fields', async () => {
    const res = await token(emu.homeTenantId, { grant_type: 'client_credentials', resource: 'https://management.azure.com/', ...creds() }, {}, 'oauth2/token');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, string>;
    expect(body).toMatchObject({ token_type: 'Bearer', resource: 'https://management.azure.com/', expires_in: '3599' });
    expect(Number(body.expires_on)).toBeGreaterThan(Date.now() / 1000);
    expect(decodeJwt(body.access_token).aud).toBe('https://management.azure.com/');
  });

  it('accepts client_secret_basic', async () => {
    const basic = Buffer.from(`${encodeURIComponent(emu.demoApp.clientId)}:${encodeURIComponent(emu.demoApp.clientSecret)}`).toString('base64');
    const res = await token(emu.homeTenantId, { grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' }, { authorization: `Basic ${basic}` });
    expect(res.status).toBe(200);
  });

  it.each([
    [{ grant_type: 'password', scope: 'https://graph.microsoft.com/.default' }, 'home', 400, 'unsupported_grant_type', 70003],
    [{ grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/User.Read.All' }, 'home', 400, 'invalid_scope', 1002012],
    [{ grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' }, 'organizations', 400, 'invalid_request', 50059],
    [{ grant_type: 'client_credentials', scope: 'https://vault.azure.net/.default' }, 'home', 400, 'invalid_resource', 500011],
    [{ grant_type: 'authorization_code', code: 'nonsense', redirect_uri: 'http://localhost/auth/callback' }, 'home', 400, 'invalid_grant', 9002313],
  ])('rejects %j at %s with %d %s AADSTS%d', async (form, tenant, status, error, code) => {
    const res = await token(tenant === 'home' ? emu.homeTenantId : tenant, { ...form, ...creds() });
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: string; error_codes: number[]; error_description: string };
    expect(body.error).toBe(error);
    expect(body.error_codes).toEqual([code]);
    expect(body.error_description.startsWith(`AADSTS${code}: `)).toBe(true);
  });

  it('rejects an unknown client with 700016 and a missing secret with 7000218 (401)', async () => {
    const unknown = await token(emu.homeTenantId, { grant_type: 'client_credentials', client_id: '00000000-0000-0000-0000-000000000001', client_secret: 'x', scope: 'https://graph.microsoft.com/.default' });
    expect(((await unknown.json()) as { error_codes: number[] }).error_codes).toEqual([700016]);
    const noSecret = await token(emu.homeTenantId, { grant_type: 'client_credentials', client_id: emu.demoApp.clientId, scope: 'https://graph.microsoft.com/.default' });
    expect(noSecret.status).toBe(401);
    expect(((await noSecret.json()) as { error_codes: number[] }).error_codes).toEqual([7000218]);
  });

  it('authorize errors after client validation go to the redirect URI; response_mode=form_post posts them', async () => {
    const q = new URLSearchParams({ client_id: emu.demoApp.clientId, redirect_uri: 'http://localhost:5000/auth/callback', response_type: 'token', scope: 'openid', state: 'abc' });
    const res = await fetch(`${emu.urls.authority}/common/oauth2/v2.0/authorize?${q}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(loc.searchParams.get('error')).toBe('unsupported_response_type');
    expect(loc.searchParams.get('state')).toBe('abc');
    q.set('response_type', 'code');
    q.set('prompt', 'none');
    q.set('response_mode', 'form_post');
    const posted = await fetch(`${emu.urls.authority}/common/oauth2/v2.0/authorize?${q}`);
    const html = await posted.text();
    expect(html).toContain('action="http://localhost:5000/auth/callback"');
    expect(html).toContain('name="error" value="login_required"');
  });
});
