import type { TurnContext } from 'botbuilder';
import type { Logger } from '../logging.js';

/** The workspace of a turn is the Teams tenant of the activity. Undefined outside Teams (refuse the turn then). */
export function workspaceIdOf(context: TurnContext): string | undefined {
  const channelData = context.activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannelData = channelData?.tenant?.id;
  const id = typeof fromChannelData === 'string' ? fromChannelData : context.activity.conversation?.tenantId;
  return typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : undefined;
}

export function conversationKind(context: TurnContext): 'personal' | 'channel' | 'groupChat' {
  const type = context.activity.conversation?.conversationType;
  return type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal';
}

/** A child logger carrying the turn's identifiers (never its text: messages may hold pasted tokens). */
export function turnLogger(logger: Logger, context: TurnContext): Logger {
  const a = context.activity;
  return logger.child({ activityId: a.id, type: a.type, workspaceId: workspaceIdOf(context), conversationId: a.conversation?.id, userId: a.from?.aadObjectId ?? a.from?.id });
}
