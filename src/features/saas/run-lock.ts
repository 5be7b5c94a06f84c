import { randomUUID } from 'node:crypto';
import type { Store } from '../../store/port.js';

/** A lock older than this belongs to a dead process (the run renews it after every stored page). */
export const SAAS_LOCK_STALE_MS = 15 * 60_000;

export interface SaasRunLock {
  renew(): Promise<void>;
  release(): Promise<void>;
}

/**
 * One discovery per tenant at a time, across processes (the daily run and a `sync saas` would otherwise page the same
 * sign-ins twice). A checkpoint record `${tenantId}/saas.lock`, taken with the single-use insert; a stale one is taken
 * over with compare-and-set. Resolves undefined while another run holds it.
 */
export async function takeSaasRunLock(store: Store, workspaceId: string, tenantId: string, now: () => Date): Promise<SaasRunLock | undefined> {
  const id = `${tenantId}/saas.lock`;
  const owner = randomUUID();
  const record = () => ({ id, workspaceId, tenantId, value: owner, updatedAt: now().toISOString() });
  if (!(await store.checkpoints.insert(record()))) {
    const held = await store.checkpoints.get(workspaceId, id);
    const stale = !held || now().getTime() - Date.parse(held.updatedAt) > SAAS_LOCK_STALE_MS;
    if (!stale || !held || !(await store.checkpoints.replaceIf(record(), { value: held.value, updatedAt: held.updatedAt }))) return undefined;
  }
  return {
    renew: async () => void (await store.checkpoints.replaceIf(record(), { value: owner })),
    release: async () => {
      const held = await store.checkpoints.get(workspaceId, id);
      if (held?.value === owner) await store.checkpoints.delete(workspaceId, id);
    },
  };
}
