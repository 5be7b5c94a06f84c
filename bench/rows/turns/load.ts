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
  return async (worker) => {
    const from = admins[worker];
    const activity = personalMessage(connector.url, 'subscriptions', { from, tenantId: from.tenantId, conversationId: from.conversationId });
    const t0 = performance.now();
    const reply = connector.waitFor((a) => a.body.replyToId === activity.id && a.body.type === 'message', 60_000).then((a) => ({ a, at: performance.now() }));
    const res = await postActivity(botUrl, activity);
    const respondedAt = performance.now();
    if (res.status !== 200) throw new Error(`subscriptions answered HTTP ${res.status}: ${res.body.slice(0, 200)}`);
    const { a, at } = await reply;
    const card = JSON.stringify(a.body.attachments ?? '');
    if (!card.includes(`${expectConnected} connected · page 1 of`)) throw new Error(`subscriptions replied without the expected card: ${card.slice(0, 300)}`);
    return { ms: Math.max(at, respondedAt) - t0, replyWasLast: at > respondedAt };
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
