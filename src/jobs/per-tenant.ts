import type { Scheduler } from './scheduler-types.js';

/** What every per-tenant job carries: two workspaces may connect the same Microsoft tenant, so both ids key it. */
export interface TenantJobData {
  workspaceId: string;
  tenantId: string;
}

/**
 * Makes sure `name` repeats on `interval` for this tenant (idempotent across calls and restarts: an existing schedule
 * is kept). The first run comes one interval later, so scheduling never races the flow that connected the tenant;
 * `sync …` commands run a job at once when someone asks.
 */
export function everyForTenant(scheduler: Pick<Scheduler, 'every'>, interval: string, name: string, tenant: { workspaceId: string; id: string }, opts: { timezone?: string } = {}): Promise<string> {
  const key: TenantJobData = { workspaceId: tenant.workspaceId, tenantId: tenant.id };
  return scheduler.every<TenantJobData>(interval, name, key, { uniqueKey: { ...key }, skipImmediate: true, ...opts });
}
