import type { Store } from '../../store/port.js';
import { scopedId, type Resource } from '../../store/types.js';

export type ResourceLookup = { resource: Resource } | { problem: string };

const MAX_LISTED = 5;

/**
 * The resource a command names, within the caller's workspace only: an ARM id (any case, as ARM ids are
 * case-insensitive) of a connected tenant, or an exact resource name. A name that several resources share is
 * not guessed: the reply lists their ids.
 */
export async function resolveResource(store: Store, workspaceId: string, typed: string): Promise<ResourceLookup> {
  const text = typed.trim();
  if (text.toLowerCase().startsWith('/subscriptions/')) {
    for (const tenant of await store.tenants.find(workspaceId)) {
      const found = await store.resources.get(workspaceId, scopedId(tenant.id, text.toLowerCase()));
      if (found) return { resource: found };
    }
    return { problem: `I know no resource with the id \`${text}\` in this workspace's subscriptions. Resources are read by the tag sync: an admin can run \`sync tags\` first.` };
  }
  let matches = await store.resources.find(workspaceId, { name: text }, { limit: MAX_LISTED + 1 });
  if (matches.length === 0 && text !== text.toLowerCase()) matches = await store.resources.find(workspaceId, { name: text.toLowerCase() }, { limit: MAX_LISTED + 1 });
  if (matches.length === 1) return { resource: matches[0] };
  if (matches.length === 0) return { problem: `I know no resource named \`${text}\` in this workspace's subscriptions. Check the name, or use its full ARM id. Resources are read by the tag sync (\`sync tags\`).` };
  const listed = matches.slice(0, MAX_LISTED).map((r) => `- \`${r.armId}\``).join('\n');
  return { problem: `Several resources are named \`${text}\`; use the full id of the one you mean:\n${listed}${matches.length > MAX_LISTED ? '\n- …' : ''}` };
}
