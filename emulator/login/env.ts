import type { ServiceDeps } from '../deps.js';
import type { GraphUser } from '../world/types.js';
import type { AppRegistration } from './apps.js';
import type { GrantStore } from './grants.js';

/** Options of the login service (all optional in startEmulator). */
export interface LoginOptions {
  /** Registered redirect URIs of the demo app; default: loopback `/auth/callback` on any port. */
  redirectUris?: string[];
  /** Refresh tokens unused for longer than this fail with AADSTS700082. Default 90 days. */
  refreshTokenMaxAgeMs?: number;
  /** Access and id token lifetime. Default 3599 s, as Entra reports. */
  accessTokenLifetimeSeconds?: number;
  /** Graph application permissions of the demo app (admin consent grants these as `roles`). */
  applicationPermissions?: string[];
}

export const DAY_MS = 24 * 3600 * 1000;

/** Everything the login handlers share. */
export interface LoginEnv {
  deps: ServiceDeps;
  grants: GrantStore;
  apps: Map<string, AppRegistration>;
  refreshTokenMaxAgeMs: number;
  accessTokenLifetimeSeconds: number;
  /** tenantId -> maximum age (ms) of a sign-in before refresh fails with AADSTS70043 (Conditional Access sign-in frequency). */
  signInFrequencyMs: Map<string, number>;
  /** Admins of a tenant (Global Administrators), cached per tenant. */
  isAdmin(tenantId: string, userId: string): boolean;
  issuer(tenantId: string): string;
}

export const GLOBAL_ADMIN_ROLE_TEMPLATE = '62e90394-69f5-4237-9190-012177145e10';

export function makeAdminCheck(deps: ServiceDeps): (tenantId: string, userId: string) => boolean {
  const cache = new Map<string, Set<string>>();
  return (tenantId, userId) => {
    let ids = cache.get(tenantId);
    if (!ids) {
      ids = new Set(deps.world.admins(tenantId).map((u: GraphUser) => u.id));
      cache.set(tenantId, ids);
    }
    return ids.has(userId);
  };
}
