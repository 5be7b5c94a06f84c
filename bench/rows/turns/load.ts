import { actionExecute, personalMessage } from '../../../test/support/activities.js';
import type { startConnector } from '../../../test/support/connector.js';
import { postActivity, type BenchAdmin } from './seed.js';

type Connector = Awaited<ReturnType<typeof startConnector>>;

/** What one turn cost, in ms from the POST. */
export interface TurnSample {
  ms: number;
  /** Message turns: the reply arrived after the HTTP response (latency = reply), else the response was last. */
  replyWasLast?: boolean;
}

/** A turn a worker sends and checks; resolves its sample or throws on a wrong answer. */
export type TurnKind = (worker: number, round: number) => Promise<TurnSample>;

/**
 * `subscriptions` typed in the worker's personal chat. Latency: from the POST to the later of the card reply arriving
 * at the connector and the HTTP response (the adapter answers after the turn, so normally the response).
 */
export function subscriptionsTurn(botUrl: string, connector: Connector, admins: BenchAdmin[], expectConnected: number): TurnKind {
  return messageTurn(botUrl, connector, admins, 'subscriptions', (reply) => reply.includes(`${expectConnected} connected · page 1 of`));
}

/**
 * The floor of a message turn: text no feature claims, answered with one line by the catch-all. Same HTTP, adapter,
 * routing and reply path as `subscriptions`, without the feature's store reads and card.
 */
export function oneLineReplyTurn(botUrl: string, connector: Connector, admins: BenchAdmin[]): TurnKind {
  return messageTurn(botUrl, connector, admins, 'hello there', (reply) => reply.includes("I didn't recognise that"));
}

function messageTurn(botUrl: string, connector: Connector, admins: BenchAdmin[], text: string, expected: (replyJson: string) => boolean): TurnKind {
  return async (worker) => {
    const from = admins[worker];
    const activity = personalMessage(connector.url, text, { from, tenantId: from.tenantId, conversationId: from.conversationId });
    const t0 = performance.now();
    const reply = connector.waitFor((a) => a.body.replyToId === activity.id && a.body.type === 'message', 60_000).then((a) => ({ a, at: performance.now() }));
    const res = await postActivity(botUrl, activity);
    const respondedAt = performance.now();
    if (res.status !== 200) throw new Error(`"${text}" answered HTTP ${res.status}: ${res.body.slice(0, 200)}`);
    const { a, at } = await reply;
    const json = JSON.stringify({ text: a.body.text, attachments: a.body.attachments });
    if (!expected(json)) throw new Error(`"${text}" replied something unexpected: ${json.slice(0, 300)}`);
    return { ms: Math.max(at, respondedAt) - t0, replyWasLast: at > respondedAt };
  };
}

/**
 * The floor of an invoke: an Action.Execute whose verb no feature handles (the adapter answers 501 after the app has
 * routed it). Same HTTP, adapter and routing as the mode change, without the feature's work.
 */
export function unhandledInvokeTurn(botUrl: string, connector: Connector, admins: BenchAdmin[]): TurnKind {
  return async (worker) => {
    const from = admins[worker];
    const activity = actionExecute(connector.url, 'bench.noSuchVerb', {}, { from, tenantId: from.tenantId, conversationId: from.conversationId });
    const t0 = performance.now();
    const res = await postActivity(botUrl, activity);
    const ms = performance.now() - t0;
    if (res.status !== 501 && res.status !== 200) throw new Error(`an unhandled invoke answered HTTP ${res.status}: ${res.body.slice(0, 200)}`);
    return { ms };
  };
}

/**
 * The Choose button of the modes card: `subscriptions.setMode` between No Tags and Read Tags Only (both complete in
 * the turn; Read and Write Tags would open an approval instead). Each worker flips its own subscriptions, so no two
 * workers race on one record. Latency: from the POST to the invoke's HTTP response, which carries the answer.
 */
export function modeChangeTurn(botUrl: string, connector: Connector, admins: BenchAdmin[], subscriptionIds: string[], workers: number, modes: ModeBook): TurnKind {
  const mine = Array.from({ length: workers }, (_, w) => subscriptionIds.filter((_, i) => i % workers === w));
  if (mine.some((list) => list.length === 0)) throw new Error(`${subscriptionIds.length} subscriptions cannot give each of ${workers} workers its own`);
  return async (worker, round) => {
    const from = admins[worker];
    const subscriptionId = mine[worker][round % mine[worker].length];
    const mode = modes.get(subscriptionId) === 'noTags' ? 'readTags' : 'noTags';
    const activity = actionExecute(connector.url, 'subscriptions.setMode', { subscriptionId, mode }, { from, tenantId: from.tenantId, conversationId: from.conversationId });
    const t0 = performance.now();
    const res = await postActivity(botUrl, activity);
    const ms = performance.now() - t0;
    const answer = JSON.parse(res.body || '{}') as { statusCode?: number; value?: unknown };
    if (res.status !== 200 || answer.statusCode !== 200 || typeof answer.value !== 'string' || !answer.value.startsWith('Done:')) {
      throw new Error(`setMode ${mode} answered HTTP ${res.status}: ${res.body.slice(0, 300)}`);
    }
    modes.set(subscriptionId, mode);
    return { ms };
  };
}

/** The mode each subscription was last set to (absent: the product's default, Read Tags Only). Shared by the levels. */
export type ModeBook = Map<string, 'noTags' | 'readTags'>;

/** `workers` closed loops (each sends its next turn when the previous one is answered) until `samples` are taken. */
export async function runClosedLoop(kind: TurnKind, workers: number, samples: number): Promise<{ samples: TurnSample[]; seconds: number }> {
  const out: TurnSample[] = [];
  let issued = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let round = 0; issued < samples; round++) {
        issued++;
        out.push(await kind(worker, round));
      }
    }),
  );
  return { samples: out, seconds: (performance.now() - t0) / 1000 };
}

/** Nearest-rank percentile (p in 0..100) of the latencies. */
export function percentile(samples: TurnSample[], p: number): number {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
