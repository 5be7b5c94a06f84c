import type { Deps } from '../../deps.js';
import { classifyMicrosoftError } from '../../microsoft/index.js';
import { ResourceTags } from '../../microsoft/tags.js';
import type { RetryOptions } from '../../microsoft/retry.js';
import { scopedId, type Subscription } from '../../store/types.js';
import { takeRunLock, type RunLock } from '../../jobs/run-lock.js';
import { defuseTemplateText } from '../status/view.js';
import { modeLabel } from '../subscriptions/modes.js';
import { syncResources } from './listing.js';
import { Outbox, type OutboxOptions } from './outbox.js';
import { newSummary, summaryCardData, type TagSyncSummary } from './summary.js';

export const TAG_SYNC_JOB = 'tags.sync';
export const TAGS_TOPIC = 'tags';

/** One subscription of one workspace. `subscriptionId` is the ARM subscription id. */
export interface TagSyncData {
  workspaceId: string;
  tenantId: string;
  subscriptionId: string;
  /** A conversation to post the summary to when no conversation subscribes to `tags` (a `sync tags` asked there). */
  replyTo?: string;
}

export interface TagSyncOptions {
  pageSize?: number;
  /** ARM reads and writes: retries honour Retry-After (tests inject a recording sleep). */
  retry?: RetryOptions;
  sleep?: (ms: number) => Promise<void>;
  touch?: () => Promise<void>;
  /** The scheduler's job id: a re-run of a killed run takes its run lock over at once (see takeRunLock). */
  runId?: string;
  /** Write-back tuning (concurrency, how long listed tags count as fresh). */
  outbox?: Omit<OutboxOptions, 'touch'>;
}

export type TagSyncDeps = Pick<Deps, 'store' | 'now' | 'logger' | 'microsoft' | 'proactive' | 'cards'>;

/**
 * One run of `tags.sync` for one subscription, honouring its mode: No Resources reads nothing (not even a token);
 * No Tags stores resources without tags; Read Tags Only stores resources and tags and never writes; Read and Write
 * Tags does the same and applies the outbox, each resource as soon as the listing has read its tags. Posts one summary card to the `tags` subscribers and audits the run.
 * Throws after posting when the listing failed, so the job's last run shows the failure.
 */
export async function runTagSync(deps: TagSyncDeps, data: TagSyncData, opts: TagSyncOptions = {}): Promise<TagSyncSummary | undefined> {
  const sub = await deps.store.subscriptions.get(data.workspaceId, scopedId(data.tenantId, data.subscriptionId));
  if (!sub) {
    deps.logger.info({ ...data }, 'tags.sync: the subscription is no longer connected; nothing to do');
    return undefined;
  }
  // One run per subscription at a time, across processes: two runs would both write the same pending edits.
  const lock = await takeRunLock(deps.store, `tags.sync/${sub.subscriptionId}`, sub.workspaceId, sub.tenantId, deps.now, { runId: opts.runId });
  if (!lock) {
    deps.logger.info({ ...data }, 'tags.sync: a run of this subscription is already in progress; this one is skipped');
    if (data.replyTo) await deps.proactive.send(sub.workspaceId, data.replyTo, `A tag sync of **${sub.displayName}** is already running; its summary goes to the channels subscribed to tags.`);
    return undefined;
  }
  try {
    return await syncHoldingLock(deps, sub, data, opts, lock);
  } finally {
    await lock.release();
  }
}

async function syncHoldingLock(deps: TagSyncDeps, sub: Subscription, data: TagSyncData, opts: TagSyncOptions, lock: RunLock): Promise<TagSyncSummary> {
  const touch = async () => {
    await lock.renew();
    await opts.touch?.();
  };
  const summary = newSummary({ workspaceId: sub.workspaceId, tenantId: sub.tenantId, subscriptionId: sub.subscriptionId, subscriptionName: sub.displayName, mode: sub.syncMode, startedAt: deps.now().toISOString() });
  let failure: unknown;
  if (sub.syncMode === 'none') {
    summary.skipped = 'Nothing: this subscription is set to No Resources.';
  } else {
    const retry: RetryOptions = { attempts: 8, maxDelayMs: 60_000, sleep: opts.sleep, onRetry: (r) => deps.logger.info({ subscriptionId: sub.subscriptionId, ...r }, 'tags.sync: ARM asked to wait'), ...opts.retry };
    const arm = new ResourceTags(deps.microsoft.endpoints, deps.microsoft.appCredential(sub.tenantId), sub.subscriptionId, retry);
    // Read and Write: the outbox is written while the listing goes on, each resource once the listing has read its
    // tags (the conflict check), so ARM's write bucket starts refilling early. The mode is read again as it writes.
    const outbox = sub.syncMode === 'readWriteTags' ? await Outbox.load(deps, sub, arm, summary, { touch, ...opts.outbox }) : undefined;
    let listed = false;
    try {
      await syncResources(deps, sub, arm, summary, { pageSize: opts.pageSize, touch, onPage: outbox && ((page) => outbox.listed(page)) });
      listed = true;
      await outbox?.drain('complete');
    } catch (err) {
      if (!listed) await outbox?.drain('failed').catch((e: unknown) => deps.logger.warn({ err: e, subscriptionId: sub.subscriptionId }, 'tags.sync: write-back failed after the listing failed'));
      failure = err;
      const problem = classifyMicrosoftError(err);
      summary.errors.push(`${listed ? 'Writing tags' : 'Listing resources'} failed: ${problem.message} ${problem.fix}${listed ? '' : ' Nothing was removed.'}`);
    }
  }
  summary.finishedAt = deps.now().toISOString();
  summary.outcome = failure ? 'failure' : summary.errors.length || summary.conflicts.length ? 'partial' : 'success';
  await recordRun(deps, sub, summary);
  await postSummary(deps, summary, data.replyTo);
  if (failure) throw failure;
  return summary;
}

async function recordRun(deps: TagSyncDeps, sub: Subscription, s: TagSyncSummary): Promise<void> {
  // Re-read: a mode change made during the run must not be overwritten by this bookkeeping.
  const fresh = (await deps.store.subscriptions.get(sub.workspaceId, sub.id)) ?? sub;
  const listed = !s.skipped && s.outcome !== 'failure';
  await deps.store.subscriptions.upsert({
    ...fresh,
    lastSyncAt: s.finishedAt,
    lastSyncOutcome: s.outcome,
    counts: listed ? { resources: s.seen, tagged: s.mode === 'noTags' ? 0 : s.tagged, conflicts: s.conflicts.length } : fresh.counts,
    updatedAt: s.finishedAt,
  });
  const { workspaceId, tenantId, subscriptionId, conflicts, errors, ...counts } = s;
  await deps.store.audit.append({
    workspaceId,
    tenantId,
    actor: `job:${TAG_SYNC_JOB}`,
    action: TAG_SYNC_JOB,
    target: `/subscriptions/${subscriptionId}`,
    outcome: s.outcome === 'failure' ? 'failure' : 'success',
    detail: { ...counts, conflicts: conflicts.length, errors },
  });
}

async function postSummary(deps: TagSyncDeps, s: TagSyncSummary, replyTo: string | undefined): Promise<void> {
  const card = { attachments: [deps.cards.attachment('tags-sync-summary', defuseTemplateText(summaryCardData(s, modeLabel(s.mode))))] };
  const sent = await deps.proactive.sendToTopic(s.workspaceId, TAGS_TOPIC, card);
  const reached = sent.sent > 0;
  if (!reached && replyTo) await deps.proactive.send(s.workspaceId, replyTo, card);
}
