import type { AdaptiveCard, Application } from '@microsoft/teams-ai';
import type { Deps } from '../../deps.js';
import type { Caller } from '../../teams/guards.js';
import { requireCaller, requireOwned } from '../../teams/guards.js';
import { pageFromCardData } from '../../teams/card-data.js';
import { approve, newSignInLink, reject, viewApproval } from './approval-actions.js';
import { defineExpireJob, openApproval } from './approvals.js';
import { isLive } from './approval-view.js';
import { clampPage, modesCardData, PAGE_SIZE, subscriptionsPageData } from './list-view.js';
import { setMode } from './mode-change.js';

export { completeRoleSignIn } from './role-complete.js';
export { SYNC_MODES, modeLabel } from './modes.js';

const REFUSED = 'Refused: see my message in this conversation.';

/** `subscriptions` (everyone), sync-mode changes (admins) and the Read and Write Tags approvals. */
export function register(app: Application, deps: Deps): void {
  deps.commands.add({ usage: 'subscriptions', description: 'Connected Azure subscriptions: role, sync mode, resource and tag counts, last sync; admins change the sync mode here.', audience: 'everyone' });

  app.message(/^\s*subscriptions\s*$/i, async (context) => {
    const caller = await requireCaller(deps, context, 'subscriptions.show');
    if (!caller) return;
    await context.sendActivity({ attachments: [deps.cards.attachment('subscriptions', await listData(deps, caller, 0))] });
  });

  app.adaptiveCards.actionExecute<{ page?: unknown }>('subscriptions.page', async (context, _state, data) => {
    const caller = await requireCaller(deps, context, 'subscriptions.show');
    if (!caller) return REFUSED;
    return deps.cards.expand('subscriptions', await listData(deps, caller, pageFromCardData(data?.page) ?? 0)) as unknown as AdaptiveCard;
  });

  app.adaptiveCards.actionExecute<{ subscriptionId?: unknown }>('subscriptions.modes', async (context, _state, data) => {
    const caller = await requireCaller(deps, context, 'subscriptions.modes');
    if (!caller) return REFUSED;
    const sub = await requireOwned(deps, context, caller, 'subscriptions', data?.subscriptionId, 'subscriptions.modes');
    if (!sub) return REFUSED;
    return deps.cards.expand('subscription-modes', modesCardData(sub, await openApproval(deps, sub))) as unknown as AdaptiveCard;
  });

  app.adaptiveCards.actionExecute<{ subscriptionId?: unknown; mode?: unknown }>('subscriptions.setMode', (context, _state, data) => setMode(deps, context, data));
  app.adaptiveCards.actionExecute<{ approvalId?: unknown }>('approval.view', (context, _state, data) => viewApproval(deps, context, data));
  app.adaptiveCards.actionExecute<{ approvalId?: unknown }>('approval.approve', (context, _state, data) => approve(deps, context, data));
  app.adaptiveCards.actionExecute<{ approvalId?: unknown }>('approval.reject', (context, _state, data) => reject(deps, context, data));
  app.adaptiveCards.actionExecute<{ approvalId?: unknown }>('approval.signin', (context, _state, data) => newSignInLink(deps, context, data));

  defineExpireJob(deps);
}

async function listData(deps: Deps, caller: Caller, page: number) {
  const [total, tenants, approvals] = await Promise.all([
    deps.store.subscriptions.count(caller.workspaceId),
    deps.store.tenants.find(caller.workspaceId),
    deps.store.approvals.find(caller.workspaceId, { kind: 'syncMode' }, { sort: { field: 'requestedAt', dir: -1 }, limit: 200 }),
  ]);
  const { current } = clampPage(total, page);
  const shown = await deps.store.subscriptions.find(caller.workspaceId, {}, { sort: { field: 'displayName', dir: 1 }, offset: current * PAGE_SIZE, limit: PAGE_SIZE });
  return subscriptionsPageData(shown, total, tenants, approvals.filter(isLive), current, caller.role);
}
