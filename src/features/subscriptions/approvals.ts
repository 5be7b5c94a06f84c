import { randomUUID } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import type { Deps } from '../../deps.js';
import type { Approval, Subscription } from '../../store/types.js';
import { rememberConversation } from '../../teams/conversations.js';
import type { Caller } from '../../teams/guards.js';
import { approverTeamsIds, postApprovalCards, updateApprovalCards } from './approval-cards.js';
import { eligibleApprovers, isLive } from './approval-view.js';

export const EXPIRE_JOB = 'approvals.expire';
export const DEFAULT_APPROVAL_TTL_HOURS = 24;

export interface ExpireJobData {
  workspaceId: string;
  approvalId: string;
}

/** The open (pending or approved) request for a subscription, if any. */
export async function openApproval(deps: Pick<Deps, 'store'>, sub: Subscription): Promise<Approval | undefined> {
  const found = await deps.store.approvals.find(sub.workspaceId, { tenantId: sub.tenantId, subscriptionId: sub.subscriptionId }, { sort: { field: 'requestedAt', dir: -1 }, limit: 5 });
  return found.find(isLive);
}

/**
 * A request to move a subscription to Read and Write Tags: stored (pending, expiring after the workspace's TTL,
 * 24 h by default), audited, posted to the `approvals` conversations and to the requester, and its expiry scheduled.
 */
export async function requestReadWrite(deps: Deps, context: TurnContext, caller: Caller, sub: Subscription): Promise<Approval> {
  const now = deps.now();
  const ttlHours = caller.workspace?.settings.approvalTtlHours ?? DEFAULT_APPROVAL_TTL_HOURS;
  const conversation = await rememberConversation(deps.store, context, now);
  let approval: Approval = {
    id: randomUUID(),
    workspaceId: caller.workspaceId,
    kind: 'syncMode',
    tenantId: sub.tenantId,
    subscriptionId: sub.subscriptionId,
    request: { fromMode: sub.syncMode, toMode: 'readWriteTags' },
    requestedBy: { aadObjectId: caller.aadObjectId, name: caller.name },
    requestedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttlHours * 3600_000).toISOString(),
    status: 'pending',
  };
  approval.refreshUserIds = await approverTeamsIds(deps, context, approval);
  await deps.store.approvals.insert(approval);
  await deps.store.audit.append({
    workspaceId: caller.workspaceId, tenantId: sub.tenantId, actor: caller.aadObjectId, action: 'approval.request', target: approval.id, outcome: 'success',
    detail: { subscriptionId: sub.subscriptionId, from: sub.syncMode, to: 'readWriteTags', expiresAt: approval.expiresAt, approvers: eligibleApprovers(caller.workspace, approval).map((a) => a.aadObjectId) },
  });
  await deps.scheduler.schedule<ExpireJobData>(new Date(approval.expiresAt), EXPIRE_JOB, { workspaceId: caller.workspaceId, approvalId: approval.id });
  const cards = await postApprovalCards(deps, approval, conversation?.id ?? context.activity.conversation.id);
  approval = { ...approval, cards, card: cards[0] };
  await deps.store.approvals.replaceIf(approval, { status: 'pending' });
  return approval;
}

/**
 * Marks a live request expired once its time has passed (compare-and-set, so a decision racing the expiry wins
 * or loses cleanly), audits it and updates every copy of the card. Resolves the expired record, if it expired now.
 */
export async function expireIfDue(deps: Deps, approval: Approval): Promise<Approval | undefined> {
  if (!isLive(approval) || Date.parse(approval.expiresAt) > deps.now().getTime()) return undefined;
  const expired: Approval = { ...approval, status: 'expired' };
  if (!(await deps.store.approvals.replaceIf(expired, { status: approval.status }))) return undefined;
  await deps.store.audit.append({ workspaceId: approval.workspaceId, tenantId: approval.tenantId, actor: `job:${EXPIRE_JOB}`, action: 'approval.expire', target: approval.id, outcome: 'success', detail: { was: approval.status } });
  await updateApprovalCards(deps, expired);
  return expired;
}

/** Registers `approvals.expire`: one run per request, at its expiry. */
export function defineExpireJob(deps: Deps): void {
  deps.scheduler.define<ExpireJobData>(EXPIRE_JOB, async (data) => {
    if (typeof data?.workspaceId !== 'string' || typeof data.approvalId !== 'string') throw new Error('approvals.expire needs { workspaceId, approvalId }');
    const approval = await deps.store.approvals.get(data.workspaceId, data.approvalId);
    if (approval) await expireIfDue(deps, approval);
  });
}
