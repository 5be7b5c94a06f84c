import type { TurnContext } from 'botbuilder';
import { BotApplication } from './bot-application.js';

/** A message turn that records whether anything hooked its outgoing activities (what the typing timer does first). */
function messageTurn() {
  const hooked: unknown[] = [];
  const context = { activity: { type: 'message', text: 'hi' }, onSendActivities: (handler: unknown) => hooked.push(handler) } as unknown as TurnContext;
  return { context, hooked };
}

describe('BotApplication', () => {
  test('startTypingTimer: false starts no typing timer on a message turn', () => {
    const app = new BotApplication({ startTypingTimer: false });
    const turn = messageTurn();
    app.startTypingTimer(turn.context);
    expect(turn.hooked).toHaveLength(0);
    app.stopTypingTimer();
  });

  test('startTypingTimer: true still starts it (the option is honoured both ways)', () => {
    const app = new BotApplication({ startTypingTimer: true });
    const turn = messageTurn();
    app.startTypingTimer(turn.context);
    expect(turn.hooked).toHaveLength(1);
    app.stopTypingTimer(); // clears the 1 s timer, or jest would wait for it
  });
});
