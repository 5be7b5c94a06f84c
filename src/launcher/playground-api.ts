import { openWebSocket, type TextWebSocket } from './websocket.js';

/**
 * Drives the Microsoft 365 Agents Playground 0.2.28 the way its web UI does, for end-to-end tests. These endpoints
 * are internal and undocumented (read from the package's bundle); the version is pinned in package.json.
 *
 * - `POST /_conversation/v1/conversations/{conversationId}/messages` `{from:{id}, text, textFormat, mentions?}`
 *   sends a user message. `from.id` must be a member of that conversation: the personal chat holds only
 *   `currentUser`; the team's channels and the group chat hold `currentUser` and the 5 `users`. In a personal chat
 *   the bot always gets the message; in a channel or group chat only when it is @mentioned
 *   (`mentions: [{mentioned:{id: botId}, text:'<at>Name</at>'}]`, the same `<at>…</at>` in `text`). A channel
 *   message starts a new thread: the answer holds `postConversationId` (`{channelId};messageid={id}`), and the
 *   bot's replies arrive in that conversation. Answer: `{messageId, postConversationId?, timestamp}`; the bot is
 *   called after the answer is sent.
 * - `POST /_conversation/v1/invoke` `{name:'adaptiveCard/action', value:{action:{type:'Action.Execute', verb,
 *   data}, trigger:'manual'}, from:{id}, conversation:{id}, replyToId}` clicks an Action.Execute button on the
 *   bot's message `replyToId`. Answer: the bot's invoke response `{type, value}` (a card replaces the message).
 * - `GET /_internal/v1/customActivities/template?conversationId={id}&type={t}` builds an activity as the UI would,
 *   from `currentUser`. Types: install, uninstall, botAdded, botRemoved, userAdded, userRemoved, channelCreated,
 *   channelRenamed, channelDeleted, teamRenamed, teamDeleted, sendEmail, mentionInWord (none: a bare template).
 *   `POST /_internal/v1/customActivities` with that activity (edited if you like) sends it to the bot; it answers
 *   200 at once and delivers in the background. `botAdded` on the team id is "install the bot into the team".
 * - `POST /_debug/conversation/{conversationId}/installation` is what the web UI does when it opens a chat:
 *   installationUpdate (add) plus conversationUpdate (bot added).
 * - `GET /_internal/v1/config` returns the mock data (tenant, bot, users, chats, teams with channel ids). It waits
 *   up to 15 s for the bot endpoint to answer first.
 * - `GET /_debug/ping` answers `pong`.
 * - WebSocket `ws://host:port/_ws_conversation/v1/conversations/stream` pushes what the bot sends:
 *   `{action:'createMessage'|'updateMessage', actionConversationId, message:{messageId, from:{id}, text,
 *   attachments:[{contentType, content}], ...}}` and `{action:'typing', actionConversationId}`. Messages sent while
 *   no client is connected are buffered and go to the next client that connects; messages in personal chats of
 *   users other than `currentUser` are not streamed. The user's own messages are not echoed.
 */
export interface StreamedAction {
  action: 'createMessage' | 'updateMessage' | 'typing';
  actionConversationId: string;
  message?: StreamedMessage;
}

export interface StreamedMessage {
  messageId: string;
  from: { id: string };
  text?: string;
  attachments: { contentType: string; content: unknown }[];
  postConversationId?: string;
}

export interface SendMessageInput {
  conversationId: string;
  /** A `29:` user id from the Playground config. */
  fromId: string;
  text: string;
  /** In channels and group chats, mention the bot so that it receives the message. */
  mentionBot?: { id: string; name: string };
}

export interface PlaygroundConfigView {
  config: {
    tenantId: string;
    bot: { id: string; name: string };
    currentUser: { id: string; aadObjectId: string; name: string };
    users: { id: string; aadObjectId: string; name: string }[];
    personalChat: { id: string };
    groupChats: { id: string; name: string }[];
    teams: { id: string; name: string; channels: { id: string; name: string }[] }[];
  };
}

export class PlaygroundClient {
  constructor(readonly baseUrl: string) {}

  config(): Promise<PlaygroundConfigView> {
    return this.call('GET', '/_internal/v1/config') as Promise<PlaygroundConfigView>;
  }

  /** Sends a user message; see the module comment for who may post where. */
  async sendMessage(input: SendMessageInput): Promise<{ messageId: string; postConversationId?: string }> {
    const tag = input.mentionBot ? `<at>${input.mentionBot.name}</at>` : '';
    const body = {
      from: { id: input.fromId },
      text: tag ? `${tag} ${input.text}` : input.text,
      textFormat: 'plain',
      ...(input.mentionBot ? { mentions: [{ mentioned: { id: input.mentionBot.id }, text: tag }] } : {}),
    };
    return (await this.call('POST', `/_conversation/v1/conversations/${encodeURIComponent(input.conversationId)}/messages`, body)) as {
      messageId: string;
      postConversationId?: string;
    };
  }

  /** Clicks Action.Execute `verb` with `data` on the bot's message `replyToId`, as user `fromId`. */
  invokeAction(input: { conversationId: string; fromId: string; replyToId: string; verb: string; data?: Record<string, unknown> }): Promise<unknown> {
    return this.call('POST', '/_conversation/v1/invoke', {
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: input.verb, data: input.data ?? {} }, trigger: 'manual' },
      from: { id: input.fromId },
      conversation: { id: input.conversationId },
      replyToId: input.replyToId,
    });
  }

  activityTemplate(conversationId: string, type: string): Promise<Record<string, unknown>> {
    const q = new URLSearchParams({ conversationId, type });
    return this.call('GET', `/_internal/v1/customActivities/template?${q}`) as Promise<Record<string, unknown>>;
  }

  /** Sends an activity to the bot as is; delivery happens after this returns. */
  async sendCustomActivity(activity: Record<string, unknown>): Promise<void> {
    await this.call('POST', '/_internal/v1/customActivities', activity);
  }

  /** Installs the bot where the UI would when that chat is opened (installationUpdate + bot added). */
  async openChat(conversationId: string): Promise<void> {
    await this.call('POST', `/_debug/conversation/${encodeURIComponent(conversationId)}/installation`, {});
  }

  /** Opens the stream of what the bot sends. Open it before acting: earlier messages may have gone to the web UI. */
  async stream(): Promise<BotStream> {
    return BotStream.open(this.baseUrl.replace(/^http/, 'ws') + '/_ws_conversation/v1/conversations/stream');
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Playground ${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
    return text ? JSON.parse(text) : undefined;
  }
}

/** Collects streamed bot actions and lets a test wait for the one it expects. */
export class BotStream {
  private readonly seen: StreamedAction[] = [];
  private readonly waiters: { match(a: StreamedAction): boolean; resolve(a: StreamedAction): void }[] = [];

  private constructor(private readonly socket: TextWebSocket) {
    socket.onMessage((text) => {
      const action = JSON.parse(text) as StreamedAction;
      this.seen.push(action);
      for (const w of [...this.waiters]) if (w.match(action)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(action);
      }
    });
  }

  static async open(url: string): Promise<BotStream> {
    return new BotStream(await openWebSocket(url));
  }

  /** Everything received so far. */
  all(): StreamedAction[] {
    return [...this.seen];
  }

  /** The first action (already received or still to come) that matches. */
  next(match: (a: StreamedAction) => boolean, timeoutMs = 10_000): Promise<StreamedAction> {
    const found = this.seen.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No matching bot activity within ${timeoutMs} ms; got: ${JSON.stringify(this.seen).slice(0, 1000)}`)), timeoutMs);
      this.waiters.push({ match, resolve: (a) => (clearTimeout(timer), resolve(a)) });
    });
  }

  close(): Promise<void> {
    return this.socket.close();
  }
}

/** The Adaptive Card content of a streamed message, if it carries one. */
export function adaptiveCardOf(action: StreamedAction): Record<string, unknown> | undefined {
  const card = action.message?.attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  return card?.content as Record<string, unknown> | undefined;
}
