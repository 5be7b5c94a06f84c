import type { Deps } from '../../deps.js';
import type { DelegatedGrant } from '../../microsoft/index.js';
import { scopedId, type Approval, type ConsentState, type Subscription, type SyncMode } from '../../store/types.js';
import { refuse, tell } from '../consent/outcomes.js';
import type { CallbackPage } from '../consent/pages.js';
import { updateApprovalCards } from './approval-cards.js';
import { cancelPendingEdits } from './edits-on-mode.js';
import { isSyncMode, modeLabel } from './modes.js';
import { changeRole } from './role-change.js';

/**
 * The callback of an `approval` sign-in (registered in consent's PURPOSE_HANDLERS): with the Owner's delegated
 * token, moves our role up (an approved request: Tag Contributor, then Reader removed) or down (Reader restored,
 * then Tag Contributor removed), and only then changes the sync mode. A failed role change keeps the mode and
 * says why, on the page, in the conversation and on every copy of the approval card.
 */
export async function completeRoleSignIn(deps: Deps, state: ConsentState, grant: DelegatedGrant): Promise<CallbackPage> {
  const ctx = state.context ?? {};
  if (ctx.kind === 'approve') return completeApproval(deps, state, grant, ctx.approvalId);
  if (ctx.kind === 'down' && isSyncMode(ctx.toMode)) return completeDown(deps, state, grant, ctx.tenantId, ctx.subscriptionId, ctx.toMode);
  return refuse(deps, state, 'This sign-in link does not say what to change.', { context: ctx });
}

async function completeApproval(deps: Deps, state: ConsentState, grant: DelegatedGrant, approvalId: string | undefined): Promise<CallbackPage> {
  const approval = approvalId ? await deps.store.approvals.get(state.workspaceId, approvalId) : undefined;
  if (!approval) return refuse(deps, state, 'The approval this sign-in was for no longer exists.', { approvalId });
  if (approval.status !== 'approved') return refuse(deps, state, `The request is ${approval.status}, so nothing was changed.`, { approvalId });
  if (approval.approver?.aadObjectId !== state.aadObjectId) return refuse(deps, state, 'Only the admin who approved the request can complete it.', { approvalId });
  if (Date.parse(approval.expiresAt) <= deps.now().getTime()) return refuse(deps, state, 'The request expired before the sign-in.', { approvalId });
  const sub = await deps.store.subscriptions.get(state.workspaceId, scopedId(approval.tenantId, approval.subscriptionId ?? ''));
  if (!sub) return refuse(deps, state, 'The subscription is no longer connected.', { approvalId });
  const outcome = await roleAndMode(deps, state, grant, sub, 'readWriteTags', { approvalId });
  const done: Approval = { ...approval, status: outcome.ok ? 'completed' : 'failed', detail: outcome.text, decidedAt: approval.decidedAt };
  if (await deps.store.approvals.replaceIf(done, { status: 'approved' })) await updateApprovalCards(deps, done);
  return page(outcome.ok, outcome.text, sub);
}

async function completeDown(deps: Deps, state: ConsentState, grant: DelegatedGrant, tenantId: string | undefined, subscriptionId: string | undefined, toMode: SyncMode): Promise<CallbackPage> {
  const sub = tenantId && subscriptionId ? await deps.store.subscriptions.get(state.workspaceId, scopedId(tenantId, subscriptionId)) : undefined;
  if (!sub) return refuse(deps, state, 'The subscription is no longer connected.', { subscriptionId });
  if (sub.syncMode !== 'readWriteTags') return refuse(deps, state, `The subscription is already ${modeLabel(sub.syncMode)}.`, { subscriptionId });
  const outcome = await roleAndMode(deps, state, grant, sub, toMode, {});
  return page(outcome.ok, outcome.text, sub);
}

/** The role change, then (only if it succeeded) the mode change; audited, and told in the sign-in's conversation. */
async function roleAndMode(deps: Deps, state: ConsentState, grant: DelegatedGrant, sub: Subscription, toMode: SyncMode, reason: Record<string, unknown>): Promise<{ ok: boolean; text: string }> {
  const to = toMode === 'readWriteTags' ? 'Tag Contributor' : 'Reader';
  const arm = deps.microsoft.arm(deps.microsoft.delegatedCredential(grant.accessToken, grant.expiresOn));
  const result = await changeRole(deps, { sub, to, arm, actor: state.aadObjectId, signedInAs: grant.userPrincipalName, reason });
  const from = sub.syncMode;
  if (!result.ok) {
    await deps.store.audit.append({ workspaceId: sub.workspaceId, tenantId: sub.tenantId, actor: state.aadObjectId, action: 'subscription.syncMode', target: sub.id, outcome: 'failure', detail: { from, to: toMode, reason: result.reason, ...reason } });
    const text = `${result.reason} ${sub.displayName} stays ${modeLabel(from)}.`;
    await tell(deps, state, `❌ ${text}`);
    return { ok: false, text };
  }
  const now = deps.now().toISOString();
  const fresh = (await deps.store.subscriptions.get(sub.workspaceId, sub.id)) ?? sub;
  await deps.store.subscriptions.upsert({ ...fresh, role: to, syncMode: toMode, roleAssignmentIds: [result.assignmentId, ...result.kept], updatedAt: now });
  await deps.store.audit.append({ workspaceId: sub.workspaceId, tenantId: sub.tenantId, actor: state.aadObjectId, action: 'subscription.syncMode', target: sub.id, outcome: 'success', detail: { from, to: toMode, role: to, signedInAs: grant.userPrincipalName, ...reason } });
  const cancelled = toMode === 'readWriteTags' ? 0 : await cancelPendingEdits(deps, fresh, state.aadObjectId);
  const swapped = to === 'Tag Contributor' ? 'Tag Contributor assigned, Reader removed' : 'Reader restored, Tag Contributor removed';
  const text = `${swapped}: ${sub.displayName} is now ${modeLabel(toMode)}.${result.removalProblem ? ` But ${result.removalProblem}` : ''}${cancelled ? ` ${cancelled} queued tag edit(s) were cancelled: they can no longer be written.` : ''}`;
  await tell(deps, state, `✅ ${text}`);
  return { ok: true, text };
}

function page(ok: boolean, text: string, sub: Subscription): CallbackPage {
  return ok
    ? { status: 200, title: `Done: ${sub.displayName}`, lines: [text] }
    : { status: 400, title: 'The role could not be changed', lines: [text, 'The sync mode is unchanged.'] };
}
