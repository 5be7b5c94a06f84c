import type { Deps } from '../../deps.js';
import type { Tenant } from '../../store/types.js';
import { hasSaas } from './connection.js';
import { runSaasDiscovery, type DiscoveryOutcome, type SaasRunDeps } from './discover.js';
import { openSaasGraph } from './graph.js';
import { postOutcome } from './notify.js';
import { takeRunLock } from '../../jobs/run-lock.js';
import { everyForTenant } from '../../jobs/per-tenant.js';

export const SAAS_JOB = 'saas.discover';
/** Daily, per tenant (design.md: "Daily jobs"). */
export const SAAS_INTERVAL = '1 day';

export interface SaasJobData {
  workspaceId: string;
  tenantId: string;
  /** Set by `sync saas`: the summary also goes to this conversation. */
  requestedIn?: string;
}

export type SaasJobResult = { status: 'done'; outcome: DiscoveryOutcome; posted: number } | { status: 'busy' | 'skipped'; reason: string };

/** The run's dependencies from the bot's: Graph through the facade's endpoints and credential. */
export function saasRunDeps(deps: Pick<Deps, 'store' | 'sealer' | 'logger' | 'now' | 'microsoft'>): SaasRunDeps {
  return { store: deps.store, sealer: deps.sealer, logger: deps.logger, now: deps.now, openGraph: (app) => openSaasGraph(deps.microsoft.endpoints, app) };
}

/**
 * One `saas.discover` run: one at a time per tenant, then the run card to the `saas` subscribers (and the asker).
 * `runId` is the scheduler's job id: a run lock left by an earlier run of this job (a killed process) is taken over.
 */
export async function runSaasJob(deps: Deps, data: SaasJobData, touch?: () => Promise<void>, runDeps: SaasRunDeps = saasRunDeps(deps), runId?: string): Promise<SaasJobResult> {
  const tenant = await deps.store.tenants.get(data.workspaceId, data.tenantId);
  if (!hasSaas(tenant)) return { status: 'skipped', reason: 'the tenant has no SaaS connection' };
  const lock = await takeRunLock(deps.store, 'saas', data.workspaceId, data.tenantId, deps.now, { runId });
  if (!lock) return { status: 'busy', reason: 'a discovery of this tenant is already running' };
  try {
    const outcome = await runSaasDiscovery(runDeps, data, async () => {
      await lock.renew();
      await touch?.();
    });
    if (!outcome) return { status: 'skipped', reason: 'the tenant has no SaaS connection' };
    deps.logger.info({ job: SAAS_JOB, workspaceId: data.workspaceId, tenantId: data.tenantId, outcome: outcome.summary.outcome, tasks: outcome.summary.tasks.map((t) => `${t.task}:${t.state}`) }, 'saas discovery finished');
    const posted = await postOutcome(deps, outcome, tenant.saas.lastRun, data.requestedIn);
    return { status: 'done', outcome, posted };
  } finally {
    await lock.release();
  }
}

/** The tenant's daily discovery (idempotent: an existing schedule is kept). */
export function scheduleSaasDiscovery(deps: Pick<Deps, 'scheduler'>, tenant: Pick<Tenant, 'workspaceId' | 'id'>): Promise<string> {
  return everyForTenant(deps.scheduler, SAAS_INTERVAL, SAAS_JOB, tenant);
}
