import type { Deps } from '../../deps.js';
import type { Subscription } from '../../store/types.js';
import { runTagSync, TAG_SYNC_JOB, type TagSyncData } from './sync.js';

export const TAG_SYNC_INTERVAL = '1 day';

/**
 * Subscriptions synced at once in one process. ARM throttles per subscription and principal, so runs of different
 * subscriptions do not compete for ARM's quota, and a run writing back tag edits spends most of its time waiting for
 * its subscription's write bucket to refill: running them side by side is what keeps a tenant's sync as short as its
 * slowest subscription. Each run holds one page of resources. Agenda's process-wide cap (MAX_CONCURRENT_JOBS, 32) applies
 * on top of this.
 */
export const TAG_SYNC_CONCURRENCY = 20;

/**
 * Registers `tags.sync`: up to {@link TAG_SYNC_CONCURRENCY} subscriptions at a time in this process. The lock is renewed on every page and before every wait
 * ARM asks for (Retry-After), so the default lock lifetime holds however long a throttled run takes.
 */
export function defineTagSyncJob(deps: Deps): void {
  deps.scheduler.define<TagSyncData>(TAG_SYNC_JOB, async (data, ctx) => {
    if (typeof data?.workspaceId !== 'string' || typeof data.tenantId !== 'string' || typeof data.subscriptionId !== 'string') {
      throw new Error('tags.sync needs { workspaceId, tenantId, subscriptionId }');
    }
    const touch = () => ctx.touch();
    const sleep = async (ms: number) => {
      await touch();
      await new Promise((resolve) => setTimeout(resolve, ms));
    };
    await runTagSync(deps, data, { touch, sleep, runId: ctx.jobId });
  }, { concurrency: TAG_SYNC_CONCURRENCY });
}

/**
 * Makes sure the subscription's daily `tags.sync` exists (idempotent: an existing schedule is kept). The connect
 * flow calls this for each subscription it stores. Keyed by workspace, tenant and subscription.
 */
export function scheduleTagSync(deps: Pick<Deps, 'scheduler'>, sub: Pick<Subscription, 'workspaceId' | 'tenantId' | 'subscriptionId'>): Promise<string> {
  const key: TagSyncData = { workspaceId: sub.workspaceId, tenantId: sub.tenantId, subscriptionId: sub.subscriptionId };
  return deps.scheduler.every<TagSyncData>(TAG_SYNC_INTERVAL, TAG_SYNC_JOB, key, { uniqueKey: { ...key }, skipImmediate: true });
}

/** Runs a subscription's sync now (`sync tags`); the summary goes to `tags` subscribers, or to `replyTo`. */
export function runTagSyncNow(deps: Pick<Deps, 'scheduler'>, sub: Pick<Subscription, 'workspaceId' | 'tenantId' | 'subscriptionId'>, replyTo?: string): Promise<string> {
  return deps.scheduler.now<TagSyncData>(TAG_SYNC_JOB, { workspaceId: sub.workspaceId, tenantId: sub.tenantId, subscriptionId: sub.subscriptionId, replyTo });
}

/** Schedules every stored subscription, so subscriptions connected before this job existed are synced too. */
export async function scheduleAllTagSyncs(deps: Pick<Deps, 'scheduler' | 'store'>): Promise<number> {
  let n = 0;
  const seen = new Set<string>();
  for (const tenant of await deps.store.tenants.listAll()) {
    if (seen.has(tenant.workspaceId)) continue;
    seen.add(tenant.workspaceId);
    for (const sub of await deps.store.subscriptions.find(tenant.workspaceId)) {
      await scheduleTagSync(deps, sub);
      n++;
    }
  }
  return n;
}
