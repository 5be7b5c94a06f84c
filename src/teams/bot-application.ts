import { Application, type TurnState } from '@microsoft/teams-ai';
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
