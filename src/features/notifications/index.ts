import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Deps } from '../../deps.js';
import { rememberConversation } from '../../teams/conversations.js';
import { requireCaller, requireRole, type Caller } from '../../teams/guards.js';
import { NOTIFICATION_TOPICS, parseTopics, TOPIC_DESCRIPTIONS } from './topics.js';

const TOPIC_LIST = NOTIFICATION_TOPICS.join(', ');

/** `notify`, `notify here [topics]`, `notify off`: where the jobs and alerts of this workspace are posted. */
export function register(app: Application, deps: Deps): void {
  deps.commands.add(
    { usage: 'notify', description: 'Show which notifications this conversation gets, and where else they go.', audience: 'everyone' },
    { usage: `notify here [${NOTIFICATION_TOPICS.join(' ')}]`, description: 'Post these topics here (no topics: all of them). Replaces this conversation\'s topics.', audience: 'admins' },
    { usage: 'notify off', description: 'Stop posting notifications here.', audience: 'admins' },
  );

  app.message(/^\s*notify(\s|$)/i, async (context) => {
    const [, sub = '', rest = ''] = /^\s*notify(?:\s+(\S+))?([\s\S]*)$/i.exec(context.activity.text ?? '') ?? [];
    const verb = sub.toLowerCase();
    if (verb === '') return show(deps, context);
    if (verb === 'here') return subscribe(deps, context, rest);
    if (verb === 'off') return unsubscribe(deps, context);
    await context.sendActivity(`I don't know \`notify ${sub}\`. Use \`notify\`, \`notify here [topics]\` or \`notify off\`. Topics: ${TOPIC_LIST}.`);
  });
}

async function show(deps: Deps, context: TurnContext): Promise<void> {
  const caller = await requireCaller(deps, context, 'notify.show');
  if (!caller) return;
  const here = await deps.store.conversations.get(caller.workspaceId, context.activity.conversation.id);
  const others = (await deps.store.conversations.find(caller.workspaceId, {}, { limit: 50 }))
    .filter((c) => c.id !== context.activity.conversation.id && c.topics.length > 0);
  const lines = [
    here?.topics.length ? `This conversation gets: **${here.topics.join(', ')}**.` : 'This conversation gets no notifications.',
    ...(others.length ? ['Elsewhere:', ...others.map((c) => `- ${c.name ?? (c.kind === 'personal' ? 'a personal chat' : 'a conversation')}: ${c.topics.join(', ')}`)] : []),
    `Topics: ${NOTIFICATION_TOPICS.map((t) => `**${t}** (${TOPIC_DESCRIPTIONS[t]})`).join('; ')}.`,
    'An admin can change this with `notify here [topics]` or `notify off`.',
  ];
  await context.sendActivity(lines.join('\n'));
}

async function subscribe(deps: Deps, context: TurnContext, rest: string): Promise<void> {
  const caller = await requireRole(deps, context, 'admin', 'notify.here', { doing: 'choose where notifications go', target: context.activity.conversation.id });
  if (!caller) return;
  const parsed = parseTopics(rest);
  if ('unknown' in parsed) {
    await context.sendActivity(`Unknown topic${parsed.unknown.length > 1 ? 's' : ''}: ${parsed.unknown.join(', ')}. The topics are: ${TOPIC_LIST}. Nothing was changed.`);
    return;
  }
  await setTopics(deps, context, caller, parsed.topics, 'notify.here');
  await context.sendActivity(`Done: I'll post **${parsed.topics.join(', ')}** here. \`notify off\` stops it.`);
}

async function unsubscribe(deps: Deps, context: TurnContext): Promise<void> {
  const caller = await requireRole(deps, context, 'admin', 'notify.off', { doing: 'choose where notifications go', target: context.activity.conversation.id });
  if (!caller) return;
  const existing = await deps.store.conversations.get(caller.workspaceId, context.activity.conversation.id);
  if (!existing?.topics.length) {
    await context.sendActivity('This conversation already gets no notifications.');
    return;
  }
  await setTopics(deps, context, caller, [], 'notify.off');
  await context.sendActivity(`Done: no more notifications here (it got ${existing.topics.join(', ')}). \`notify here\` turns them back on.`);
}

async function setTopics(deps: Deps, context: TurnContext, caller: Caller, topics: string[], action: string): Promise<void> {
  const record = await rememberConversation(deps.store, context, deps.now());
  if (!record) throw new Error('a conversation with a workspace has no id');
  const before = record.topics;
  await deps.store.conversations.upsert({ ...record, topics, addedBy: { aadObjectId: caller.aadObjectId, name: caller.name } });
  await deps.store.audit.append({
    workspaceId: caller.workspaceId,
    actor: caller.aadObjectId,
    action,
    target: record.id,
    outcome: 'success',
    detail: { before, after: topics, conversation: record.name ?? record.kind },
  });
}
