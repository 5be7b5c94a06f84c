import { TurnContext } from 'botbuilder';
import type { Store } from '../store/port.js';
import type { ConversationRecord } from '../store/types.js';
import { conversationKind, workspaceIdOf } from './turn.js';

/** Topics a team's General channel gets when the bot is installed there (issue: notifications). */
export const DEFAULT_TEAM_TOPICS = ['health', 'approvals'];

/**
 * Stores (or refreshes) the reference used for proactive messages. Topics already chosen are kept; a new team
 * install starts with DEFAULT_TEAM_TOPICS so that health and approvals reach someone.
 */
export async function rememberConversation(store: Store, context: TurnContext, now: Date): Promise<ConversationRecord | undefined> {
  const workspaceId = workspaceIdOf(context);
  const reference = TurnContext.getConversationReference(context.activity);
  const id = reference.conversation?.id;
  if (!workspaceId || !id) return undefined;
  const existing = await store.conversations.get(workspaceId, id);
  const kind = conversationKind(context);
  const record: ConversationRecord = {
    id,
    workspaceId,
    reference: JSON.parse(JSON.stringify(reference)) as ConversationRecord['reference'],
    topics: existing?.topics ?? (kind === 'channel' ? [...DEFAULT_TEAM_TOPICS] : []),
    kind,
    name: reference.conversation?.name ?? existing?.name,
    updatedAt: now.toISOString(),
  };
  await store.conversations.upsert(record);
  return record;
}

export async function forgetConversation(store: Store, context: TurnContext): Promise<boolean> {
  const workspaceId = workspaceIdOf(context);
  const id = context.activity.conversation?.id;
  if (!workspaceId || !id) return false;
  return store.conversations.delete(workspaceId, id);
}
