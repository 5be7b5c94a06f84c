import type { Store } from '../../store/port.js';
import type { Tenant } from '../../store/types.js';

const NO_M365_TENANT = 'No tenant here can be read for Microsoft 365 yet: an admin types `connect` (direct) or `connect partner <Microsoft ID>` (CSP).';

export type TenantChoice = { tenant: Tenant } | { message: string };

const label = (t: Tenant) => `${t.displayName || t.id}${t.defaultDomain ?? t.partnerCenter?.customerDomain ? ` (${t.defaultDomain ?? t.partnerCenter?.customerDomain})` : ''}`;

/**
 * The tenant a command is about, among the workspace's tenants that `eligible` accepts: the one named by `arg`
 * (tenant id, verified domain or display name, any case), or the only one when no name is given. Otherwise a
 * message listing the choices, with `usage` (e.g. "sync m365 <tenant>") to say how to pick.
 */
export async function chooseTenant(store: Store, workspaceId: string, arg: string | undefined, eligible: (t: Tenant) => boolean, usage: string, none = NO_M365_TENANT): Promise<TenantChoice> {
  const candidates = (await store.tenants.find(workspaceId)).filter(eligible).sort((a, b) => (a.displayName || a.id).localeCompare(b.displayName || b.id));
  const wanted = arg?.trim().toLowerCase();
  if (wanted) {
    const match = candidates.filter((t) =>
      [t.id, t.defaultDomain, t.displayName, t.partnerCenter?.customerDomain].some((v) => typeof v === 'string' && v.toLowerCase() === wanted));
    if (match.length === 1) return { tenant: match[0] };
    if (candidates.length === 0) return { message: none };
    return { message: `${match.length ? 'More than one tenant matches' : 'No tenant matches'} "${arg!.trim().slice(0, 80)}". Choose one of: ${candidates.map(label).join(', ')}. Type \`${usage}\` with its domain or id.` };
  }
  if (candidates.length === 1) return { tenant: candidates[0] };
  if (candidates.length === 0) return { message: none };
  return { message: `This workspace has ${candidates.length} tenants: ${candidates.map(label).join(', ')}. Type \`${usage}\` with the domain or id of the one you mean.` };
}
