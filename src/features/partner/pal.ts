import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Deps } from '../../deps.js';
import { classifyMicrosoftError } from '../../microsoft/index.js';
import { isValidPartnerId, PalClient, type PalLink } from '../../microsoft/pal.js';
import type { Tenant } from '../../store/types.js';
import { refuse, requireCaller, requireRole } from '../../teams/guards.js';
import { chooseTenant } from '../m365/tenant-choice.js';

const PAL = /^\s*pal(?:\s+(?!for\b)(\S+))?(?:\s+for\s+(.+?))?\s*$/i;

/** Tenants whose credential is our service principal (admin consent): PAL links the partner id to that identity. */
const hasAppCredential = (t: Tenant) => Boolean(t.credentials.azureConsent || t.credentials.graphConsent);
const NO_CREDENTIAL = "No tenant here holds Tenant Steward's own credential (admin consent), which is what a Partner Admin Link is attached to: an admin types `connect` first.";

function palClient(deps: Deps, tenant: Tenant): PalClient {
  const credential = deps.microsoft.appCredential(tenant.id);
  return new PalClient(deps.microsoft.endpoints.arm, async () => {
    const token = await credential.getToken(deps.microsoft.endpoints.scopes.arm);
    if (!token) throw new Error('no app-only ARM token');
    return token.token;
  }, { attempts: 4 });
}

const describeLink = (l: PalLink) => `partner id **${l.partnerId}**${l.partnerName ? ` (${l.partnerName})` : ''}${l.updatedTime ? `, since ${l.updatedTime.slice(0, 10)}` : ''}`;

/**
 * `pal` (show), `pal <partner id>` (link) and `pal remove`, each optionally `for <tenant>`: Partner Admin Link through
 * Microsoft.ManagementPartner on our service principal's credential in that tenant. Showing is for everyone; changes
 * are for admins, validated (6 to 8 digits) and audited, success or failure.
 */
export function registerPal(app: Application, deps: Deps): void {
  app.message(PAL, async (context) => {
    const [, word, tenantArg] = PAL.exec(context.activity.text ?? '') ?? [];
    if (!word) return show(deps, context, tenantArg);
    const removing = word.toLowerCase() === 'remove';
    const caller = await requireRole(deps, context, 'admin', removing ? 'pal.remove' : 'pal.set', { doing: 'change the Partner Admin Link' });
    if (!caller) return;
    if (!removing && !isValidPartnerId(word)) {
      await refuse(deps, context, caller, {
        action: 'pal.set', reason: 'invalid partner id', detail: { given: word.slice(0, 40) },
        message: `"${word.slice(0, 40)}" is not a Partner ID: it is the 6 to 8 digit number of the Microsoft AI Cloud Partner Program (formerly MPN ID), e.g. \`pal 1234567\`. Nothing was changed.`,
      });
      return;
    }
    const choice = await chooseTenant(deps.store, caller.workspaceId, tenantArg, hasAppCredential, removing ? 'pal remove for <tenant>' : `pal ${word} for <tenant>`, NO_CREDENTIAL);
    if ('message' in choice) return void (await context.sendActivity(choice.message));
    const tenant = choice.tenant;
    const audit = (outcome: 'success' | 'failure', detail: Record<string, unknown>) =>
      deps.store.audit.append({ workspaceId: caller.workspaceId, tenantId: tenant.id, actor: caller.aadObjectId, action: removing ? 'pal.remove' : 'pal.set', target: tenant.id, outcome, detail });
    try {
      if (removing) {
        const result = await palClient(deps, tenant).remove();
        await audit('success', { change: result.change, previousPartnerId: result.previous?.partnerId ?? null });
        await context.sendActivity(result.change === 'removed'
          ? `Partner Admin Link removed in **${tenant.displayName}**: ${describeLink(result.previous!)} is no longer linked to Tenant Steward's credential.`
          : `No partner is linked in **${tenant.displayName}**: nothing to remove.`);
        return;
      }
      const result = await palClient(deps, tenant).set(word);
      await audit('success', { change: result.change, partnerId: word, previousPartnerId: result.previous?.partnerId ?? null });
      const verb = { created: 'linked', updated: `changed from ${result.previous?.partnerId} to`, unchanged: 'was already linked to' }[result.change as 'created' | 'updated' | 'unchanged'];
      await context.sendActivity(`Partner Admin Link in **${tenant.displayName}**: Tenant Steward's credential ${verb} ${describeLink(result.link)}. This grants no access: it only attributes the access already granted to the partner.`);
    } catch (err) {
      const problem = classifyMicrosoftError(err);
      await audit('failure', { partnerId: removing ? null : word, status: problem.status ?? null, code: problem.code ?? null, message: problem.message });
      await context.sendActivity(`The Partner Admin Link was not ${removing ? 'removed' : 'set'} in **${tenant.displayName}**: ${problem.message}. ${problem.fix}`);
    }
  });
}

async function show(deps: Deps, context: TurnContext, tenantArg: string | undefined): Promise<void> {
  const caller = await requireCaller(deps, context, 'pal.show');
  if (!caller) return;
  const choice = await chooseTenant(deps.store, caller.workspaceId, tenantArg, hasAppCredential, 'pal for <tenant>', NO_CREDENTIAL);
  if ('message' in choice) return void (await context.sendActivity(choice.message));
  try {
    const link = await palClient(deps, choice.tenant).get();
    await context.sendActivity(link
      ? `Partner Admin Link in **${choice.tenant.displayName}**: ${describeLink(link)}.`
      : `No partner is linked in **${choice.tenant.displayName}**. An admin can type \`pal <partner id>\` to link one.`);
  } catch (err) {
    const problem = classifyMicrosoftError(err);
    await context.sendActivity(`Could not read the Partner Admin Link of **${choice.tenant.displayName}**: ${problem.message}. ${problem.fix}`);
  }
}
