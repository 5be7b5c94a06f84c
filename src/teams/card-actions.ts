import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';

/**
 * Card clicks (`adaptiveCard/action` invokes) that no feature can take: answered with a message that says so,
 * instead of teams-ai throwing (malformed action: the user saw an apology) or the adapter answering 501 with no body
 * (unknown verb: Teams shows a generic failure). Teams always sends `value.action` as `{type: 'Action.Execute', verb,
 * data}` with `data` an object; anything else is a forged or broken request.
 */
const ACTION_INVOKE = 'adaptiveCard/action';

const isCardAction = (context: TurnContext) => context.activity.type === 'invoke' && context.activity.name === ACTION_INVOKE;

/** Why a card action is malformed, or undefined when its shape is the one Teams sends. */
export function cardActionProblem(value: unknown): string | undefined {
  const action = (value as { action?: unknown } | null | undefined)?.action as Record<string, unknown> | undefined;
  if (typeof action !== 'object' || action === null || Array.isArray(action)) return 'it carries no action';
  if (action.type !== 'Action.Execute') return 'it is not an Action.Execute';
  if (typeof action.verb !== 'string') return 'its verb is not text';
  const data = action.data;
  if (data !== undefined && data !== null && (typeof data !== 'object' || Array.isArray(data))) return 'its data is not an object';
  return undefined;
}

async function answer(context: TurnContext, text: string): Promise<void> {
  await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text } } });
}

/** Register first: a malformed card action never reaches a feature's handler. */
export function registerMalformedCardActions(app: Application): void {
  app.addRoute(
    async (context) => isCardAction(context) && cardActionProblem(context.activity.value) !== undefined,
    async (context) => answer(context, `I can't act on that card action: ${cardActionProblem(context.activity.value)}. Nothing was done.`),
    true,
  );
}

/** Register last: a verb that no feature handles (an old card, or an altered one). */
export function registerUnknownCardActions(app: Application): void {
  app.addRoute(
    async (context) => isCardAction(context),
    async (context) => {
      const verb = String((context.activity.value as { action: { verb: string } }).action.verb).slice(0, 60);
      await answer(context, `I don't know the card action "${verb}" (the card may be from an older version, or altered). Nothing was done.`);
    },
    true,
  );
}
