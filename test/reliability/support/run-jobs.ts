/**
 * Runs the daily jobs in the test process, through the same functions their Agenda handlers call, with the
 * options their handlers leave at the defaults made small: page sizes (so that every import reads several pages)
 * and retry waits (so that the suite stays fast). Retry-After is still honoured up to `maxDelayMs`.
 */
import type { Deps } from '../../../src/deps.js';
import { runM365Import } from '../../../src/features/m365/index.js';
import { runSaasJob } from '../../../src/features/saas/index.js';
import { saasRunDeps } from '../../../src/features/saas/job.js';
import { openSaasGraph } from '../../../src/features/saas/graph.js';
import { runTagSync } from '../../../src/features/tags/index.js';
import { runPartnerRefresh } from '../../../src/features/partner/index.js';
import { runHealthCheck } from '../../../src/features/health/index.js';
import { createMicrosoftProbes } from '../../../src/features/health/probes.js';
import type { JobRun } from './seeded-workspace.js';

export interface InProcessOptions {
  /** Graph `odata.maxpagesize` for imports and ARM `$top` for resource listings. */
  pageSize: number;
  /** Backoff of our own retries (resets, cut bodies, 5xx without Retry-After). */
  baseDelayMs: number;
  /** Ceiling of any one wait, Retry-After included. */
  maxDelayMs: number;
}

/** One run of `job`; resolves what the job's function returned (its result), or throws what it threw. */
export async function runJob(deps: Deps, job: JobRun, o: InProcessOptions): Promise<unknown> {
  const retry = { baseDelayMs: o.baseDelayMs, maxDelayMs: o.maxDelayMs };
  const { data } = job;
  switch (job.name) {
    case 'm365.import':
      return runM365Import(deps, data, { retry: { ...retry, maxPageSize: o.pageSize } });
    case 'saas.discover':
      return runSaasJob(deps, data, undefined, { ...saasRunDeps(deps), openGraph: (app) => openSaasGraph(deps.microsoft.endpoints, app, { ...retry, maxPageSize: o.pageSize }) });
    case 'tags.sync':
      return runTagSync(deps, { ...data, subscriptionId: data.subscriptionId! }, { pageSize: o.pageSize, retry });
    case 'partner.refresh':
      return runPartnerRefresh(deps, data);
    case 'health.check':
      return runHealthCheck(deps, createMicrosoftProbes(deps.config, deps.logger), data);
  }
}
