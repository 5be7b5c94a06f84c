import type { Store } from '../../../store/port.js';
import type { SaasGraph } from '../graph.js';

/** What each import task gets: Graph in the customer's tenant, the store, and the run it belongs to. */
export interface ImportContext {
  graph: SaasGraph;
  store: Store;
  workspaceId: string;
  tenantId: string;
  /** When the run started (ISO). Records are stamped `lastSeenAt: runAt`; an older stamp was not seen this run. */
  runAt: string;
  /** Called after each stored page (or batch of pages): renews the job's lock and notices a cancelled run. */
  touch?: () => Promise<void>;
}

/** Deletes the tenant's records this run did not see (lastSeenAt before runAt), among those `eligible` accepts. */
export async function deleteUnseen<T extends { id: string; lastSeenAt?: string }>(
  collection: { find(workspaceId: string, where: { tenantId: string }): Promise<T[]>; delete(workspaceId: string, id: string): Promise<boolean> },
  ctx: Pick<ImportContext, 'workspaceId' | 'tenantId' | 'runAt'>,
  eligible: (record: T) => boolean = () => true,
): Promise<T[]> {
  const gone = (await collection.find(ctx.workspaceId, { tenantId: ctx.tenantId })).filter((r) => (r.lastSeenAt ?? '') < ctx.runAt && eligible(r));
  for (const record of gone) await collection.delete(ctx.workspaceId, record.id);
  return gone;
}
