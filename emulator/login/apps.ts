import type { EmulatorState } from '../state.js';
import type { ResourceKey } from './scopes.js';

/** An app registration as the login service sees it. */
export interface AppRegistration {
  appId: string;
  displayName: string;
  /** The tenant the app is registered in (its secrets live there). */
  homeTenantId: string;
  publisherName: string;
  /**
   * Registered redirect URIs. As in Entra, for `http://localhost` and `http://127.0.0.1` the port is not compared,
   * so `http://127.0.0.1/auth/callback` accepts `http://127.0.0.1:53123/auth/callback`.
   */
  redirectUris: string[];
  /** Microsoft Graph application permissions the app asks for; admin consent grants them (token `roles`). */
  applicationPermissions: string[];
  /** Delegated permissions configured on the registration, per resource: what `<resource>/.default` expands to. */
  delegatedPermissions: Partial<Record<ResourceKey, string[]>>;
}

export const DEFAULT_REDIRECT_URIS = ['http://localhost/auth/callback', 'http://127.0.0.1/auth/callback'];

/** The Graph application permissions the bot needs (design.md, "Graph application permissions by task"). */
export const DEMO_APP_GRAPH_PERMISSIONS = [
  'User.Read.All',
  'Application.Read.All',
  'Organization.Read.All',
  'GroupMember.Read.All',
  'AuditLog.Read.All',
  'Directory.Read.All',
  'Reports.Read.All',
];

export const DEMO_APP_DELEGATED: Partial<Record<ResourceKey, string[]>> = {
  arm: ['user_impersonation'],
  graph: ['User.Read'],
  partnerCenter: ['user_impersonation'],
};

export function redirectUriRegistered(app: AppRegistration, uri: string): boolean {
  let asked: URL;
  try {
    asked = new URL(uri);
  } catch {
    return false;
  }
  return app.redirectUris.some((registered) => {
    if (registered === uri) return true;
    let reg: URL;
    try {
      reg = new URL(registered);
    } catch {
      return false;
    }
    const loopback = (u: URL) => u.protocol === 'http:' && (u.hostname === 'localhost' || u.hostname === '127.0.0.1' || u.hostname === '[::1]');
    return loopback(reg) && loopback(asked) && reg.hostname === asked.hostname && reg.pathname === asked.pathname && reg.search === asked.search;
  });
}

export type SecretCheck = 'ok' | 'missing' | 'invalid' | 'expired';

/** Checks a client secret against the app's secrets in state, on the emulator clock. */
export function checkClientSecret(state: EmulatorState, appId: string, secret: string | null | undefined): SecretCheck {
  if (!secret) return 'missing';
  const matches = (state.clientSecrets.get(appId) ?? []).filter((s) => s.secret === secret);
  if (matches.length === 0) return 'invalid';
  return matches.some((s) => Date.parse(s.endDateTime) > state.now()) ? 'ok' : 'expired';
}

/** The tenant-wide app consent key used by EmulatorState.appConsents / delegatedConsents. */
export function tenantAppKey(tenantId: string, appId: string): string {
  return `${tenantId}:${appId}`;
}

/** A single user's own consent (not on behalf of the organisation) is kept beside tenant-wide ones. */
export function userAppKey(tenantId: string, appId: string, userId: string): string {
  return `${tenantId}:${appId}:${userId}`;
}

/** The app "exists" in a tenant (has a service principal) once anyone consented there, or in its home tenant. */
export function servicePrincipalExists(state: EmulatorState, app: AppRegistration, tenantId: string): boolean {
  if (tenantId === app.homeTenantId) return true;
  if (state.appConsents.has(tenantAppKey(tenantId, app.appId))) return true;
  const prefix = tenantAppKey(tenantId, app.appId);
  for (const key of state.delegatedConsents.keys()) if (key === prefix || key.startsWith(`${prefix}:`)) return true;
  return false;
}
