/** Runs `tags.sync` for every subscription through the product's scheduler, and queues tag edits as the bot does. */
import { runTagSyncNow } from '../../../src/features/tags/job.js';
import { queueTagEdit } from '../../../src/features/tags/edits.js';
import { TAG_SYNC_JOB } from '../../../src/features/tags/sync.js';
import type { Resource, Subscription } from '../../../src/store/types.js';
import type { BenchBot } from './bot.js';

/** What one subscription's run reported in its audit entry. */
export interface RunReport {
  subscriptionId: string;
  pages: number;
  seen: number;
  applied: number;
  stillPending: number;
  conflicts: number;
  errors: string[];
  outcome: string;
  startedAt: string;
  finishedAt: string;
}

const RUN_TIMEOUT_MS = 240_000;

/**
 * Queues one `tags.sync` per subscription at once (as `sync tags` does) and waits until each has recorded its run.
 * The scheduler decides how many run at a time (the job's concurrency). Returns the wall time from the first run's
 * start to the last run's end, the scheduler's pickup delay before it, and each run's report.
 */
export async function syncAll(bot: BenchBot): Promise<{ seconds: number; pickupSeconds: number; startedAt: number; reports: RunReport[] }> {
  const { deps } = bot;
  const t0 = Date.now();
  const since = new Date(t0).toISOString();
  await Promise.all(bot.subs.map((s) => runTagSyncNow(deps, s)));
  // A run's audit entry is its last store write before the summary card: wait for all of them.
  const finished = async () => (await deps.store.audit.list(bot.workspaceId, { where: { action: TAG_SYNC_JOB } })).filter((a) => a.at >= since);
  for (;;) {
    const subs = await Promise.all(bot.subs.map((s) => deps.store.subscriptions.get(s.workspaceId, s.id)));
    if (subs.every((s) => s?.lastSyncAt && s.lastSyncAt >= since) && (await finished()).length >= bot.subs.length) break;
    if (Date.now() - t0 > RUN_TIMEOUT_MS) throw new Error(`tags.sync did not finish for every subscription within ${RUN_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const reports = (await finished()).map((a) => {
      const d = a.detail as Omit<RunReport, 'subscriptionId'>;
      return { subscriptionId: a.target.split('/').pop()!, pages: d.pages, seen: d.seen, applied: d.applied, stillPending: d.stillPending, conflicts: d.conflicts, errors: d.errors, outcome: d.outcome, startedAt: d.startedAt, finishedAt: d.finishedAt };
    });
  // From the first run's start to the last run's end: the scheduler picks queued jobs up on its next poll (Agenda's
  // processEvery, 5 s), which is scheduling latency, not the sync; it is reported apart.
  const start = Math.min(...reports.map((r) => Date.parse(r.startedAt)));
  const end = Math.max(...reports.map((r) => Date.parse(r.finishedAt)));
  return { seconds: (end - start) / 1000, pickupSeconds: (start - t0) / 1000, startedAt: start, reports };
}

/** One queued edit and the tags its PATCH must carry. */
export interface PlannedEdit {
  editId: string;
  scope: string;
  tags: Record<string, string>;
}

/**
 * Queues `perSubscription` edits in each subscription through the tags feature's edit path (queueTagEdit, which
 * validates, records base values and audits): a Merge of `benchOwner` on `perSubscription − repeats` resources, then a
 * second edit (`benchReview`) on `repeats` of them, so that some resources carry two edits that must be applied in
 * order. Edits of different resources are queued concurrently (as turns from several admins would be).
 */
export async function queueEdits(bot: BenchBot, perSubscription: number, repeats: number): Promise<PlannedEdit[]> {
  const { deps } = bot;
  const planned: PlannedEdit[] = [];
  const requestedBy = { aadObjectId: 'bench-admin', name: 'Bench Admin' };
  const queue = async (resource: Resource, tags: Record<string, string>) => {
    const result = await queueTagEdit(deps, { workspaceId: bot.workspaceId, resource, operation: 'Merge', tags, requestedBy });
    if ('problems' in result) throw new Error(`edit refused: ${result.problems.join(' ')}`);
    planned.push({ editId: result.queued.id, scope: resource.armId, tags });
  };
  const targets = new Map<Subscription, Resource[]>();
  for (const sub of bot.subs) {
    targets.set(sub, await deps.store.resources.find(bot.workspaceId, { subscriptionId: sub.subscriptionId }, { limit: perSubscription - repeats }));
  }
  await Promise.all([...targets].flatMap(([sub, rs]) => rs.map((r, i) => queue(r, { benchOwner: `team-${sub.subscriptionId.slice(0, 4)}-${i}` }))));
  await Promise.all([...targets].flatMap(([, rs]) => rs.slice(0, repeats).map((r, i) => queue(r, { benchReview: `review-${i}` }))));
  return planned;
}
