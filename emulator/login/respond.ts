import { html, redirect, type Reply } from '../http/router.js';
import type { GraphUser } from '../world/types.js';
import type { LoginEnv } from './env.js';
import type { PendingFlow } from './grants.js';
import { formPostPage, type AccountChoice } from './pages.js';
import { tenantsFor, type TenantSegment } from './tenants.js';

/** Sends the result back to the (already validated) redirect URI in the requested response mode. */
export function respondTo(target: Pick<PendingFlow, 'redirectUri' | 'responseMode'>, params: Record<string, string | undefined>): Reply {
  const clean = Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
  if (target.responseMode === 'form_post') return html(200, formPostPage(target.redirectUri, clean), { 'cache-control': 'no-store' });
  const qs = new URLSearchParams(clean).toString();
  if (target.responseMode === 'fragment') return redirect(`${target.redirectUri.split('#')[0]}#${qs}`);
  return redirect(`${target.redirectUri}${target.redirectUri.includes('?') ? '&' : '?'}${qs}`);
}

/** An error sent to the redirect URI, as Entra does once client and redirect URI are known to be good. */
export function errorTo(target: Pick<PendingFlow, 'redirectUri' | 'responseMode'>, error: string, aadsts: number, message: string, state: string | undefined, extra: Record<string, string> = {}): Reply {
  const traceId = crypto.randomUUID();
  const ts = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return respondTo(target, {
    error,
    error_description: `AADSTS${aadsts}: ${message} Trace ID: ${traceId} Correlation ID: ${crypto.randomUUID()} Timestamp: ${ts}`,
    error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
    ...extra,
    state,
  });
}

const USERS_LISTED = 20;
const USERS_LISTED_PER_TENANT_ON_COMMON = 5;

/** The accounts a sign-in page offers: each tenant's admins, then its first users (enabled ones). */
export function accountsFor(env: LoginEnv, seg: TenantSegment, adminOnly: boolean): AccountChoice[] {
  const { world } = env.deps;
  const out: AccountChoice[] = [];
  for (const tenant of tenantsFor(world, seg)) {
    const seen = new Set<string>();
    const add = (u: GraphUser, admin: boolean) => {
      if (seen.has(u.id) || !u.accountEnabled) return;
      seen.add(u.id);
      out.push({ value: `${tenant.id}:${u.id}`, upn: u.userPrincipalName, displayName: u.displayName, tenantName: tenant.displayName, admin });
    };
    for (const admin of world.admins(tenant.id)) add(admin, true);
    if (adminOnly) continue;
    const limit = seg.kind === 'tenant' ? USERS_LISTED : USERS_LISTED_PER_TENANT_ON_COMMON;
    let n = 0;
    for (const u of world.users(tenant.id)) {
      if (n++ >= limit) break;
      add(u, env.isAdmin(tenant.id, u.id));
    }
  }
  return out;
}
