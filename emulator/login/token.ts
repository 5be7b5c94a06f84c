import { json, type Ctx, type Reply, type Router } from '../http/router.js';
import { checkClientSecret, servicePrincipalExists, tenantAppKey, type AppRegistration } from './apps.js';
import type { LoginEnv } from './env.js';
import { tokenErrors as E } from './errors.js';
import { redeemCode } from './token-code.js';
import { redeemRefreshToken } from './token-refresh.js';
import { appAccessToken, type TokenResponse } from './issue.js';
import { parseScopes } from './scopes.js';
import { resolveTenant, unknownTenantMessage, type TenantSegment } from './tenants.js';

const NO_STORE = { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' };

/** POST /{tenant}/oauth2/v2.0/token (and the v1 /oauth2/token with `resource`, which Partner Center samples use). */
export function registerToken(router: Router, env: LoginEnv): void {
  router.add('login', 'POST', /^\/(?<tenant>[^/]+)\/oauth2\/v2\.0\/token$/, (ctx) => tokenEndpoint(env, ctx, ctx.form()));
  router.add('login', 'POST', /^\/(?<tenant>[^/]+)\/oauth2\/token$/, async (ctx) => {
    const form = ctx.form();
    const resource = form.get('resource');
    if (resource && !form.get('scope')) form.set('scope', `${resource}/.default openid offline_access`);
    const reply = await tokenEndpoint(env, ctx, form);
    return reply.status === 200 ? toV1(reply, resource ?? '', env.deps.state.now()) : reply;
  });
}

async function tokenEndpoint(env: LoginEnv, ctx: Ctx, form: URLSearchParams): Promise<Reply> {
  const seg = resolveTenant(env.deps.world, ctx.params.tenant);
  if (!seg) return E.unknownTenant(unknownTenantMessage(ctx.params.tenant));
  const grantType = form.get('grant_type');
  if (!grantType) return E.missingParam('grant_type');
  if (!['client_credentials', 'authorization_code', 'refresh_token'].includes(grantType)) return E.unsupportedGrant(grantType);
  const { clientId, secret } = clientAuth(ctx, form);
  if (!clientId) return E.missingParam('client_id');
  const app = env.apps.get(clientId);
  if (!app) return E.unknownClient(clientId, seg.kind === 'tenant' ? seg.tenant.displayName : seg.segment);
  const secretCheck = checkClientSecret(env.deps.state, app.appId, secret);
  if (secretCheck === 'missing') return E.missingSecret();
  if (secretCheck === 'invalid') return E.badSecret(app.appId);
  if (secretCheck === 'expired') return E.expiredSecret(app.appId);
  const result =
    grantType === 'client_credentials'
      ? await clientCredentials(env, seg, app, form)
      : grantType === 'authorization_code'
        ? await redeemCode(env, seg, app, form)
        : await redeemRefreshToken(env, seg, app, form);
  return 'access_token' in result ? json(200, result, NO_STORE) : result;
}

/** client_secret_post (MSAL's default) or client_secret_basic. */
function clientAuth(ctx: Ctx, form: URLSearchParams): { clientId: string | null; secret: string | null } {
  const header = ctx.headers.authorization;
  if (header?.startsWith('Basic ')) {
    const [id, secret] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
    return { clientId: decodeURIComponent(id ?? ''), secret: decodeURIComponent(secret ?? '') };
  }
  return { clientId: form.get('client_id'), secret: form.get('client_secret') };
}

async function clientCredentials(env: LoginEnv, seg: TenantSegment, app: AppRegistration, form: URLSearchParams): Promise<TokenResponse | Reply> {
  if (seg.kind !== 'tenant') return E.noTenant();
  const scopeParam = form.get('scope');
  if (!scopeParam) return E.missingParam('scope');
  const scopes = parseScopes(scopeParam).filter((s) => !s.oidc);
  if (scopes.length !== 1) return scopes.length ? E.multipleResources(scopeParam) : E.missingParam('scope');
  const [target] = scopes;
  if (target.value !== '.default')
    return E.invalidScope(target.raw, 'Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).');
  if (!target.resource) return E.unknownResource(target.audience, seg.tenant.displayName);
  const tenantId = seg.tenant.id;
  if (!servicePrincipalExists(env.deps.state, app, tenantId)) return E.noConsent(app.appId, app.displayName);
  const roles = [...(env.deps.state.appConsents.get(tenantAppKey(tenantId, app.appId)) ?? [])];
  return appAccessToken(env, tenantId, app, target, roles);
}

/** The v1 endpoint's response: string numbers, `resource`, `expires_on`, `not_before`. */
function toV1(reply: Reply, resource: string, now: number): Reply {
  const body = reply.body as TokenResponse;
  const nowS = Math.floor(now / 1000);
  return json(200, {
    ...body,
    expires_in: String(body.expires_in),
    ext_expires_in: String(body.ext_expires_in),
    expires_on: String(nowS + body.expires_in),
    not_before: String(nowS),
    resource,
  }, NO_STORE);
}
