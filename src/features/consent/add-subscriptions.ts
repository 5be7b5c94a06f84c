import type { Attachment, TurnContext } from 'botbuilder';
import type { Deps } from '../../deps.js';
import type { Tenant } from '../../store/types.js';
import type { Caller } from '../../teams/guards.js';
import { grantAccess, ServicePrincipalMissing } from './grant-access.js';
import { resultCardData } from './result.js';
import { connectRole } from './sign-in.js';
import { findWindow } from './window.js';

/**
 * `add subscriptions [tenant]`: the same grant as `connect`, for subscriptions added since. Uses the caller's own
 * impersonation window while it is open (one hour after their sign-in); otherwise asks for a new sign-in.
 */
export async function addSubscriptions(deps: Deps, context: TurnContext, caller: Caller, which: string | undefined, newSignIn: (tenant: Tenant) => Promise<Attachment>): Promise<void> {
  const tenants = await deps.store.tenants.find(caller.workspaceId);
  const tenant = pickTenant(tenants, which);
  if (typeof tenant === 'string') return void (await context.sendActivity(tenant));
  const window = await findWindow(deps, caller.workspaceId, caller.aadObjectId, tenant.id);
  if (!window) {
    await context.sendActivity({
      text: `Adding subscriptions needs your sign-in, and you have no open sign-in window for ${tenant.displayName} (a window lasts one hour after you sign in). Sign in again:`,
      attachments: [await newSignIn(tenant)],
    });
    return;
  }
  const role = connectRole(deps, caller.workspace);
  try {
    const access = await grantAccess(deps, {
      mode: 'addSubscriptions', workspaceId: caller.workspaceId, tenantId: tenant.id, actor: { aadObjectId: caller.aadObjectId, name: caller.name },
      signedInAs: window.userPrincipalName, accessToken: window.accessToken, expiresOn: window.expiresOn, role,
    });
    const data = resultCardData({ mode: 'addSubscriptions', role, signedInAs: window.userPrincipalName, windowClosesAt: window.expiresOn, access });
    await context.sendActivity({ attachments: [deps.cards.attachment('consent-result', data)] });
  } catch (err) {
    if (!(err instanceof ServicePrincipalMissing)) throw err;
    await context.sendActivity(`Tenant Steward's app is not available in ${tenant.displayName}: ${err.problem.message} ${err.problem.fix} Nothing was changed.`);
  }
}

function pickTenant(tenants: Tenant[], which: string | undefined): Tenant | string {
  if (tenants.length === 0) return 'No Microsoft tenant is connected to this workspace yet: type `connect` first.';
  const names = tenants.map((t) => `${t.displayName} (${t.defaultDomain ?? t.id})`).join(', ');
  if (!which) return tenants.length === 1 ? tenants[0] : `Several tenants are connected: ${names}. Say which one: \`add subscriptions <tenant id or domain>\`.`;
  const key = which.toLowerCase();
  const found = tenants.find((t) => [t.id, t.defaultDomain, t.displayName].some((v) => v?.toLowerCase() === key));
  return found ?? `No connected tenant is called "${which.slice(0, 64)}". Connected: ${names}.`;
}
