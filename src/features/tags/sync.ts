import type { Deps } from '../../deps.js';
import { classifyMicrosoftError } from '../../microsoft/index.js';
import { ResourceTags } from '../../microsoft/tags.js';
import type { RetryOptions } from '../../microsoft/retry.js';
import { scopedId, type Subscription } from '../../store/types.js';
import { defuseTemplateText } from '../status/view.js';
import { modeLabel } from '../subscriptions/modes.js';
import { syncResources } from './listing.js';
import { applyOutbox } from './outbox.js';
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
}

export type TagSyncDeps = Pick<Deps, 'store' | 'now' | 'logger' | 'microsoft' | 'proactive' | 'cards'>;

/**
 * One run of `tags.sync` for one subscription, honouring its mode: No Resources reads nothing (not even a token);
 * No Tags stores resources without tags; Read Tags Only stores resources and tags and never writes; Read and Write
 * Tags does the same, then applies the outbox. Posts one summary card to the `tags` subscribers and audits the run.
 * Throws after posting when the listing failed, so the job's last run shows the failure.
 */
export async function runTagSync(deps: TagSyncDeps, data: TagSyncData, opts: TagSyncOptions = {}): Promise<TagSyncSummary | undefined> {
  const sub = await deps.store.subscriptions.get(data.workspaceId, scopedId(data.tenantId, data.subscriptionId));
  if (!sub) {
    deps.logger.info({ ...data }, 'tags.sync: the subscription is no longer connected; nothing to do');
    return undefined;
  }
  const summary = newSummary({ workspaceId: sub.workspaceId, tenantId: sub.tenantId, subscriptionId: sub.subscriptionId, subscriptionName: sub.displayName, mode: sub.syncMode, startedAt: deps.now().toISOString() });
  let failure: unknown;
  if (sub.syncMode === 'none') {
    summary.skipped = 'Nothing: this subscription is set to No Resources.';
  } else {
    const retry: RetryOptions = { attempts: 8, maxDelayMs: 60_000, sleep: opts.sleep, onRetry: (r) => deps.logger.info({ subscriptionId: sub.subscriptionId, ...r }, 'tags.sync: ARM asked to wait'), ...opts.retry };
    const arm = new ResourceTags(deps.microsoft.endpoints, deps.microsoft.appCredential(sub.tenantId), sub.subscriptionId, retry);
    try {
      await syncResources(deps, sub, arm, summary, { pageSize: opts.pageSize, touch: opts.touch });
      // Read and Write only: the mode is read again so a change made during the listing is honoured.
      const fresh = await deps.store.subscriptions.get(sub.workspaceId, sub.id);
      if (fresh?.syncMode === 'readWriteTags') await applyOutbox(deps, fresh, arm, summary, { sleep: opts.sleep, touch: opts.touch });
    } catch (err) {
      failure = err;
      const problem = classifyMicrosoftError(err);
      summary.errors.push(`Listing resources failed: ${problem.message} ${problem.fix} Nothing was removed.`);
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
