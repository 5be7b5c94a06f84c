import type { Deps } from '../../deps.js';
import type { Tenant } from '../../store/types.js';
import { HEALTH_INTERVAL, HEALTH_JOB, runHealthCheck, type HealthJobData } from './health-check.js';
import type { HealthProbes } from './probes.js';
import { everyForTenant } from '../../jobs/per-tenant.js';

/** Registers the `health.check` job. Called once at start-up, before the scheduler starts. */
export function defineHealthJob(deps: Deps, probes: HealthProbes): void {
  deps.scheduler.define<HealthJobData>(HEALTH_JOB, async (data) => {
    if (typeof data?.workspaceId !== 'string' || typeof data.tenantId !== 'string') throw new Error('health.check needs { workspaceId, tenantId }');
    await runHealthCheck(deps, probes, { workspaceId: data.workspaceId, tenantId: data.tenantId });
  }, { concurrency: 2 });
}

/**
 * Makes sure the tenant's hourly `health.check` exists (idempotent: an existing schedule is kept). The connect
 * flow calls this once a tenant is stored. The first run comes an hour later, so it never races the connect flow.
 * Keyed by workspace and tenant: two workspaces may connect the same Microsoft tenant.
 */
export function scheduleHealthCheck(deps: Pick<Deps, 'scheduler'>, tenant: Pick<Tenant, 'workspaceId' | 'id'>): Promise<string> {
  return everyForTenant(deps.scheduler, HEALTH_INTERVAL, HEALTH_JOB, tenant);
}

/** Stops a tenant's health checks (when it is disconnected). Resolves how many jobs were removed. */
export function cancelHealthCheck(deps: Pick<Deps, 'scheduler'>, tenant: Pick<Tenant, 'workspaceId' | 'id'>): Promise<number> {
  return deps.scheduler.cancel(HEALTH_JOB, { workspaceId: tenant.workspaceId, tenantId: tenant.id });
}

/** Schedules every stored tenant, so tenants connected before this job existed are checked too. */
export async function scheduleAllHealthChecks(deps: Pick<Deps, 'scheduler' | 'store'>): Promise<number> {
  const tenants = await deps.store.tenants.listAll();
  for (const tenant of tenants) await scheduleHealthCheck(deps, tenant);
  return tenants.length;
}
