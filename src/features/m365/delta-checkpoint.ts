import type { Store } from '../../store/port.js';

/**
 * Where the users/delta import stands for a tenant, saved as one Checkpoint record (`${tenantId}/users.delta`,
 * JSON in `value`) so that the link and the round's counts change together in one write. It is written only after
 * the page it follows has been stored: a crash resumes at the first page not yet stored, so nothing is missed, and a
 * page stored twice is an idempotent upsert, so nothing is duplicated.
 */
export interface DeltaCheckpoint {
  /** The link to read next: a nextLink while a round is in progress, the deltaLink once it has finished. */
  link: string;
  kind: 'next' | 'delta';
  /** `full` reads every user (first run, or after Graph asked for a resync); `changes` reads what changed. */
  round: 'full' | 'changes';
  roundStartedAt: string;
  /** Counts of the round so far (a resumed round carries on counting). */
  counts: RoundCounts;
}

export interface RoundCounts {
  added: number;
  updated: number;
  removed: number;
  pages: number;
}

export const emptyCounts = (): RoundCounts => ({ added: 0, updated: 0, removed: 0, pages: 0 });

export const deltaCheckpointId = (tenantId: string) => `${tenantId}/users.delta`;

export async function loadDeltaCheckpoint(store: Store, workspaceId: string, tenantId: string): Promise<DeltaCheckpoint | undefined> {
  const record = await store.checkpoints.get(workspaceId, deltaCheckpointId(tenantId));
  if (!record) return undefined;
  try {
    const parsed = JSON.parse(record.value) as DeltaCheckpoint;
    return typeof parsed.link === 'string' && (parsed.kind === 'next' || parsed.kind === 'delta') ? parsed : undefined;
  } catch {
    return undefined; // an unreadable checkpoint means a full round, which is always correct
  }
}

export async function saveDeltaCheckpoint(store: Store, workspaceId: string, tenantId: string, checkpoint: DeltaCheckpoint, now: Date): Promise<void> {
  await store.checkpoints.upsert({ id: deltaCheckpointId(tenantId), workspaceId, tenantId, value: JSON.stringify(checkpoint), updatedAt: now.toISOString() });
}

export async function clearDeltaCheckpoint(store: Store, workspaceId: string, tenantId: string): Promise<void> {
  await store.checkpoints.delete(workspaceId, deltaCheckpointId(tenantId));
}
