import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Deps } from '../../deps.js';
import { forgetConversation, rememberConversation } from '../../teams/conversations.js';
import { turnLogger } from '../../teams/turn.js';

/** help, the welcome card on install, and remembering/forgetting conversations as the bot is added or removed. */
export function register(app: Application, deps: Deps): void {
  deps.commands.add({ usage: 'help', description: 'Show this list of commands.', audience: 'everyone' });

  app.message(/^\s*(help|\?)\s*$/i, async (context) => {
    await context.sendActivity({ attachments: [deps.cards.attachment('help', helpData(deps))] });
  });

  app.adaptiveCards.actionExecute('help', async (context) => {
    await context.sendActivity({ attachments: [deps.cards.attachment('help', helpData(deps))] });
    return 'The list of commands is below.';
  });

  app.conversationUpdate('membersAdded', async (context) => {
    const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === context.activity.recipient?.id);
    if (!botAdded) return;
    await rememberConversation(deps.store, context, deps.now());
    turnLogger(deps.logger, context).info('bot installed: conversation remembered');
    await context.sendActivity({ attachments: [deps.cards.attachment('welcome', { product: 'Tenant Steward' })] });
  });

  app.conversationUpdate('membersRemoved', async (context) => {
    const botRemoved = (context.activity.membersRemoved ?? []).some((m) => m.id === context.activity.recipient?.id);
    if (botRemoved) await forget(deps, context);
  });

  app.activity('installationUpdate', async (context) => {
    const action = (context.activity as { action?: string }).action ?? '';
    if (action.startsWith('remove')) await forget(deps, context);
    else if (action.startsWith('add')) await rememberConversation(deps.store, context, deps.now());
  });
}

async function forget(deps: Deps, context: TurnContext): Promise<void> {
  const removed = await forgetConversation(deps.store, context);
  turnLogger(deps.logger, context).info({ removed }, 'bot uninstalled: conversation reference removed');
}

function helpData(deps: Deps) {
  const groups = [
    { title: 'Everyone', audience: 'everyone' },
    { title: 'Workspace admins', audience: 'admins' },
    { title: 'Workspace owners', audience: 'owners' },
  ] as const;
  return {
    sections: groups
      .map((g) => ({ title: g.title, commands: deps.commands.list().filter((c) => c.audience === g.audience).map((c) => ({ usage: c.usage, description: c.description })) }))
      .filter((s) => s.commands.length > 0),
  };
}

/** The catch-all: registered last, because teams-ai runs message routes in registration order. */
export function registerFallback(app: Application): void {
  app.activity('message', async (context) => {
    if (!context.activity.text?.trim() && context.activity.value) return; // a card submit no feature claimed
    await context.sendActivity("I didn't recognise that. Type **help** to see what I can do.");
  });
}
