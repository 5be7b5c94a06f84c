import { CardFactory, TeamsInfo, type TurnContext } from 'botbuilder';
import type { Deps } from '../../deps.js';
import type { Approval } from '../../store/types.js';
import { scopedId } from '../../store/types.js';
import { approvalCardData, eligibleApprovers, withRefresh, type Viewer } from './approval-view.js';

export const APPROVALS_TOPIC = 'approvals';
type CardDeps = Pick<Deps, 'store' | 'cards' | 'proactive' | 'logger'>;

/** The approval card for one viewer, with `refresh` while the request is live. */
export async function approvalCard(deps: Pick<Deps, 'store' | 'cards'>, a: Approval, viewer: Viewer, signInUrl?: string): Promise<Record<string, unknown>> {
  const [sub, workspace] = await Promise.all([
    a.subscriptionId ? deps.store.subscriptions.get(a.workspaceId, scopedId(a.tenantId, a.subscriptionId)) : undefined,
    deps.store.workspaces.get(a.workspaceId, a.workspaceId),
  ]);
  return withRefresh(deps.cards.expand('approval', approvalCardData(a, sub, workspace, viewer, signInUrl)), a);
}

/**
 * Posts the shared view of the approval card to every conversation subscribed to `approvals` and to the
 * requester's conversation, and resolves where each copy lives (to update them all later).
 */
export async function postApprovalCards(deps: CardDeps, a: Approval, requesterConversationId: string): Promise<NonNullable<Approval['cards']>> {
  const card = CardFactory.adaptiveCard(await approvalCard(deps, a, 'other'));
  const targets = new Set((await deps.store.conversations.find(a.workspaceId, { topics: APPROVALS_TOPIC })).map((c) => c.id));
  targets.add(requesterConversationId);
  const posted: NonNullable<Approval['cards']> = [];
  for (const conversationId of targets) {
    const { value } = await deps.proactive.inConversation(a.workspaceId, conversationId, async (context) => (await context.sendActivity({ attachments: [card] }))?.id);
    if (value) posted.push({ conversationId, activityId: value });
  }
  return posted;
}

/** A Teams channel conversation id may carry the thread (`;messageid=…`); a copy is stored under the bare id. */
const bareConversationId = (id: string) => id.split(';')[0];

/** Whether `copy` is the message `activityId` in `conversationId` (thread suffix ignored). */
export function isSameCopy(copy: { conversationId: string; activityId: string }, other: { conversationId: string; activityId: string }): boolean {
  return copy.activityId === other.activityId && bareConversationId(copy.conversationId) === bareConversationId(other.conversationId);
}

/**
 * Replaces every copy of the card with the current shared view, so everyone sees the outcome. `except` is a copy
 * left alone: the one whose click is being answered with a user-specific view (see `approve`).
 */
export async function updateApprovalCards(deps: CardDeps, a: Approval, opts: { except?: { conversationId: string; activityId: string } } = {}): Promise<number> {
  const card = CardFactory.adaptiveCard(await approvalCard(deps, a, 'other'));
  let updated = 0;
  for (const copy of a.cards ?? []) {
    if (opts.except && isSameCopy(copy, opts.except)) continue;
    const { result } = await deps.proactive.inConversation(a.workspaceId, copy.conversationId, (context) => context.updateActivity({ type: 'message', id: copy.activityId, attachments: [card] }));
    if (result === 'sent') updated++;
    else deps.logger.warn({ approvalId: a.id, conversationId: copy.conversationId, result }, 'could not update an approval card');
  }
  return updated;
}

/**
 * Teams user ids (`29:…`) of the admins who may answer, for `refresh.userIds` (at most 60). Looked up in the
 * conversation of the request, then in the `approvals` channels, then in stored personal chats. Teams finds a
 * member by object id; the Agents Playground only by Teams id, so each roster is also scanned.
 */
export async function approverTeamsIds(deps: Pick<Deps, 'store' | 'proactive'>, context: TurnContext, a: Approval): Promise<string[]> {
  const workspace = await deps.store.workspaces.get(a.workspaceId, a.workspaceId);
  const wanted = new Map(eligibleApprovers(workspace, a).map((x) => [x.aadObjectId.toLowerCase(), '']));
  const missing = () => [...wanted.keys()].filter((k) => !wanted.get(k));
  const merge = (found: Map<string, string>) => found.forEach((id, aad) => wanted.has(aad) && !wanted.get(aad) && wanted.set(aad, id));
  merge(await lookUpMembers(context, missing()));
  for (const c of missing().length ? await deps.store.conversations.find(a.workspaceId, { topics: APPROVALS_TOPIC }) : []) {
    const { value } = await deps.proactive.inConversation(a.workspaceId, c.id, (ctx) => lookUpMembers(ctx, missing()));
    if (value) merge(value);
  }
  if (missing().length) {
    const personal = await deps.store.conversations.find(a.workspaceId, { kind: 'personal' }, { limit: 500 });
    merge(new Map(personal.filter((c) => c.reference.user?.aadObjectId && c.reference.user.id).map((c) => [c.reference.user!.aadObjectId!.toLowerCase(), c.reference.user!.id])));
  }
  return [...wanted.values()].filter(Boolean).slice(0, 60);
}

/** Object id (lower case) → Teams id of those of `aadObjectIds` who are members of the context's conversation. */
async function lookUpMembers(context: TurnContext, aadObjectIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (aadObjectIds.length === 0) return out;
  for (const aad of aadObjectIds) {
    const member = await TeamsInfo.getMember(context, aad).catch(() => undefined);
    if (member?.id) out.set(aad, member.id);
  }
  if (out.size < aadObjectIds.length) {
    const page = await TeamsInfo.getPagedMembers(context, 500).catch(() => undefined);
    for (const m of page?.members ?? []) if (m.aadObjectId && aadObjectIds.includes(m.aadObjectId.toLowerCase())) out.set(m.aadObjectId.toLowerCase(), m.id);
  }
  return out;
}
