// Types only from the package index: at run time it also loads teams-ai's AI side (OpenAI clients, GPT tokenizers),
// about 30 MB of heap the bot never uses, which every full garbage collection then walks. See teams/bot-adapter.ts.
import type { Application, TurnState } from '@microsoft/teams-ai';
import { ConfigurationServiceClientCredentialFactory, type TurnContext } from 'botbuilder';
import type { Config } from './config.js';
import type { Deps } from './deps.js';
import { botAuthSettings, type InboundAuthOptions } from './teams/inbound-auth.js';
import { turnLogger } from './teams/turn.js';
import { BotAdapter } from './teams/bot-adapter.js';
import { BotApplication } from './teams/bot-application.js';
import { registerMalformedCardActions, registerUnknownCardActions } from './teams/card-actions.js';
import * as help from './features/help/index.js';
import * as workspace from './features/workspace/index.js';
import * as consent from './features/consent/index.js';
import * as notifications from './features/notifications/index.js';
import * as status from './features/status/index.js';
import * as security from './features/security/index.js';
import * as health from './features/health/index.js';
import * as saas from './features/saas/index.js';
import * as m365 from './features/m365/index.js';
import * as partner from './features/partner/index.js';
import * as subscriptions from './features/subscriptions/index.js';
import * as tags from './features/tags/index.js';

/** Features in registration order. teams-ai runs invoke routes first, then the others in this order. */
const FEATURES: { register(app: Application, deps: Deps): void }[] = [help, workspace, consent, notifications, status, security, health, saas, m365, partner, subscriptions, tags];

/**
 * The Bot Framework adapter. With an empty app id inbound auth is off: config.ts only allows that on loopback.
 * Production validates Bot Framework JWTs (app id + secret, or a managed identity).
 */
export function createAdapter(config: Config, options: InboundAuthOptions = {}): BotAdapter {
  const { app, all } = botAuthSettings(config, options);
  return new BotAdapter(all, new ConfigurationServiceClientCredentialFactory(app));
}

export function createBotApp(adapter: BotAdapter, deps: Deps): Application<TurnState> {
  const app = new BotApplication({
    adapter,
    botAppId: deps.config.bot.appId,
    // No storage: no handler uses teams-ai's turn state (our state is in the Store), so a turn neither reads nor
    // writes it, and nothing accumulates per conversation and user in memory.
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });
  app.error(async (context: TurnContext, err: Error) => {
    turnLogger(deps.logger, context).error({ err }, 'turn failed');
    await context.sendActivity('Sorry, something went wrong on my side. It is logged; please try again in a moment.').catch(() => undefined);
  });
  registerMalformedCardActions(app);
  for (const feature of FEATURES) feature.register(app, deps);
  help.registerFallback(app);
  registerUnknownCardActions(app);
  return app;
}
