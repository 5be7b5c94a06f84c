import { randomUUID } from 'node:crypto';
import type { Store } from '../store/port.js';

/** A lock older than this belongs to a dead process (runs renew it after every stored page). */
export const RUN_LOCK_STALE_MS = 15 * 60 * 1000;

export interface RunLock {
  /** Renews the lock; call it after every stored page. */
  renew(): Promise<void>;
  release(): Promise<void>;
}

/**
 * One run of `kind` per tenant at a time, across processes: the daily job and an on-demand `sync …` of the same
 * tenant would otherwise read the same delta link or sign-in watermark twice. A checkpoint record
 * `${tenantId}/${kind}.lock` is taken with the single-use insert; a stale one is taken over with compare-and-set.
 * Resolves undefined while another run holds it.
 *
 * `runId` (the scheduler's job id) marks the lock as that job's. A lock held by an earlier run of the same job is
 * taken over at once: the scheduler runs a job again only once its own lock has expired, that is once the earlier
 * run's process is gone (killed, crashed), so waiting RUN_LOCK_STALE_MS would only make the re-run skip its work.
 */
export async function takeRunLock(store: Store, kind: string, workspaceId: string, tenantId: string, now: () => Date, opts: { runId?: string } = {}): Promise<RunLock | undefined> {
  const id = `${tenantId}/${kind}.lock`;
  const owner = opts.runId ? `${opts.runId}:${randomUUID()}` : randomUUID();
  const record = () => ({ id, workspaceId, tenantId, value: owner, updatedAt: now().toISOString() });
  if (!(await store.checkpoints.insert(record()))) {
    const held = await store.checkpoints.get(workspaceId, id);
    const orphaned = !held || (opts.runId !== undefined && held.value.startsWith(`${opts.runId}:`));
    const stale = orphaned || now().getTime() - Date.parse(held.updatedAt) > RUN_LOCK_STALE_MS;
    if (!stale || !held || !(await store.checkpoints.replaceIf(record(), { value: held.value, updatedAt: held.updatedAt }))) return undefined;
  }
  return {
    async renew() {
      await store.checkpoints.replaceIf(record(), { value: owner });
    },
    async release() {
      const held = await store.checkpoints.get(workspaceId, id);
      if (held?.value === owner) await store.checkpoints.delete(workspaceId, id);
    },
  };
}
