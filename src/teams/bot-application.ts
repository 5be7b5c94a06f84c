import type { TurnState } from '@microsoft/teams-ai';
// Not the package index, which also loads teams-ai's AI side (OpenAI clients, GPT tokenizers): see app.ts.
import { Application } from '@microsoft/teams-ai/lib/Application.js';
import type { TurnContext } from 'botbuilder';

/**
 * teams-ai's Application, with its `startTypingTimer` option honoured. teams-ai 1.7 starts the typing timer on every
 * message turn whatever the option says (it reads it nowhere): a timer set and cleared per turn, and under load a
 * "typing" activity POSTed for every turn that runs over a second.
 */
export class BotApplication extends Application<TurnState> {
  override startTypingTimer(context: TurnContext): void {
    if (this.options.startTypingTimer) super.startTypingTimer(context);
  }
}
