import type { Application } from '@microsoft/teams-ai';
import type { Deps } from '../../deps.js';
import { requireRole } from '../../teams/guards.js';
import { HEALTH_JOB, HEALTH_TOPIC, type HealthJobData } from './health-check.js';

const COMMAND = /^\s*health\s+check(?:\s+now)?\s*$/i;

/**
 * `health check now` (admins): queues each connected tenant's `health.check` at once instead of at the next hour. It
 * runs as the scheduled job does (same job, same locking), so it posts only what changed, to the `health` topic.
 */
export function registerCheckNow(app: Application, deps: Deps): void {
  deps.commands.add({
    usage: 'health check now',
    description: 'Check every connected tenant\'s tokens and secrets now (it also runs hourly). Only changes are posted, to the conversations that get health notifications.',
    audience: 'admins',
  });

  app.message(COMMAND, async (context) => {
    const caller = await requireRole(deps, context, 'admin', 'health.checkNow', { doing: 'run the health check' });
    if (!caller) return;
    const tenants = await deps.store.tenants.find(caller.workspaceId);
    if (tenants.length === 0) {
      await context.sendActivity('No tenant is connected yet, so there is nothing to check: type `connect` first.');
      return;
    }
    for (const tenant of tenants) await deps.scheduler.now<HealthJobData>(HEALTH_JOB, { workspaceId: caller.workspaceId, tenantId: tenant.id });
    const names = tenants.map((t) => `**${t.displayName || t.id}**`).join(', ');
    await context.sendActivity(
      `Checking the credentials of ${names} now. A problem or a recovery is posted to the conversations that get **${HEALTH_TOPIC}** notifications (\`notify\` shows where); if nothing changed, nothing is posted. \`status\` shows the current states.`,
    );
  });
}
