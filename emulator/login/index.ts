import { randomBytes } from 'node:crypto';
import type { Router } from '../http/router.js';
import type { ServiceDeps } from '../deps.js';
import { DEFAULT_REDIRECT_URIS, DEMO_APP_DELEGATED, DEMO_APP_GRAPH_PERMISSIONS, tenantAppKey, type AppRegistration } from './apps.js';
import { registerAuthorize } from './authorize.js';
import { DAY_MS, makeAdminCheck, type LoginEnv, type LoginOptions } from './env.js';
import { GrantStore } from './grants.js';
import { registerMetadata } from './metadata.js';
import { registerSignIn } from './signin.js';
import { registerToken } from './token.js';

export type { LoginOptions } from './env.js';
export type { AppRegistration } from './apps.js';

/** Programmatic control of the login service (scripted events). */
export interface LoginControl {
  /** Revokes every refresh token the user holds (Entra "revoke sessions"): later refreshes fail with AADSTS50173. */
  revokeUserRefreshTokens(tenantId: string, userIdOrUpn: string): void;
  /** Makes the app's client secrets expire now: client authentication then fails with AADSTS7000222. */
  expireClientSecret(appId?: string): void;
  /** Adds a new client secret (as a secret rotation would) and returns it. */
  addClientSecret(appId?: string, endDateTime?: string): { secret: string; endDateTime: string };
  /** Conditional Access sign-in frequency: refreshes of sign-ins older than this fail with AADSTS70043. `null` turns it off. */
  setSignInFrequency(tenantId: string, hours: number | null): void;
  /** Grants the app's application permissions in a tenant without the browser flow (as an admin would in the portal). */
  grantAdminConsent(tenantId: string, appId?: string): void;
  /** Removes every consent of the app in a tenant (the service principal is deleted, in effect). */
  revokeConsent(tenantId: string, appId?: string): void;
  /** Number of refresh tokens issued so far (for tests). */
  refreshTokenCount(): number;
  /** Every credential the login service handed out: client secrets, JWTs (access and id tokens), refresh tokens, codes (for leak scans). */
  issuedCredentials(): { clientSecrets: string[]; jwts: string[]; refreshTokens: string[]; codes: string[] };
}

/** Registers Entra ID's v2 endpoints on the login service's router, with the demo app registered in the home tenant. */
export function registerLogin(router: Router, deps: ServiceDeps, options: LoginOptions = {}): LoginControl {
  const { world, state } = deps;
  const demo: AppRegistration = {
    appId: world.demoApp.appId,
    displayName: world.demoApp.displayName,
    homeTenantId: world.home.id,
    publisherName: world.home.displayName,
    redirectUris: options.redirectUris ?? DEFAULT_REDIRECT_URIS,
    applicationPermissions: options.applicationPermissions ?? DEMO_APP_GRAPH_PERMISSIONS,
    delegatedPermissions: DEMO_APP_DELEGATED,
  };
  const env: LoginEnv = {
    deps,
    grants: new GrantStore(() => state.now()),
    apps: new Map([[demo.appId, demo]]),
    refreshTokenMaxAgeMs: options.refreshTokenMaxAgeMs ?? 90 * DAY_MS,
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3599,
    signInFrequencyMs: new Map(),
    isAdmin: makeAdminCheck(deps),
    issuer: (tenantId) => `${deps.urls.authority}/${tenantId}/v2.0`,
  };
  if (!state.clientSecrets.has(demo.appId)) {
    const endDateTime = world.demoApp.secretEndDateTime ?? new Date(state.now() + 730 * DAY_MS).toISOString();
    state.clientSecrets.set(demo.appId, [{ appId: demo.appId, tenantId: world.home.id, secret: world.demoApp.clientSecret, endDateTime }]);
  }
  registerMetadata(router, deps);
  registerAuthorize(router, env);
  registerSignIn(router, env);
  registerToken(router, env);

  const appOf = (appId = demo.appId) => {
    const app = env.apps.get(appId);
    if (!app) throw new Error(`unknown app ${appId}`);
    return app;
  };
  return {
    revokeUserRefreshTokens(tenantId, userIdOrUpn) {
      const user = world.user(tenantId, userIdOrUpn);
      if (!user) throw new Error(`no user ${userIdOrUpn} in tenant ${tenantId}`);
      state.revokedBefore.set(`${tenantId}:${user.id}`, state.now());
    },
    expireClientSecret(appId) {
      const past = new Date(state.now() - 1000).toISOString();
      for (const s of state.clientSecrets.get(appOf(appId).appId) ?? []) s.endDateTime = past;
    },
    addClientSecret(appId, endDateTime) {
      const app = appOf(appId);
      const secret = `${randomBytes(3).toString('hex').slice(0, 3)}8Q~${randomBytes(27).toString('base64url')}`;
      const entry = { appId: app.appId, tenantId: app.homeTenantId, secret, endDateTime: endDateTime ?? new Date(state.now() + 730 * DAY_MS).toISOString() };
      state.clientSecrets.set(app.appId, [...(state.clientSecrets.get(app.appId) ?? []), entry]);
      return { secret, endDateTime: entry.endDateTime };
    },
    setSignInFrequency(tenantId, hours) {
      if (hours === null) env.signInFrequencyMs.delete(tenantId);
      else env.signInFrequencyMs.set(tenantId, hours * 3600 * 1000);
    },
    grantAdminConsent(tenantId, appId) {
      const app = appOf(appId);
      state.appConsents.set(tenantAppKey(tenantId, app.appId), new Set(app.applicationPermissions));
    },
    revokeConsent(tenantId, appId) {
      const key = tenantAppKey(tenantId, appOf(appId).appId);
      state.appConsents.delete(key);
      for (const k of [...state.delegatedConsents.keys()]) if (k === key || k.startsWith(`${key}:`)) state.delegatedConsents.delete(k);
    },
    refreshTokenCount: () => env.grants.refreshTokenCount(),
    issuedCredentials: () => ({
      clientSecrets: [...state.clientSecrets.values()].flat().map((s) => s.secret),
      jwts: deps.tokens.issued(),
      ...env.grants.issued(),
    }),
  };
}
