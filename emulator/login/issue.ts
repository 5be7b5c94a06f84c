import type { TokenClaims } from '../auth/tokens.js';
import type { GraphUser } from '../world/types.js';
import type { AppRegistration } from './apps.js';
import { GLOBAL_ADMIN_ROLE_TEMPLATE, type LoginEnv } from './env.js';
import type { SignedInUser } from './grants.js';
import type { ParsedScope } from './scopes.js';

/** The JSON body of a successful v2 token response. */
export interface TokenResponse {
  token_type: 'Bearer';
  scope?: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  client_info?: string;
}

/** An app-only token (client_credentials): `roles` only for Graph, from what the tenant consented. */
export async function appAccessToken(env: LoginEnv, tenantId: string, app: AppRegistration, target: ParsedScope, roles: string[]): Promise<TokenResponse> {
  const sp = env.deps.world.demoApp.appId === app.appId ? env.deps.world.demoApp.servicePrincipalIdIn(tenantId) : app.appId;
  const claims: TokenClaims = {
    aud: target.audience,
    tid: tenantId,
    oid: sp,
    sub: sp,
    appid: app.appId,
    azp: app.appId,
    appidacr: '1',
    idtyp: 'app',
    ver: '2.0',
    ...(target.resource === 'graph' && roles.length ? { roles } : {}),
  };
  const lifetime = env.accessTokenLifetimeSeconds;
  const access_token = await env.deps.tokens.sign(claims, env.issuer(tenantId), lifetime);
  return { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token };
}

export interface UserTokenRequest {
  /** The tenant the access token is for (a partner user reaching a customer gets the customer's). */
  tenantId: string;
  user: GraphUser;
  signIn: SignedInUser;
  app: AppRegistration;
  /** The resource scopes granted, all for one audience; empty means OIDC only (Graph's User.Read, as Entra). */
  scopes: ParsedScope[];
  /** openid / profile / email / offline_access as requested. */
  oidc: Set<string>;
  nonce?: string;
}

/** A delegated token response: access token with `scp`, a rotated refresh token and an id token. */
export async function userTokens(env: LoginEnv, req: UserTokenRequest): Promise<TokenResponse> {
  const { user, signIn, app, tenantId } = req;
  const audience = req.scopes[0]?.audience ?? 'https://graph.microsoft.com';
  const scp = req.scopes.length ? req.scopes.map((s) => s.value).join(' ') : 'User.Read';
  const admin = env.isAdmin(signIn.tenantId, user.id);
  const lifetime = env.accessTokenLifetimeSeconds;
  const claims: TokenClaims = {
    aud: audience,
    tid: tenantId,
    oid: user.id,
    sub: user.id,
    appid: app.appId,
    azp: app.appId,
    appidacr: '1',
    idtyp: 'user',
    ver: '2.0',
    scp,
    upn: user.userPrincipalName,
    unique_name: user.userPrincipalName,
    name: user.displayName,
    given_name: user.givenName ?? undefined,
    family_name: user.surname ?? undefined,
    amr: signIn.amr,
    auth_time: Math.floor(signIn.authTime / 1000),
    ...(admin && tenantId === signIn.tenantId ? { wids: [GLOBAL_ADMIN_ROLE_TEMPLATE] } : {}),
    ...(tenantId !== signIn.tenantId ? { idp: env.issuer(signIn.tenantId), home_tid: signIn.tenantId } : {}),
  };
  const issuer = env.issuer(tenantId);
  const body: TokenResponse = {
    token_type: 'Bearer',
    scope: [...(req.scopes.length ? req.scopes.map((s) => (s.resource === 'graph' ? s.value : `${s.audience}/${s.value}`)) : ['User.Read']), ...req.oidc].join(' '),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: await env.deps.tokens.sign(claims, issuer, lifetime),
  };
  if (req.oidc.has('offline_access')) {
    body.refresh_token = env.grants.issueRefreshToken({ clientId: app.appId, tenantId: signIn.tenantId, userId: user.id, amr: signIn.amr, authTime: signIn.authTime });
  }
  if (req.oidc.has('openid')) body.id_token = await idToken(env, req, issuer, lifetime);
  body.client_info = Buffer.from(JSON.stringify({ uid: user.id, utid: signIn.tenantId })).toString('base64url');
  return body;
}

async function idToken(env: LoginEnv, req: UserTokenRequest, issuer: string, lifetime: number): Promise<string> {
  const claims = {
    aud: req.app.appId,
    tid: req.tenantId,
    oid: req.user.id,
    sub: req.user.id,
    ver: '2.0',
    name: req.user.displayName,
    preferred_username: req.user.userPrincipalName,
    ...(req.oidc.has('email') && req.user.mail ? { email: req.user.mail } : {}),
    ...(req.nonce ? { nonce: req.nonce } : {}),
    auth_time: Math.floor(req.signIn.authTime / 1000),
    amr: req.signIn.amr,
  } as unknown as TokenClaims;
  return env.deps.tokens.sign(claims, issuer, lifetime);
}
