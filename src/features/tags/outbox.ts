import type { Deps } from '../../deps.js';
import { classifyMicrosoftError } from '../../microsoft/index.js';
import { retryReason } from '../../microsoft/retry.js';
import type { ResourceTags } from '../../microsoft/tags.js';
import type { NewAuditEntry, Resource, Subscription, TagEdit } from '../../store/types.js';
import type { ConflictReport, TagSyncSummary } from './summary.js';
import { tagsHash, tagValue, type Tags } from './tag-rules.js';

export interface OutboxOptions {
  /** Renews the job's lock (at most once a second while writing). */
  touch?: () => Promise<void>;
  /** Resources written at once. Default: as many writes as the subscription's pacer lets fly. */
  concurrency?: number;
  /**
   * Tags this run listed are trusted for the conflict check this long; older, they are read again first. ARM's tags
   * API has no ETag, so every check leaves a window before the write: this bounds it.
   */
  freshForMs?: number;
  now?: () => number;
}

type OutboxDeps = Pick<Deps, 'store' | 'now' | 'logger'>;

const DEFAULT_FRESH_FOR_MS = 10_000;
const MODE_RECHECK_MS = 1000;
const TOUCH_EVERY_MS = 1000;
const COMMIT_EVERY_MS = 250;

/**
 * The write-back of one `tags.sync` run: the subscription's pending tag edits, applied with `PATCH …/tags/default`
 * Merge or Delete (never Replace) as the listing reaches their resources. The listed tags are the conflict check: if
 * a tag the edit names no longer holds the value it had when the edit was asked for, Azure changed it since; the
 * edit is then a conflict, reported with both values and not written. Resources are written in parallel (ARM's
 * write bucket is paced by {@link ResourceTags.patch}); the edits of one resource are written one after another,
 * oldest first. A write throttled past its retries (429 after Retry-After) stops the write-back: it and every edit
 * not yet started stay pending for the next run. An edit is never lost, and never written twice (an edit whose values
 * Azure already holds is marked applied without a write).
 */
export class Outbox {
  /** Pending edits by resource record id, oldest first. */
  private readonly byResource = new Map<string, TagEdit[]>();
  private readonly listedTags = new Map<string, { resource: Resource; tags: Tags; at: number }>();
  private readonly ready: string[] = [];
  private readonly workers = new Set<Promise<void>>();
  private readonly concurrency: number;
  private readonly now: () => number;
  private unfinished: number;
  private halted: string | undefined;
  private fatal: unknown;
  private modeCheckedAt = 0;
  private touchedAt = 0;
  private readonly batch: { edit: TagEdit; resource?: Resource }[] = [];
  private readonly batchAudit: NewAuditEntry[] = [];
  private commitTimer: NodeJS.Timeout | undefined;
  private committing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly deps: OutboxDeps,
    private readonly sub: Subscription,
    private readonly arm: ResourceTags,
    private readonly summary: TagSyncSummary,
    private readonly opts: OutboxOptions,
    edits: TagEdit[],
  ) {
    for (const e of edits) {
      const list = this.byResource.get(e.resourceId);
      if (list) list.push(e);
      else this.byResource.set(e.resourceId, [e]);
    }
    this.unfinished = edits.length;
    this.concurrency = opts.concurrency ?? arm.writes.concurrency;
    this.now = opts.now ?? Date.now;
  }

  /** Loads the subscription's pending edits. */
  static async load(deps: OutboxDeps, sub: Subscription, arm: ResourceTags, summary: TagSyncSummary, opts: OutboxOptions = {}): Promise<Outbox> {
    const edits = await deps.store.tagEdits.find(sub.workspaceId, { tenantId: sub.tenantId, subscriptionId: sub.subscriptionId, status: 'pending' }, { sort: { field: 'requestedAt', dir: 1 } });
    return new Outbox(deps, sub, arm, summary, opts, edits);
  }

  get pending(): number {
    return this.unfinished;
  }

  /** Resources this run just listed (and stored): their edits may be written now, checked against these tags. */
  listed(resources: Resource[]): void {
    if (this.byResource.size === 0) return;
    const at = this.now();
    for (const r of resources) {
      if (!this.byResource.has(r.id) || this.listedTags.has(r.id)) continue;
      this.listedTags.set(r.id, { resource: r, tags: { ...r.tags }, at });
      this.ready.push(r.id);
    }
    this.spawn();
  }

  /**
   * The listing is over. Complete: edits of resources it did not list are failed (the resource is gone). Failed:
   * nothing more is started. Resolves once every write started has ended; throws a store failure met on the way.
   */
  async drain(listing: 'complete' | 'failed'): Promise<void> {
    if (listing === 'failed') this.halt('the listing failed');
    while (this.workers.size > 0) await Promise.all([...this.workers]);
    await this.commit();
    if (this.fatal) throw this.fatal;
    if (listing === 'complete' && !this.halted) {
      for (const [id, edits] of this.byResource) {
        if (this.listedTags.has(id)) continue;
        for (const edit of edits) {
          this.finish(edit, { status: 'failed', error: 'The resource no longer exists in Azure.' }, 'failure');
          this.summary.errors.push(`An edit (${Object.keys(edit.tags).join(', ')}) was dropped: its resource no longer exists.`);
        }
      }
    }
    await this.commit();
    if (this.fatal) throw this.fatal;
    this.summary.stillPending += this.unfinished;
  }

  private halt(reason: string): void {
    this.halted ??= reason;
  }

  private spawn(): void {
    while (this.workers.size < this.concurrency && this.ready.length > 0 && !this.halted) {
      const worker: Promise<void> = this.work().then(
        () => void this.workers.delete(worker),
        (err: unknown) => {
          this.workers.delete(worker);
          this.fatal ??= err;
          this.halt('a store write failed');
        },
      );
      this.workers.add(worker);
    }
  }

  private async work(): Promise<void> {
    for (let id = this.ready.shift(); id !== undefined && !this.halted; id = this.ready.shift()) {
      if (!(await this.stillReadWrite())) return;
      await this.writeResource(this.listedTags.get(id)!);
    }
  }

  /** The mode is read again (at most once a second): a move away from Read and Write stops the writes. */
  private async stillReadWrite(): Promise<boolean> {
    if (this.now() - this.modeCheckedAt < MODE_RECHECK_MS) return true;
    this.modeCheckedAt = this.now();
    const fresh = await this.deps.store.subscriptions.get(this.sub.workspaceId, this.sub.id);
    if (fresh?.syncMode === 'readWriteTags') return true;
    this.halt('the sync mode changed');
    return false;
  }

  private async writeResource(listed: { resource: Resource; tags: Tags; at: number }): Promise<void> {
    let { resource } = listed;
    let tags: Tags | undefined = this.now() - listed.at <= (this.opts.freshForMs ?? DEFAULT_FRESH_FOR_MS) ? listed.tags : undefined;
    for (const edit of this.byResource.get(resource.id)!) {
      if (this.halted) return;
      await this.touch();
      try {
        tags ??= await this.arm.tagsAt(resource.armId);
        const plan = planEdit(edit, tags);
        if (plan.conflicts.length) {
          this.finish(edit, { status: 'conflict', conflict: { expected: pick(edit.baseTags, plan.conflicts), actual: pick(tags, plan.conflicts) } }, 'failure', 'tags.edit.conflict', resource);
          const azure = tags;
          this.summary.conflicts.push(...plan.conflicts.map((tag): ConflictReport => ({ resource: resource.name, tag, wanted: edit.operation === 'Merge' ? edit.tags[tag] : null, azure: tagValue(azure, tag), base: edit.baseTags?.[tag] ?? null, requestedBy: edit.requestedBy.name })));
          continue;
        }
        if (Object.keys(plan.write).length === 0) {
          this.finish(edit, { status: 'applied', appliedAt: this.deps.now().toISOString(), error: undefined }, 'success', 'tags.edit.alreadyApplied', resource);
          this.summary.applied++;
          continue;
        }
        if (this.halted) return;
        const result = await this.arm.patch(resource.armId, edit.operation, plan.write);
        // The listing counted tagged resources before this write: count the write's effect too.
        this.summary.tagged += Number(Object.keys(result.tags).length > 0) - Number(Object.keys(tags).length > 0);
        tags = result.tags;
        resource = { ...resource, tags: result.tags, tagsHash: tagsHash(result.tags) };
        this.finish(edit, { status: 'applied', appliedAt: this.deps.now().toISOString(), error: undefined }, 'success', 'azure.tags.patch', resource, { operation: edit.operation, tags: plan.write });
        this.summary.applied++;
      } catch (err) {
        const problem = classifyMicrosoftError(err);
        if (retryReason(err)) {
          // Throttled or unavailable beyond the retries: keep this edit and the rest for the next run.
          if (!this.halted) {
            this.summary.errors.push(`Writing stopped for this run (${problem.message}); the edits not yet written stay queued for the next run.`);
            this.deps.logger.warn({ subscriptionId: this.sub.subscriptionId, kind: problem.kind, status: problem.status }, 'tag write-back paused');
          }
          this.halt(problem.message);
          await this.deps.store.audit.append({ workspaceId: this.sub.workspaceId, tenantId: this.sub.tenantId, actor: 'job:tags.sync', action: 'azure.tags.patch', target: resource.armId, outcome: 'failure', detail: { editId: edit.id, kept: true, kind: problem.kind, status: problem.status } });
          return;
        }
        this.finish(edit, { status: 'failed', error: `${problem.message} ${problem.fix}` }, 'failure', 'azure.tags.patch', resource, { kind: problem.kind, status: problem.status, code: problem.code });
        this.summary.errors.push(`${resource.name}: ${problem.message}`);
        // What Azure holds after a refused write is unknown: read it again for this resource's next edit.
        tags = undefined;
      }
    }
  }

  private async touch(): Promise<void> {
    if (!this.opts.touch || this.now() - this.touchedAt < TOUCH_EVERY_MS) return;
    this.touchedAt = this.now();
    await this.opts.touch();
  }

  /**
   * Records an edit's end. The store writes are batched ({@link COMMIT_EVERY_MS}): lowdb rewrites a whole file per
   * write, so one write per edit would cost more than ARM's pacing. A crash before the commit leaves the edit pending;
   * the next run then finds its values in Azure and marks it applied without writing it again.
   */
  private finish(edit: TagEdit, change: Partial<TagEdit>, outcome: 'success' | 'failure', action?: string, resource?: Resource, detail: Record<string, unknown> = {}): void {
    this.unfinished--;
    this.batch.push({ edit: { ...edit, ...change }, resource: change.status === 'applied' && action === 'azure.tags.patch' ? resource : undefined });
    if (action) {
      this.batchAudit.push({
        workspaceId: edit.workspaceId,
        tenantId: edit.tenantId,
        actor: 'job:tags.sync',
        action,
        target: resource?.armId ?? edit.resourceId,
        outcome,
        detail: { editId: edit.id, requestedBy: edit.requestedBy.aadObjectId, ...(change.conflict ? { conflict: change.conflict } : {}), ...(change.error ? { error: change.error } : {}), ...detail },
      });
    }
    this.commitTimer ??= setTimeout(() => void this.commit(), COMMIT_EVERY_MS);
  }

  /** Writes the batched ends: the edits (each only if still pending), the resources' new tags, the audit entries. */
  private commit(): Promise<void> {
    if (this.commitTimer) clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    const edits = this.batch.splice(0);
    const audit = this.batchAudit.splice(0);
    const { store } = this.deps;
    const resources = edits.flatMap((e) => (e.resource ? [e.resource] : []));
    // Audited before the edits leave the outbox: a process killed in between finds them still pending and audits
    // them again (found applied), rather than leaving a write to Microsoft that no audit entry records.
    const write = async () => {
      await Promise.all(audit.map((a) => store.audit.append(a)));
      await Promise.all([...edits.map((e) => store.tagEdits.replaceIf(e.edit, { status: 'pending' })), resources.length ? store.resources.bulkUpsert(resources) : undefined]);
    };
    const done = this.committing.then(write);
    this.committing = done.catch((err: unknown) => {
      this.fatal ??= err;
      this.halt('a store write failed');
    });
    return this.committing;
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

function pick(values: Record<string, string | null> | undefined, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = tagValue(values, n);
    if (v !== null) out[n] = v;
  }
  return out;
}
