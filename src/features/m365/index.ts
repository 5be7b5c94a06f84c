import type { AdaptiveCard, Application } from '@microsoft/teams-ai';
import type { Deps } from '../../deps.js';
import type { Tenant } from '../../store/types.js';
import { rememberConversation } from '../../teams/conversations.js';
import { pageFromCardData } from '../../teams/card-data.js';
import { requireCaller, requireOwned, requireRole } from '../../teams/guards.js';
import { importAccessOf } from './access.js';
import { licencesCard } from './cards.js';
import { M365_JOB, runM365Import, type M365JobData } from './import-job.js';
import { chooseTenant } from './tenant-choice.js';
import { everyForTenant } from '../../jobs/per-tenant.js';

export { M365_JOB, M365_TOPIC, runM365Import, type M365JobData, type M365RunOutcome } from './import-job.js';

/** Daily, per tenant (design.md: "Daily jobs"). */
export const M365_INTERVAL = '1 day';
const ENSURE_JOB = 'm365.schedule';
const RETRY = { attempts: 3, backoffMs: 5 * 60_000 };

/** `sync m365`, `licences`, the `m365.import` job (daily per tenant) and the job that keeps those schedules. */
export function register(app: Application, deps: Deps): void {
  deps.commands.add(
    { usage: 'licences [tenant]', description: 'Microsoft 365 licences per SKU: purchased, assigned, unassigned, suspended, warning; over-assigned and unused SKUs flagged.', audience: 'everyone' },
    { usage: 'sync m365 [tenant]', description: 'Import Microsoft 365 users and licences now (it also runs daily); the summary is posted here.', audience: 'admins' },
  );

  deps.scheduler.define<M365JobData>(M365_JOB, async (data, ctx) => {
    if (typeof data?.workspaceId !== 'string' || typeof data.tenantId !== 'string') throw new Error('m365.import needs { workspaceId, tenantId }');
    // A transient failure throws (TransientImportError) back to Agenda, which retries with backoff; the data
    // stored so far is kept and the retry resumes from the checkpoint.
    const outcome = await runM365Import(deps, data, { touch: () => ctx.touch(), signal: ctx.signal, lastAttempt: ctx.attempt >= RETRY.attempts, runId: ctx.jobId });
    if (outcome.status === 'busy' || outcome.status === 'skipped') deps.logger.info({ job: M365_JOB, ...data, reason: outcome.reason }, 'm365 import not run');
  }, { concurrency: 2, retry: RETRY });

  // Every hour, make sure each importable tenant has its daily import (new tenants, CSP customers): idempotent.
  deps.scheduler.define(ENSURE_JOB, async () => void (await scheduleAllM365Imports(deps)), { concurrency: 1 });
  deps.scheduler.every('1 hour', ENSURE_JOB, {}).catch((err: unknown) => deps.logger.warn({ err }, 'could not schedule m365.schedule'));

  app.message(/^\s*sync\s+m365(?:\s+(.+?))?\s*$/i, async (context) => {
    const caller = await requireRole(deps, context, 'admin', 'm365.sync', { doing: 'start a Microsoft 365 import' });
    if (!caller) return;
    const arg = /^\s*sync\s+m365(?:\s+(.+?))?\s*$/i.exec(context.activity.text ?? '')?.[1];
    const choice = await chooseTenant(deps.store, caller.workspaceId, arg, (t) => importAccessOf(t) !== undefined, 'sync m365 <tenant>');
    if ('message' in choice) return void (await context.sendActivity(choice.message));
    const conversation = await rememberConversation(deps.store, context, deps.now());
    await scheduleM365Import(deps, choice.tenant);
    await deps.scheduler.now<M365JobData>(M365_JOB, {
      workspaceId: caller.workspaceId,
      tenantId: choice.tenant.id,
      ...(conversation ? { requestedBy: { conversationId: conversation.id, aadObjectId: caller.aadObjectId } } : {}),
    });
    await context.sendActivity(`Importing Microsoft 365 users and licences of **${choice.tenant.displayName || choice.tenant.id}** now. The summary will be posted here when it is done.`);
  });

  app.message(/^\s*licen[cs]es(?:\s+(.+?))?\s*$/i, async (context) => {
    const caller = await requireCaller(deps, context, 'm365.licences');
    if (!caller) return;
    const arg = /^\s*licen[cs]es(?:\s+(.+?))?\s*$/i.exec(context.activity.text ?? '')?.[1];
    const choice = await chooseTenant(deps.store, caller.workspaceId, arg, (t) => importAccessOf(t) !== undefined, 'licences <tenant>');
    if ('message' in choice) return void (await context.sendActivity(choice.message));
    const licences = await deps.store.licences.find(caller.workspaceId, { tenantId: choice.tenant.id });
    await context.sendActivity({ attachments: [licencesCard(deps.cards, choice.tenant, licences, 1).attachment] });
  });

  // The tenant id comes from card data: checked against the caller's workspace like any other id.
  app.adaptiveCards.actionExecute<{ tenantId?: unknown; page?: unknown }>('licences.page', async (context, _state, data) => {
    const caller = await requireCaller(deps, context, 'm365.licences');
    if (!caller) return 'Refused: see my message in this conversation.';
    const tenant = await requireOwned(deps, context, caller, 'tenants', data?.tenantId, 'm365.licences');
    if (!tenant) return 'Refused: see my message in this conversation.';
    const licences = await deps.store.licences.find(caller.workspaceId, { tenantId: tenant.id });
    return licencesCard(deps.cards, tenant, licences, pageFromCardData(data?.page) || 1).attachment.content as AdaptiveCard;
  });
}

/** The tenant's daily import (idempotent: an existing schedule is kept). Keyed by workspace and tenant. */
export function scheduleM365Import(deps: Pick<Deps, 'scheduler'>, tenant: Pick<Tenant, 'workspaceId' | 'id'>): Promise<string> {
  return everyForTenant(deps.scheduler, M365_INTERVAL, M365_JOB, tenant);
}

/** Schedules the daily import of every tenant that can be read (connected directly, or a CSP customer). */
export async function scheduleAllM365Imports(deps: Pick<Deps, 'scheduler' | 'store'>): Promise<number> {
  let n = 0;
  for (const tenant of await deps.store.tenants.listAll()) {
    if (!importAccessOf(tenant)) continue;
    await scheduleM365Import(deps, tenant);
    n++;
  }
  return n;
}
