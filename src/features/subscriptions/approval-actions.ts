import type { TurnContext } from 'botbuilder';
import type { Deps } from '../../deps.js';
import type { Approval } from '../../store/types.js';
import { refuse, requireCaller, requireOwned, requireRole, resolveCaller, type Caller } from '../../teams/guards.js';
import { approvalCard, updateApprovalCards } from './approval-cards.js';
import type { Viewer } from './approval-view.js';
import { expireIfDue } from './approvals.js';
import { startRoleSignIn } from './role-sign-in.js';

const REFUSED = 'Refused: see my message in this conversation.';

/**
 * Sends the invoke response of an Action.Execute with a card for this user only. teams-ai would turn a returned
 * card that has `refresh` into replace-for-all (a PUT of the shared message); a user-specific view must not be.
 */
export async function respondWithCard(context: TurnContext, card: Record<string, unknown>): Promise<string> {
  await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } } });
  return '';
}

function viewerOf(caller: Pick<Caller, 'aadObjectId' | 'role'>, a: Approval): Viewer {
  if (a.status === 'approved' && a.approver?.aadObjectId === caller.aadObjectId) return 'signer';
  if (a.status === 'pending' && caller.role !== 'viewer' && caller.aadObjectId !== a.requestedBy.aadObjectId) return 'approver';
  return 'other';
}

/** `approval.view`: the refresh of a user-specific view. Quiet: an automatic refresh never posts a message. */
export async function viewApproval(deps: Deps, context: TurnContext, data: { approvalId?: unknown }): Promise<string> {
  const caller = await resolveCaller(deps, context);
  const id = data?.approvalId;
  const approval = 'refused' in caller || typeof id !== 'string' || id.length === 0 || id.length > 100 ? undefined : await deps.store.approvals.get(caller.workspaceId, id);
  if (!approval || 'refused' in caller) {
    deps.logger.warn({ approvalId: typeof id === 'string' ? id.slice(0, 100) : undefined }, 'approval.view for an approval not in the caller workspace');
    return 'This approval is not available to you.';
  }
  const current = (await expireIfDue(deps, approval)) ?? approval;
  const viewer = viewerOf(caller, current);
  // The signer's view always carries a working link (a fresh single-use state), so the refresh or "Show my options"
  // that follows a replaced card (a reload, a shared update) gives the sign-in back in one step, not two.
  const signIn = viewer === 'signer' ? await startRoleSignIn(deps, context, caller, current.tenantId, { kind: 'approve', approvalId: current.id }) : undefined;
  return respondWithCard(context, await approvalCard(deps, current, viewer, signIn?.url));
}

/** The copy of the card that was clicked: the message the invoke replies to, in the conversation of the click. */
function clickedCopy(context: TurnContext): { conversationId: string; activityId: string } | undefined {
  const activityId = context.activity.replyToId;
  return activityId ? { conversationId: context.activity.conversation.id, activityId } : undefined;
}

/** Loads the approval an answer is about and checks who answers: a workspace admin who did not ask. */
async function answerable(deps: Deps, context: TurnContext, action: string, data: { approvalId?: unknown }): Promise<{ caller: Caller; approval: Approval } | string> {
  const caller = await requireRole(deps, context, 'admin', action, { doing: 'answer approval requests' });
  if (!caller) return REFUSED;
  const approval = await requireOwned(deps, context, caller, 'approvals', data?.approvalId, action);
  if (!approval) return REFUSED;
  if (approval.requestedBy.aadObjectId === caller.aadObjectId) {
    await refuse(deps, context, caller, { action, target: approval.id, reason: 'self-approval', message: 'You asked for this change, so you cannot answer it: another workspace admin must. Nothing was changed.' });
    return REFUSED;
  }
  const expired = await expireIfDue(deps, approval);
  if (expired || approval.status === 'expired') {
    await refuse(deps, context, caller, { action, target: approval.id, reason: 'expired', message: `This request expired at ${approval.expiresAt.slice(0, 16).replace('T', ' ')} UTC and can no longer be answered. The requester can ask again from \`subscriptions\`.` });
    return REFUSED;
  }
  if (approval.status !== 'pending') return `This request was already answered (${approval.status}${approval.approver ? ` by ${approval.approver.name}` : ''}).`;
  return { caller, approval };
}

/** `approval.approve`: records the decision, then gives the approver the sign-in that changes the role. */
export async function approve(deps: Deps, context: TurnContext, data: { approvalId?: unknown }): Promise<string> {
  const checked = await answerable(deps, context, 'approval.approve', data);
  if (typeof checked === 'string') return checked;
  const { caller, approval } = checked;
  const approved: Approval = { ...approval, status: 'approved', approver: { aadObjectId: caller.aadObjectId, name: caller.name }, decidedAt: deps.now().toISOString() };
  if (!(await deps.store.approvals.replaceIf(approved, { status: 'pending' }))) return 'This request was answered by someone else a moment ago.';
  await deps.store.audit.append({ workspaceId: caller.workspaceId, tenantId: approval.tenantId, actor: caller.aadObjectId, action: 'approval.approve', target: approval.id, outcome: 'success', detail: { subscriptionId: approval.subscriptionId, requestedBy: approval.requestedBy.aadObjectId } });
  const { url } = await startRoleSignIn(deps, context, caller, approval.tenantId, { kind: 'approve', approvalId: approval.id });
  // The approver's answer replaces the clicked copy for them with the signer view and its link. A PUT of that same
  // message replaces it for everyone, the approver included, and reaches the client by another path than the invoke
  // response, so whichever lands last wins (about 1 run in 8 the link vanished). So the clicked copy is not PUT: its
  // other readers get the outcome through `refresh` (the approvers listed in it) or "Show my options", and every copy
  // is PUT again once the request completes, fails or expires, when no one needs a personal view any more.
  await updateApprovalCards(deps, approved, { except: clickedCopy(context) });
  return respondWithCard(context, await approvalCard(deps, approved, 'signer', url));
}

/** `approval.reject`: records the refusal; the mode is unchanged. */
export async function reject(deps: Deps, context: TurnContext, data: { approvalId?: unknown }): Promise<string> {
  const checked = await answerable(deps, context, 'approval.reject', data);
  if (typeof checked === 'string') return checked;
  const { caller, approval } = checked;
  const rejected: Approval = { ...approval, status: 'rejected', approver: { aadObjectId: caller.aadObjectId, name: caller.name }, decidedAt: deps.now().toISOString() };
  if (!(await deps.store.approvals.replaceIf(rejected, { status: 'pending' }))) return 'This request was answered by someone else a moment ago.';
  await deps.store.audit.append({ workspaceId: caller.workspaceId, tenantId: approval.tenantId, actor: caller.aadObjectId, action: 'approval.reject', target: approval.id, outcome: 'success', detail: { subscriptionId: approval.subscriptionId } });
  await updateApprovalCards(deps, rejected);
  return respondWithCard(context, await approvalCard(deps, rejected, 'other'));
}

/** `approval.signin`: a new sign-in link for the approver whose earlier one expired or was lost. */
export async function newSignInLink(deps: Deps, context: TurnContext, data: { approvalId?: unknown }): Promise<string> {
  const caller = await requireCaller(deps, context, 'approval.signin');
  if (!caller) return REFUSED;
  const approval = await requireOwned(deps, context, caller, 'approvals', data?.approvalId, 'approval.signin');
  if (!approval) return REFUSED;
  if (await expireIfDue(deps, approval)) return 'This request has expired; nothing was changed.';
  if (approval.status !== 'approved' || approval.approver?.aadObjectId !== caller.aadObjectId) {
    await refuse(deps, context, caller, { action: 'approval.signin', target: approval.id, reason: 'not the approver', message: 'Only the admin who approved this request can sign in to complete it.' });
    return REFUSED;
  }
  const { url } = await startRoleSignIn(deps, context, caller, approval.tenantId, { kind: 'approve', approvalId: approval.id });
  return respondWithCard(context, await approvalCard(deps, approval, 'signer', url));
}
