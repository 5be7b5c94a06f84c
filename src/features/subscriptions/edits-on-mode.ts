import type { Deps } from '../../deps.js';
import type { Subscription } from '../../store/types.js';

/** Pending tag edits of a subscription that left Read and Write Tags can never be written: cancel them, audited. */
export async function cancelPendingEdits(deps: Pick<Deps, 'store'>, sub: Subscription, actor: string): Promise<number> {
  let n = 0;
  for (const edit of await deps.store.tagEdits.find(sub.workspaceId, { tenantId: sub.tenantId, subscriptionId: sub.subscriptionId, status: 'pending' })) {
    if (await deps.store.tagEdits.replaceIf({ ...edit, status: 'cancelled', error: 'The subscription left Read and Write Tags.' }, { status: 'pending' })) n++;
  }
  if (n) await deps.store.audit.append({ workspaceId: sub.workspaceId, tenantId: sub.tenantId, actor, action: 'tags.edit.cancel', target: sub.id, outcome: 'success', detail: { cancelled: n, reason: 'left Read and Write Tags' } });
  return n;
}
