import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Deps } from '../../deps.js';
import type { Tenant } from '../../store/types.js';
import { rememberConversation } from '../../teams/conversations.js';
import { requireCaller, requireOwned, requireRole, type Caller } from '../../teams/guards.js';
import { findPartnerTenant, PARTNER_CREDENTIAL } from './credential.js';
import { customersCard, linkCustomers, partnerCenterFor } from './customers.js';
import { isMicrosoftId, partnerProblemText, partnerSignInCard } from './link.js';
import { registerPal } from './pal.js';
import { PARTNER_REFRESH_JOB, runPartnerRefresh, schedulePartnerRefresh, TransientPartnerError, type PartnerRefreshData } from './refresh-job.js';

export { completePartnerLink, partnerScopes } from './link.js';
export { runPartnerRefresh, schedulePartnerRefresh, PARTNER_REFRESH_JOB, type PartnerRefreshOutcome } from './refresh-job.js';

const CONNECT_PARTNER = /^\s*connect\s+partner(?:\s+(\S+))?\s*$/i;
const NOT_LINKED = 'Partner Center is not linked here. An admin types `connect partner <Microsoft ID>` (Partner Center: Account settings > Microsoft Entra ID profile > Microsoft ID).';

/** CSP: `connect partner`, `customers`, `partner test`, the nightly `partner.refresh`, and Partner Admin Link (`pal`). */
export function register(app: Application, deps: Deps): void {
  deps.commands.add(
    { usage: 'customers', description: "CSP: the partner's Partner Center customers, and when each was last imported.", audience: 'everyone' },
    { usage: 'pal [for <tenant>]', description: 'Show the Partner Admin Link of a tenant.', audience: 'everyone' },
    { usage: 'connect partner <Microsoft ID>', description: "CSP: link Partner Center with a partner admin's sign-in (Privileged Role Administrator + Admin Agent, MFA).", audience: 'admins' },
    { usage: 'partner test', description: 'CSP: call the Partner Center billing report to prove the link works.', audience: 'admins' },
    { usage: 'pal <partner id> | pal remove [for <tenant>]', description: "Link (or unlink) a partner id to Tenant Steward's credential through Microsoft.ManagementPartner.", audience: 'admins' },
  );

  deps.scheduler.define<PartnerRefreshData>(PARTNER_REFRESH_JOB, async (data) => {
    if (typeof data?.workspaceId !== 'string' || typeof data.tenantId !== 'string') throw new Error('partner.refresh needs { workspaceId, tenantId }');
    const outcome = await runPartnerRefresh(deps, data);
    deps.logger.info({ job: PARTNER_REFRESH_JOB, ...data, status: outcome.status }, 'partner refresh done');
  }, { concurrency: 2, retry: { attempts: 3, backoffMs: 10 * 60_000 } });
  scheduleAllPartnerRefreshes(deps).catch((err: unknown) => deps.logger.warn({ err }, 'could not schedule partner.refresh at start-up'));

  app.message(CONNECT_PARTNER, async (context) => {
    const caller = await requireRole(deps, context, 'admin', 'partner.connect', { doing: 'link Partner Center', allowBootstrap: true });
    if (!caller) return;
    const id = CONNECT_PARTNER.exec(context.activity.text ?? '')?.[1];
    if (!id || !isMicrosoftId(id)) {
      await context.sendActivity(`Type \`connect partner <Microsoft ID>\`. The Microsoft ID is your partner tenant's id, a GUID such as 2b3c4d5e-…; Partner Center shows it under Account settings > Microsoft Entra ID profile.${id ? ` "${id.slice(0, 60)}" is not one.` : ''}`);
      return;
    }
    await sendSignIn(deps, context, caller, id.toLowerCase());
  });

  app.adaptiveCards.actionExecute<{ tenantId?: unknown }>('partner.relink', async (context, _state, data) => {
    const caller = await requireRole(deps, context, 'admin', 'partner.connect', { doing: 'link Partner Center' });
    if (!caller) return 'Refused: see my message in this conversation.';
    const tenant = await requireOwned(deps, context, caller, 'tenants', data?.tenantId, 'partner.connect');
    if (!tenant) return 'Refused: see my message in this conversation.';
    await sendSignIn(deps, context, caller, tenant.id);
    return 'A new Partner Center sign-in link is below.';
  });

  app.message(/^\s*customers\s*$/i, async (context) => {
    const caller = await requireCaller(deps, context, 'partner.customers');
    if (!caller) return;
    const partner = await findPartnerTenant(deps, caller.workspaceId);
    if (!partner) return void (await context.sendActivity(NOT_LINKED));
    try {
      const pc = await partnerCenterFor(deps, partner);
      const customers = await pc.client.customers();
      const added = await linkCustomers(deps, pc.partner, customers, { aadObjectId: caller.aadObjectId, name: caller.name });
      await context.sendActivity({ attachments: [await customersCard(deps, pc.partner, customers, added)] });
    } catch (err) {
      await context.sendActivity(`Partner Center could not be read for ${partner.displayName}: ${partnerProblemText(err)}`);
    }
  });

  app.message(/^\s*partner\s+test\s*$/i, async (context) => {
    const caller = await requireRole(deps, context, 'admin', 'partner.test', { doing: 'test the Partner Center link' });
    if (!caller) return;
    const partner = await findPartnerTenant(deps, caller.workspaceId);
    if (!partner) return void (await context.sendActivity(NOT_LINKED));
    try {
      const pc = await partnerCenterFor(deps, partner);
      const invoices = await pc.client.invoices();
      const latest = [...invoices].sort((a, b) => b.invoiceDate.localeCompare(a.invoiceDate))[0];
      await deps.store.audit.append({ workspaceId: caller.workspaceId, tenantId: partner.id, actor: caller.aadObjectId, action: 'partner.test', target: partner.id, outcome: 'success', detail: { invoices: invoices.length } });
      await context.sendActivity(`The Partner Center link of **${partner.displayName}** works: the billing report answered with ${invoices.length} invoice${invoices.length === 1 ? '' : 's'}${latest ? `; the latest, ${latest.id} of ${latest.invoiceDate.slice(0, 10)}, totals ${latest.totalCharges.toFixed(2)} ${latest.currencyCode}` : ''}. The token was refreshed and the new one stored.`);
    } catch (err) {
      await deps.store.audit.append({ workspaceId: caller.workspaceId, tenantId: partner.id, actor: caller.aadObjectId, action: 'partner.test', target: partner.id, outcome: 'failure', detail: { message: partnerProblemText(err) } });
      await context.sendActivity(`The Partner Center link of **${partner.displayName}** does not work: ${partnerProblemText(err)}`);
    }
  });

  registerPal(app, deps);
}

async function sendSignIn(deps: Deps, context: TurnContext, caller: Caller, microsoftId: string): Promise<void> {
  const conversation = await rememberConversation(deps.store, context, deps.now());
  if (!conversation) return void (await context.sendActivity('I cannot tell which conversation this is, so I could not post the result. Nothing was started.'));
  const card = await partnerSignInCard(deps, { workspaceId: caller.workspaceId, aadObjectId: caller.aadObjectId, userName: caller.name, conversationId: conversation.id, microsoftId });
  await context.sendActivity({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }] });
}

/** Every linked partner tenant gets its nightly refresh (tenants linked before the job existed included). */
export async function scheduleAllPartnerRefreshes(deps: Pick<Deps, 'scheduler' | 'store'>): Promise<number> {
  const partners = (await deps.store.tenants.listAll()).filter((t: Tenant) => t.credentials[PARTNER_CREDENTIAL]);
  for (const p of partners) await schedulePartnerRefresh(deps, p);
  return partners.length;
}

export { TransientPartnerError };
