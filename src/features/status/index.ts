import type { AdaptiveCard, Application } from '@microsoft/teams-ai';
import type { Deps } from '../../deps.js';
import type { Tenant } from '../../store/types.js';
import { requireCaller, requireOwned, type Caller } from '../../teams/guards.js';
import { defuseTemplateText, tenantView, utc } from './view.js';

/** Tenants on one card; more are counted (Teams refuses cards over ~28 KB). */
const MAX_TENANTS = 8;
/**
 * The tenants' data may take this many bytes of JSON; the template's own markup comes on top. Tenants with long
 * failure texts are big, so the card holds as many as fit rather than a fixed number.
 */
const TENANT_DATA_BUDGET_BYTES = 16 * 1024;
const NOT_CONNECTED = "This workspace isn't connected to a Microsoft tenant yet. An admin of your Microsoft tenant can type `connect` to start.";

/** `status`: per connected tenant of the caller's workspace, its credentials, subscriptions and last job runs. */
export function register(app: Application, deps: Deps): void {
  deps.commands.add({ usage: 'status', description: 'Connected tenants: credential states, subscriptions, and the last run of each job.', audience: 'everyone' });

  app.message(/^\s*status\s*$/i, async (context) => {
    const caller = await requireCaller(deps, context, 'status.show');
    if (!caller) return;
    const tenants = await deps.store.tenants.find(caller.workspaceId);
    if (tenants.length === 0) {
      await context.sendActivity(NOT_CONNECTED);
      return;
    }
    await context.sendActivity({ attachments: [deps.cards.attachment('status', await statusData(deps, caller, tenants))] });
  });

  app.adaptiveCards.actionExecute('status', async (context) => {
    const caller = await requireCaller(deps, context, 'status.show');
    if (!caller) return 'Refused: see my message in this conversation.';
    const tenants = await deps.store.tenants.find(caller.workspaceId);
    if (tenants.length === 0) return NOT_CONNECTED;
    return deps.cards.expand('status', await statusData(deps, caller, tenants)) as unknown as AdaptiveCard;
  });

  // The tenant id comes from card data, so it is checked against the caller's workspace like any other id.
  app.adaptiveCards.actionExecute<{ tenantId?: unknown }>('status.tenant', async (context, _state, data) => {
    const caller = await requireCaller(deps, context, 'status.tenant');
    if (!caller) return 'Refused: see my message in this conversation.';
    const tenant = await requireOwned(deps, context, caller, 'tenants', data?.tenantId, 'status.tenant');
    if (!tenant) return 'Refused: see my message in this conversation.';
    return deps.cards.expand('status', await statusData(deps, caller, [tenant])) as unknown as AdaptiveCard;
  });
}

/** The card data. Everything comes from the caller's workspace: tenants, subscriptions and job runs filtered by it. */
export async function statusData(deps: Pick<Deps, 'store' | 'scheduler' | 'now'>, caller: Caller, tenants: Tenant[]) {
  const sorted = [...tenants].sort((a, b) => (a.displayName || a.id).localeCompare(b.displayName || b.id));
  const views = [];
  let bytes = 0;
  for (const tenant of sorted.slice(0, MAX_TENANTS)) {
    const subscriptions = await deps.store.subscriptions.find(caller.workspaceId, { tenantId: tenant.id }, { sort: { field: 'displayName', dir: 1 } });
    // Jobs carry { workspaceId, tenantId } in their data; a job without workspaceId is never shown here, so two
    // workspaces that connected the same Microsoft tenant never see each other's runs.
    const runs = await deps.scheduler.lastRuns({ data: { workspaceId: caller.workspaceId, tenantId: tenant.id } });
    const view = tenantView(tenant, subscriptions, runs);
    const size = Buffer.byteLength(JSON.stringify(view));
    if (views.length > 0 && bytes + size > TENANT_DATA_BUDGET_BYTES) break;
    views.push(view);
    bytes += size;
  }
  const count = `${tenants.length} connected tenant${tenants.length === 1 ? '' : 's'}${tenants.length > views.length ? ` (first ${views.length} shown)` : ''}`;
  return defuseTemplateText({ summary: `${count} · your role: ${caller.role} · as of ${utc(deps.now())}`, tenants: views });
}

export type StatusData = Awaited<ReturnType<typeof statusData>>;
