import type { Store } from '../../../store/port.js';
import type { ImportContext } from './context.js';

/** A window of the sign-in log still to read: `createdDateTime ge since` and `le until` (either may be open). */
export interface SignInRange {
  since?: string;
  until?: string;
}

/**
 * A pass over the sign-in log that has not finished: the watermark it will set once done (the newest sign-in it
 * has stored) and the windows it has not read yet. Saved after each stored batch, so a run that stops half-way
 * over a million sign-ins resumes where it stopped instead of starting again from the old watermark.
 */
export interface PendingPass {
  newest?: string;
  ranges: SignInRange[];
}

/** The checkpoint that holds the sign-in watermark: the newest sign-in time already stored. */
export const signInCheckpointId = (tenantId: string) => `${tenantId}/saas.signIns`;
/** The checkpoint of an unfinished pass (absent when the last pass finished). */
export const pendingPassCheckpointId = (tenantId: string) => `${tenantId}/saas.signIns.pending`;

type Ctx = Pick<ImportContext, 'workspaceId' | 'tenantId' | 'runAt'> & { store: Pick<Store, 'checkpoints'> };

export async function loadPass(ctx: Ctx): Promise<{ watermark?: string; pending?: PendingPass }> {
  const [watermark, pending] = await Promise.all([
    ctx.store.checkpoints.get(ctx.workspaceId, signInCheckpointId(ctx.tenantId)),
    ctx.store.checkpoints.get(ctx.workspaceId, pendingPassCheckpointId(ctx.tenantId)),
  ]);
  return { watermark: watermark?.value, pending: pending ? parsePending(pending.value) : undefined };
}

function parsePending(value: string): PendingPass | undefined {
  try {
    const p = JSON.parse(value) as PendingPass;
    const iso = (v: unknown) => v === undefined || typeof v === 'string';
    if (iso(p.newest) && Array.isArray(p.ranges) && p.ranges.every((r) => iso(r.since) && iso(r.until))) return { newest: p.newest, ranges: p.ranges };
  } catch {
    // a damaged checkpoint: read again from the watermark, which is always safe
  }
  return undefined;
}

export async function savePending(ctx: Ctx, pass: PendingPass): Promise<void> {
  await ctx.store.checkpoints.upsert({ id: pendingPassCheckpointId(ctx.tenantId), workspaceId: ctx.workspaceId, tenantId: ctx.tenantId, value: JSON.stringify(pass), updatedAt: ctx.runAt });
}

/** The pass is done: the watermark moves first, then the pending pass goes (a crash between them is harmless). */
export async function finishPass(ctx: Ctx, previous: string | undefined, newest: string | undefined, hadPending: boolean): Promise<void> {
  if (newest && newest !== previous) {
    await ctx.store.checkpoints.upsert({ id: signInCheckpointId(ctx.tenantId), workspaceId: ctx.workspaceId, tenantId: ctx.tenantId, value: newest, updatedAt: ctx.runAt });
  }
  if (hadPending) await ctx.store.checkpoints.delete(ctx.workspaceId, pendingPassCheckpointId(ctx.tenantId));
}
