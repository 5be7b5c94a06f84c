import type { AdaptiveCard } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Deps } from '../../deps.js';
import type { Approval, Subscription, SyncMode } from '../../store/types.js';
import { requireOwned, requireRole, type Caller } from '../../teams/guards.js';
import { updateApprovalCards } from './approval-cards.js';
import { eligibleApprovers } from './approval-view.js';
import { openApproval, requestReadWrite } from './approvals.js';
import { cancelPendingEdits } from './edits-on-mode.js';
import { isSyncMode, modeLabel } from './modes.js';
import { SIGN_IN_NOTE, startRoleSignIn } from './role-sign-in.js';
import { defuseTemplateText } from '../status/view.js';

const REFUSED = 'Refused: see my message in this conversation.';

/**
 * `subscriptions.setMode` {subscriptionId, mode}. Admins only, and only for a subscription of their workspace.
 * Among No Resources, No Tags and Read Tags Only the change takes effect at once and is audited. Up to Read and
 * Write Tags needs an approval; down from it needs an Owner's sign-in (the role goes back to Reader). An open
 * request for the subscription is withdrawn by any other choice.
 */
export async function setMode(deps: Deps, context: TurnContext, data: { subscriptionId?: unknown; mode?: unknown }): Promise<string | AdaptiveCard> {
  const caller = await requireRole(deps, context, 'admin', 'subscriptions.setMode', { doing: 'change sync modes' });
  if (!caller) return REFUSED;
  const sub = await requireOwned(deps, context, caller, 'subscriptions', data?.subscriptionId, 'subscriptions.setMode');
  if (!sub) return REFUSED;
  const to = data?.mode;
  if (!isSyncMode(to)) return 'That is not a sync mode I know; nothing was changed.';
  const open = await openApproval(deps, sub);
  if (to === sub.syncMode) return `${sub.displayName} is already ${modeLabel(to)}.`;
  if (to === 'readWriteTags') {
    if (open) return `A request for ${modeLabel('readWriteTags')} on ${sub.displayName} is already open (${open.status}).`;
    const approval = await requestReadWrite(deps, context, caller, sub);
    const who = eligibleApprovers(caller.workspace, approval).map((a) => a.name).join(', ');
    return `Requested: ${sub.displayName} → ${modeLabel('readWriteTags')}. ${who ? `${who} can approve` : 'No other workspace admin exists yet to approve it (an owner can add one with `admins add`)'}; the request expires ${approval.expiresAt.slice(0, 16).replace('T', ' ')} UTC. The approval card was posted to the approvals channel and here.`;
  }
  if (open) await withdraw(deps, caller, open, to);
  if (sub.syncMode === 'readWriteTags') {
    const { url } = await startRoleSignIn(deps, context, caller, sub.tenantId, { kind: 'down', subscriptionId: sub.subscriptionId, tenantId: sub.tenantId, toMode: to });
    await context.sendActivity({ attachments: [deps.cards.attachment('role-sign-in', defuseTemplateText({ title: `Sign in to move ${sub.displayName} to ${modeLabel(to)}`, text: `Leaving Read and Write Tags restores Reader and removes Tag Contributor, which needs an Owner of the subscription. ${SIGN_IN_NOTE} Until then ${sub.displayName} stays ${modeLabel(sub.syncMode)}.`, url }))] });
    return `Sign in with the link I just posted to finish moving ${sub.displayName} to ${modeLabel(to)}.`;
  }
  return changeAtOnce(deps, caller, sub, to);
}

async function changeAtOnce(deps: Deps, caller: Caller, sub: Subscription, to: SyncMode): Promise<string> {
  const changed: Subscription = { ...sub, syncMode: to, updatedAt: deps.now().toISOString() };
  if (!(await deps.store.subscriptions.replaceIf(changed, { syncMode: sub.syncMode }))) return `${sub.displayName} was changed by someone else a moment ago; look again with \`subscriptions\`.`;
  await deps.store.audit.append({ workspaceId: caller.workspaceId, tenantId: sub.tenantId, actor: caller.aadObjectId, action: 'subscription.syncMode', target: sub.id, outcome: 'success', detail: { from: sub.syncMode, to } });
  await cancelPendingEdits(deps, sub, caller.aadObjectId);
  return `Done: ${sub.displayName} is now ${modeLabel(to)} (was ${modeLabel(sub.syncMode)}). It applies from the next tag sync.`;
}

async function withdraw(deps: Deps, caller: Caller, open: Approval, to: SyncMode): Promise<void> {
  const withdrawn: Approval = { ...open, status: 'rejected', detail: `withdrawn: ${caller.name} chose ${modeLabel(to)} instead`, decidedAt: deps.now().toISOString() };
  if (!(await deps.store.approvals.replaceIf(withdrawn, { status: open.status }))) return;
  await deps.store.audit.append({ workspaceId: caller.workspaceId, tenantId: open.tenantId, actor: caller.aadObjectId, action: 'approval.withdraw', target: open.id, outcome: 'success', detail: { chosen: to } });
  await updateApprovalCards(deps, withdrawn);
}
