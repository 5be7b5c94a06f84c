import type { Deps } from '../../deps.js';
import { classifyMicrosoftError } from '../../microsoft/index.js';
import { retryReason } from '../../microsoft/retry.js';
import type { ResourceTags } from '../../microsoft/tags.js';
import type { Resource, Subscription, TagEdit } from '../../store/types.js';
import type { ConflictReport, TagSyncSummary } from './summary.js';
import { tagsHash, tagValue, type Tags } from './tag-rules.js';

/** ARM refills 10 writes a second per subscription and principal: below this many left, wait for a refill. */
const LOW_WRITE_TOKENS = 2;
const REFILL_WAIT_MS = 1000;

export interface OutboxOptions {
  sleep?: (ms: number) => Promise<void>;
  /** Renews the job's lock; called once per edit. */
  touch?: () => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Applies the subscription's pending tag edits, oldest first, with `PATCH …/tags/default` Merge or Delete (never
 * Replace). Before writing, the tags are read again: if a tag the edit names no longer holds the value it had when
 * the edit was asked for, Azure changed it since; the edit is then a conflict, reported with both values and not
 * written. A write throttled past its retries (429 after Retry-After) stays pending, and so does everything after
 * it, for the next run: an edit is never lost, and never written twice (an edit whose values Azure already holds
 * is marked applied without a write).
 */
export async function applyOutbox(deps: Pick<Deps, 'store' | 'now' | 'logger'>, sub: Subscription, arm: ResourceTags, summary: TagSyncSummary, opts: OutboxOptions = {}): Promise<void> {
  const sleep = opts.sleep ?? realSleep;
  const edits = await deps.store.tagEdits.find(sub.workspaceId, { tenantId: sub.tenantId, subscriptionId: sub.subscriptionId, status: 'pending' }, { sort: { field: 'requestedAt', dir: 1 } });
  const current = new Map<string, Tags>();
  let remainingWrites: number | undefined;
  for (let i = 0; i < edits.length; i++) {
    const edit = edits[i];
    await opts.touch?.();
    const resource = await deps.store.resources.get(sub.workspaceId, edit.resourceId);
    if (!resource) {
      await finish(deps, edit, { status: 'failed', error: 'The resource no longer exists in Azure.' }, 'failure');
      summary.errors.push(`An edit (${Object.keys(edit.tags).join(', ')}) was dropped: its resource no longer exists.`);
      continue;
    }
    try {
      let tags = current.get(resource.id);
      if (!tags) current.set(resource.id, (tags = await arm.tagsAt(resource.armId)));
      const plan = planEdit(edit, tags);
      if (plan.conflicts.length) {
        await finish(deps, edit, { status: 'conflict', conflict: { expected: pick(edit.baseTags, plan.conflicts), actual: pick(tags, plan.conflicts) } }, 'failure', 'tags.edit.conflict', resource);
        summary.conflicts.push(...plan.conflicts.map((tag): ConflictReport => ({ resource: resource.name, tag, wanted: edit.operation === 'Merge' ? edit.tags[tag] : null, azure: tagValue(tags, tag), base: edit.baseTags?.[tag] ?? null, requestedBy: edit.requestedBy.name })));
        continue;
      }
      if (Object.keys(plan.write).length === 0) {
        await finish(deps, edit, { status: 'applied', appliedAt: deps.now().toISOString(), error: undefined }, 'success', 'tags.edit.alreadyApplied', resource);
        summary.applied++;
        continue;
      }
      if (remainingWrites !== undefined && remainingWrites < LOW_WRITE_TOKENS) await sleep(REFILL_WAIT_MS);
      const result = await arm.patch(resource.armId, edit.operation, plan.write);
      // The listing counted tagged resources before this write: count the write's effect too.
      summary.tagged += Number(Object.keys(result.tags).length > 0) - Number(Object.keys(tags).length > 0);
      remainingWrites = result.remainingWrites;
      current.set(resource.id, result.tags);
      await deps.store.resources.upsert({ ...resource, tags: result.tags, tagsHash: tagsHash(result.tags) });
      await finish(deps, edit, { status: 'applied', appliedAt: deps.now().toISOString(), error: undefined }, 'success', 'azure.tags.patch', resource, { operation: edit.operation, tags: plan.write });
      summary.applied++;
    } catch (err) {
      const problem = classifyMicrosoftError(err);
      if (retryReason(err)) {
        // Throttled or unavailable beyond the retries: keep this edit and the rest for the next run.
        summary.stillPending += edits.length - i;
        summary.errors.push(`Writing stopped for this run (${problem.message}); ${edits.length - i} edit(s) stay queued for the next run.`);
        deps.logger.warn({ subscriptionId: sub.subscriptionId, kind: problem.kind, status: problem.status }, 'tag write-back paused');
        await deps.store.audit.append({ workspaceId: sub.workspaceId, tenantId: sub.tenantId, actor: 'job:tags.sync', action: 'azure.tags.patch', target: resource.armId, outcome: 'failure', detail: { editId: edit.id, kept: true, kind: problem.kind, status: problem.status } });
        return;
      }
      await finish(deps, edit, { status: 'failed', error: `${problem.message} ${problem.fix}` }, 'failure', 'azure.tags.patch', resource, { kind: problem.kind, status: problem.status, code: problem.code });
      summary.errors.push(`${resource.name}: ${problem.message}`);
    }
  }
}

/** What to write for an edit given the tags Azure holds now, and which of its tags changed in Azure since it was asked. */
export function planEdit(edit: Pick<TagEdit, 'operation' | 'tags' | 'baseTags'>, now: Tags): { write: Tags; conflicts: string[] } {
  const write: Tags = {};
  const conflicts: string[] = [];
  for (const [name, wantedValue] of Object.entries(edit.tags)) {
    const azure = tagValue(now, name);
    const wanted = edit.operation === 'Merge' ? wantedValue : null;
    if (azure === wanted) continue; // already so: nothing to write
    const base = edit.baseTags && name in edit.baseTags ? edit.baseTags[name] : azure;
    if (azure !== base) conflicts.push(name);
    else write[name] = edit.operation === 'Merge' ? wantedValue : (azure ?? '');
  }
  return { write, conflicts };
}

async function finish(
  deps: Pick<Deps, 'store'>,
  edit: TagEdit,
  change: Partial<TagEdit>,
  outcome: 'success' | 'failure',
  action?: string,
  resource?: Resource,
  detail: Record<string, unknown> = {},
): Promise<void> {
  // Audited before the edit leaves the outbox: a process killed in between finds the edit still pending and audits
  // it again (found applied), rather than leaving a write to Microsoft that no audit entry records.
  if (action) {
    await deps.store.audit.append({
      workspaceId: edit.workspaceId,
      tenantId: edit.tenantId,
      actor: 'job:tags.sync',
      action,
      target: resource?.armId ?? edit.resourceId,
      outcome,
      detail: { editId: edit.id, requestedBy: edit.requestedBy.aadObjectId, ...(change.conflict ? { conflict: change.conflict } : {}), ...(change.error ? { error: change.error } : {}), ...detail },
    });
  }
  await deps.store.tagEdits.replaceIf({ ...edit, ...change }, { status: 'pending' });
}

function pick(values: Record<string, string | null> | undefined, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = tagValue(values, n);
    if (v !== null) out[n] = v;
  }
  return out;
}
