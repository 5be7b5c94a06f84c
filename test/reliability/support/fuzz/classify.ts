import type { FuzzOutcome } from './send.js';

/**
 * How an input was answered:
 * - `http error`: refused before any handler, with a JSON reason (400 not an activity / bad JSON, 413 too large,
 *   415 not JSON);
 * - `error`: a handler said what is wrong (a refusal, a validation problem, "nothing was changed");
 * - `answered`: the normal answer of a read-only action; the hostile part (extra keys, a bad page number) was ignored;
 * - `ignored`: HTTP 200 and nothing said (activities the bot does not act on);
 * - `crash`: no HTTP answer, a 5xx, or the bot's "something went wrong" apology.
 */
export type Outcome = 'http error' | 'error' | 'answered' | 'ignored' | 'crash';

/** Words of the bot's refusals and validation messages (src/teams/guards.ts and the features). */
const ERROR_WORDS = new RegExp([
  'Refused', 'Only workspace', 'not connected', 'Nothing was', 'nothing was', 'does not have', 'card data was altered', 'not yours',
  "I didn't recognise", "I don't know", 'is not a', 'not a sync mode', 'No connected', 'No subscriptions', 'not one', 'does not say who sent it',
  'Not allowed', 'no tenant', 'not linked', 'must be', 'is not', "isn't", 'can only', 'No tenant', 'no longer', 'cannot', "can't", 'not found',
  'Unknown', 'unknown', 'has no', 'No resource', 'incomplete', 'not recognised', 'Type `', 'Use `', 'I know no', "couldn't find",
  'No SaaS-connected tenant matches', 'refused', 'could not', "couldn't", "I can't act on that card action", "I don't know the card action",
].map((w) => w.replace(/[.*+?^${}()|[\]\\`]/g, '\\$&')).join('|'));

const APOLOGY = /something went wrong/i;

export function classify(o: FuzzOutcome): Outcome {
  // 501 is Bot Framework's answer to an invoke the bot does not implement (task/fetch, a message extension…).
  if (o.status === 501 && !isCardClick(o.case.body) && !APOLOGY.test(o.answer)) return 'http error';
  if (o.status === 0 || o.status >= 500 || APOLOGY.test(o.answer)) return 'crash';
  if (o.status >= 400) return 'http error';
  if (!o.answer.trim()) return 'ignored';
  return ERROR_WORDS.test(o.answer) ? 'error' : 'answered';
}

/** A stack frame or a source path in what a user reads. */
export const STACK_TRACE = /\n\s+at [^\n]+:\d+:\d+|\bat (?:async )?[\w.$<>]+ \([^)]*:\d+:\d+\)|node_modules\/|\/src\/[\w/.-]+\.ts|file:\/\//;

/** An Action.Execute click (`adaptiveCard/action` invoke): Teams shows its answer, so it must never be left without one. */
export function isCardClick(body: string): boolean {
  try {
    const a = JSON.parse(body) as { type?: unknown; name?: unknown } | null;
    return a?.type === 'invoke' && a.name === 'adaptiveCard/action';
  } catch {
    return false;
  }
}
