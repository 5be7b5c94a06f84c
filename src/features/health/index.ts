import type { Application } from '@microsoft/teams-ai';
import type { Deps } from '../../deps.js';
import { registerCheckNow } from './check-now.js';
import { defineHealthJob, scheduleAllHealthChecks } from './job.js';
import { createMicrosoftProbes } from './probes.js';
import { registerTokenCheck } from './token-check.js';

export { scheduleHealthCheck, cancelHealthCheck } from './job.js';
export { runHealthCheck, HEALTH_JOB, HEALTH_TOPIC, type HealthJobData, type HealthRunResult } from './health-check.js';
export { credentialSealContext, REFRESH_TOKEN_LIFETIME_DAYS } from './credentials.js';
export { RECONNECT_VERB } from './notify.js';

/** Token diagnosis (`token check`), the hourly `health.check` job with its channel notifications, and `health check now`. */
export function register(app: Application, deps: Deps): void {
  registerTokenCheck(app, deps);
  registerCheckNow(app, deps);
  defineHealthJob(deps, createMicrosoftProbes(deps.config, deps.logger));
  // Tenants stored before this job existed (or whose schedule was lost) get theirs; an existing one is kept.
  scheduleAllHealthChecks(deps).catch((err: unknown) => deps.logger.warn({ err }, 'could not schedule health checks at start-up'));
}
