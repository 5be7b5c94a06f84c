import type { CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import type { Activity } from 'botbuilder';
import type { Logger } from '../logging.js';
import type { Store } from '../store/port.js';

export type ProactiveResult = 'sent' | 'dropped' | 'missing' | 'failed';

/** Sends messages outside a turn, to stored conversation references. */
export interface Proactive {
  /** Sends to one stored conversation. A 403/404 means the bot was removed: the reference is dropped. */
  send(workspaceId: string, conversationId: string, activity: Partial<Activity> | string): Promise<ProactiveResult>;
  /** Sends to every conversation of the workspace subscribed to `topic`; resolves per-outcome counts. */
  sendToTopic(workspaceId: string, topic: string, activity: Partial<Activity> | string): Promise<Record<ProactiveResult, number>>;
  /**
   * Runs `fn` with a turn context in one stored conversation: to post a card and keep its activity id, to update
   * a card already posted (`context.updateActivity`), or to read the conversation's roster. Outcomes as `send`.
   */
  inConversation<T>(workspaceId: string, conversationId: string, fn: (context: TurnContext) => Promise<T>): Promise<{ result: ProactiveResult; value?: T }>;
}

export function createProactive(deps: { adapter: CloudAdapter; botAppId: string; store: Store; logger: Logger }): Proactive {
  const { adapter, botAppId, store, logger } = deps;
  const send = async (workspaceId: string, conversationId: string, activity: Partial<Activity> | string): Promise<ProactiveResult> => {
    const record = await store.conversations.get(workspaceId, conversationId);
    if (!record) return 'missing';
    try {
      // The adapter hands errors thrown in the callback to onTurnError (the app's chat apology), so the
      // send failure is carried out of the callback by hand.
      let failure: unknown;
      await adapter.continueConversationAsync(botAppId, record.reference as ConversationReference, async (context) => {
        await context.sendActivity(activity).catch((err: unknown) => {
          failure = err;
        });
      });
      if (failure) throw failure;
      return 'sent';
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 403 || status === 404) {
        await store.conversations.delete(workspaceId, conversationId);
        logger.info({ workspaceId, conversationId, status }, 'proactive send refused: bot no longer in the conversation; reference dropped');
        return 'dropped';
      }
      logger.warn({ workspaceId, conversationId, err }, 'proactive send failed');
      return 'failed';
    }
  };
  const inConversation = async <T>(workspaceId: string, conversationId: string, fn: (context: TurnContext) => Promise<T>): Promise<{ result: ProactiveResult; value?: T }> => {
    const record = await store.conversations.get(workspaceId, conversationId);
    if (!record) return { result: 'missing' };
    let failure: unknown;
    let value: T | undefined;
    try {
      await adapter.continueConversationAsync(botAppId, record.reference as ConversationReference, async (context) => {
        value = await fn(context).catch((err: unknown) => {
          failure = err;
          return undefined;
        });
      });
      if (failure) throw failure;
      return { result: 'sent', value };
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 403 || status === 404) {
        await store.conversations.delete(workspaceId, conversationId);
        logger.info({ workspaceId, conversationId, status }, 'proactive call refused: bot no longer in the conversation; reference dropped');
        return { result: 'dropped' };
      }
      logger.warn({ workspaceId, conversationId, err }, 'proactive call failed');
      return { result: 'failed' };
    }
  };
  return {
    send,
    inConversation,
    async sendToTopic(workspaceId, topic, activity) {
      const counts: Record<ProactiveResult, number> = { sent: 0, dropped: 0, missing: 0, failed: 0 };
      for (const conversation of await store.conversations.find(workspaceId, { topics: topic })) {
        counts[await send(workspaceId, conversation.id, activity)]++;
      }
      return counts;
    },
  };
}
