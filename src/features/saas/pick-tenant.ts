import type { Store } from '../../store/port.js';
import { saasTenants, type SaasTenant } from './connection.js';

const label = (t: SaasTenant) => `${t.displayName || t.id}${t.defaultDomain ? ` (${t.defaultDomain})` : ''}`;

/**
 * The SaaS-connected tenant a command means: the one named by `arg` (tenant id, default or verified domain, or display
 * name, any case), or the only one when no name is given. Otherwise a message that lists the choices.
 */
export async function pickSaasTenant(store: Store, workspaceId: string, arg: string | undefined, usage: string): Promise<{ tenant: SaasTenant } | { message: string }> {
  const tenants = (await saasTenants(store, workspaceId)).sort((a, b) => label(a).localeCompare(label(b)));
  if (tenants.length === 0) return { message: 'No tenant is connected for SaaS discovery yet: an admin types `connect saas`.' };
  const wanted = arg?.trim().toLowerCase();
  if (!wanted) {
    if (tenants.length === 1) return { tenant: tenants[0] };
    return { message: `This workspace has ${tenants.length} tenants connected for SaaS discovery: ${tenants.map(label).join(', ')}. Type \`${usage}\` with the domain or id of the one you mean.` };
  }
  const names = (t: SaasTenant) => [t.id, t.displayName, t.defaultDomain, ...(t.saas.organization?.verifiedDomains ?? [])];
  const match = tenants.filter((t) => names(t).some((n) => typeof n === 'string' && n.toLowerCase() === wanted));
  if (match.length === 1) return { tenant: match[0] };
  return { message: `${match.length ? 'More than one tenant matches' : 'No SaaS-connected tenant matches'} "${arg!.trim().slice(0, 80)}". Choose one of: ${tenants.map(label).join(', ')}.` };
}
