/**
 * Issue 10, point 4: hostile input. 10,000 seeded-random activities and card submissions, sent over HTTP to a real
 * bot that holds two connected workspaces (see support/fuzz/two-workspaces.ts): every card verb the bot knows and
 * unknown ones, Action.Execute invokes and Action.Submit messages, typed commands, broken envelopes and bodies; with
 * wrong types, 120 KB and 1 MB strings, missing fields, `$` operators, prototype-pollution keys, the other
 * workspace's ids, and callers who are not admins (viewers, a third tenant, unidentifiable users).
 *
 * Proves: the process stays up; every input gets a clear error or is ignored (per class, below); no stack trace and
 * nothing of one workspace reaches another's users; the store is unchanged apart from audit entries; Object.prototype
 * is not polluted; and no MongoDB query receives an operator that came from input (see the last two tests).
 */
import { openLowdbStore, UnsafeQueryError } from '../../src/store/index.js';
import { mongoStoreOn } from '../../src/store/mongo/store.js';
import { recordFigures } from './figures.js';
import { generateCases, type FuzzCase, type FuzzClass } from './support/fuzz/cases.js';
import { classify, isCardClick, STACK_TRACE, type Outcome } from './support/fuzz/classify.js';
import { digestChanges, settledDigest, type StoreDigest } from './support/fuzz/digest.js';
import { operatorKeys, queryParts, recordingDb, replayThroughMongo, type ReplayResult } from './support/fuzz/recording-db.js';
import { recordingStore } from './support/fuzz/recording-store.js';
import { seededRng } from './support/fuzz/rng.js';
import { sendAll, type FuzzOutcome } from './support/fuzz/send.js';
import { startTwoWorkspaces, type TwoWorkspaces, type WorkspaceTargets } from './support/fuzz/two-workspaces.js';

const COUNT = 10_000;
const SEED = 20250610;
const CONCURRENCY = 10;

/** Which outcomes each expectation accepts (see FuzzCase.expect). */
const ACCEPTED: Record<FuzzCase['expect'], Outcome[]> = {
  error: ['error', 'http error'],
  'error or answer': ['error', 'answered', 'http error'],
  ignored: ['ignored'],
  http: ['http error'],
  'no crash': ['http error', 'error', 'answered', 'ignored'],
};

const prototypeKeys = () => ({
  test: Object.getOwnPropertyNames(Object.prototype).sort(),
  // Node's own realm (jest runs the test in a vm context): objects made by core modules inherit from this one.
  node: Object.getOwnPropertyNames(Object.getPrototypeOf(process.memoryUsage())).sort(),
});

describe('hostile input: 10,000 fuzzed activities and card submissions against a real bot with two workspaces', () => {
  let tw: TwoWorkspaces;
  let recorder: ReturnType<typeof recordingStore>;
  let cases: FuzzCase[];
  let outcomes: FuzzOutcome[];
  let outcomeOf: Map<FuzzOutcome, Outcome>;
  let before: StoreDigest;
  let after: StoreDigest;
  let auditBefore: number;
  let protoBefore: ReturnType<typeof prototypeKeys>;
  let errorLogs: string[];
  let healthz: number;
  let seconds: number;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    tw = await startTwoWorkspaces({
      openStore: async (config) => (recorder = recordingStore(await openLowdbStore({ dataDir: config.dataDir }))).store,
    });
    const w = tw.world;
    cases = generateCases(seededRng(SEED), { a: tw.a, b: tw.b, outsider: tw.outsider, serviceUrl: w.connector.url }, COUNT);
    before = await settledDigest(w.bot.dataDir);
    auditBefore = await auditCount(tw);
    protoBefore = prototypeKeys();
    const logFrom = w.bot.logs.length;
    const t0 = Date.now();
    recorder.recording.on = true;
    outcomes = await sendAll(w.bot.url, w.connector.activities, cases, CONCURRENCY);
    recorder.recording.on = false;
    seconds = (Date.now() - t0) / 1000;
    healthz = (await fetch(`${w.bot.url}/healthz`)).status;
    after = await settledDigest(w.bot.dataDir);
    errorLogs = w.bot.logs.slice(logFrom).filter((l) => /"level":(5|6)0/.test(l));
    outcomeOf = new Map(outcomes.map((o) => [o, classify(o)]));
  }, 400_000);

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await tw?.world.close();
    if (!outcomes) return;
    const count = (...kinds: Outcome[]) => outcomes.filter((o) => kinds.includes(outcomeOf.get(o)!)).length;
    recordFigures('hostile-input', {
      'hostile inputs': outcomes.length,
      'hostile inputs answered with an error': count('error', 'http error'),
      'hostile inputs ignored': count('ignored'),
      'hostile inputs answered (hostile part ignored)': count('answered'),
      'hostile inputs that crashed a turn': count('crash'),
    });
    const table = new Map<FuzzClass, Record<Outcome, number>>();
    for (const o of outcomes) {
      const row = table.get(o.case.cls) ?? { 'http error': 0, error: 0, answered: 0, ignored: 0, crash: 0 };
      row[outcomeOf.get(o)!]++;
      table.set(o.case.cls, row);
    }
    console.log(`hostile input: ${outcomes.length} inputs in ${seconds.toFixed(1)} s (concurrency ${CONCURRENCY})\n${[...table].map(([cls, r]) => `  ${cls.padEnd(36)} ${JSON.stringify(r)}`).join('\n')}`);
  });

  test('the process stays up: every request got an HTTP answer, /healthz answers, no turn failed, no unhandled rejection', () => {
    expect(outcomes).toHaveLength(COUNT);
    expect(outcomes.filter((o) => o.status === 0).map((o) => `${o.case.n} ${o.case.what}: ${o.error}`)).toEqual([]);
    expect(healthz).toBe(200);
    expect(errorLogs.map((l) => l.slice(0, 600))).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  test('each input gets a clear error or is ignored, as its class says', () => {
    const wrong = outcomes.filter((o) => !ACCEPTED[o.case.expect].includes(outcomeOf.get(o)!));
    expect(wrong.slice(0, 20).map((o) => `#${o.case.n} ${o.case.cls} / ${o.case.what}: expected ${o.case.expect}, got ${outcomeOf.get(o)} (${o.status}) ${o.answer.slice(0, 200)}`)).toEqual([]);
    // An HTTP refusal says why, as JSON.
    const http = outcomes.filter((o) => outcomeOf.get(o) === 'http error' && o.status !== 501);
    expect(http.filter((o) => !/"message":"[^"]{8,}/.test(o.responseBody)).map((o) => `#${o.case.n} ${o.case.what}: ${o.status} ${o.responseBody.slice(0, 100)}`)).toEqual([]);
    // Card clicks are never left without an answer: unknown and malformed actions get a message too.
    const cardClicks = outcomes.filter((o) => o.status === 200 && isCardClick(o.case.body));
    expect(cardClicks.filter((o) => !o.answer.trim()).map((o) => `#${o.case.n} ${o.case.what}`)).toEqual([]);
    // Every class was exercised.
    expect(new Set(outcomes.map((o) => o.case.cls)).size).toBe(9);
  });

  test('no stack trace, and nothing of one workspace, reaches any user', () => {
    expect(outcomes.filter((o) => STACK_TRACE.test(o.answer)).map((o) => `#${o.case.n} ${o.case.what}: ${o.answer.slice(0, 300)}`)).toEqual([]);
    const markers = { A: ownOnly(tw.a, tw.b), B: ownOnly(tw.b, tw.a) };
    expect(markers.A.length).toBeGreaterThan(0);
    expect(markers.B.length).toBeGreaterThan(0);
    const leaks = outcomes.flatMap((o) => {
      const foreign = o.case.from === 'A' ? markers.B : o.case.from === 'B' ? markers.A : [...markers.A, ...markers.B];
      return foreign.filter((m) => o.answer.includes(m)).map((m) => `#${o.case.n} ${o.case.what} (from ${o.case.from}) saw "${m}"`);
    });
    expect(leaks).toEqual([]);
  });

  test('the store is unchanged apart from audit entries, and Object.prototype is not polluted', async () => {
    expect(Object.keys(before).length).toBeGreaterThan(5);
    expect(digestChanges(before, after)).toEqual([]);
    // The refusals were audited (the one collection allowed to change).
    expect(await auditCount(tw)).toBeGreaterThan(auditBefore);
    expect(prototypeKeys()).toEqual(protoBefore);
    const probe = {} as Record<string, unknown>;
    for (const key of ['polluted', 'isAdmin', 'tenant', 'type']) expect(probe[key]).toBeUndefined();
  });

  /*
   * No MongoDB server can run here, so the bot runs on lowdb while a wrapper records every Store call its handlers
   * make during the fuzz, with the exact arguments (ids, filters, records) the hostile input turned into. Each call is
   * then sent, unchanged, through the production MongoDB adapter (src/store/mongo, the real query-building code)
   * over a recording `Db` handed to it as its dependency; the test reads every filter, sort, projection and
   * top-level document key the driver would have sent. This catches a regression anywhere on the way: a handler that
   * passes card data as a filter, a relaxed check in validate.ts, or an adapter that builds filters another way.
   * (Checking validate.ts alone would not see what handlers actually pass.)
   */
  test('no MongoDB query receives an operator from input: the Store calls of the fuzz, replayed through the MongoDB adapter', async () => {
    const replay: ReplayResult = await replayThroughMongo(recorder.calls);
    expect(replay.replayed).toBeGreaterThan(COUNT / 2);
    expect(replay.driverCalls.length).toBeGreaterThan(COUNT / 2);
    expect(replay.failed).toBe(0);
    expect(replay.violations.slice(0, 5).map((v) => ({ keys: v.keys, call: `${v.storeCall.collection}.${v.storeCall.method}` }))).toEqual([]);
    // Hostile strings did reach the store (as values, where they are harmless), so the check had something to see.
    const hostileValues = recorder.calls.filter((c) => /\$where|\$ne|__proto__|\$gt/.test(JSON.stringify(c.args)));
    expect(hostileValues.length).toBeGreaterThan(0);
    // The detector itself: an operator in a filter is seen, and the adapter refuses one before the driver.
    expect(operatorKeys({ workspaceId: 'w', id: { $ne: null } })).toEqual(['.id.$ne']);
    const probe = await replayThroughMongo([{ collection: 'tenants', method: 'find', args: [tw.a.workspaceId, { id: { $ne: null } }] }]);
    expect({ refused: probe.refusedByPort, driverCalls: probe.driverCalls.length }).toEqual({ refused: 1, driverCalls: 0 });
    console.log(`hostile input → MongoDB adapter: ${replay.replayed} Store calls replayed (${hostileValues.length} carrying hostile strings), ${replay.driverCalls.length} driver calls, ${replay.refusedByPort} refused by the port, 0 operators`);
  });

  test('and were a handler to pass the fuzzed card data straight to the Store, the MongoDB adapter would refuse it before the driver', async () => {
    const { db, calls } = recordingDb();
    const store = mongoStoreOn(db, async () => undefined);
    const datas = cases.flatMap((c) => {
      if (Buffer.byteLength(c.body) > 256 * 1024 || !isCardClick(c.body)) return [];
      const data = (JSON.parse(c.body) as { value?: { action?: { data?: unknown } } } | null)?.value?.action?.data;
      return data && typeof data === 'object' ? [data as Record<string, unknown>] : [];
    });
    expect(datas.length).toBeGreaterThan(COUNT / 3);
    let refused = 0;
    for (const data of datas) {
      for (const attempt of [
        () => store.tenants.find(tw.a.workspaceId, data as never),
        () => store.approvals.count(tw.a.workspaceId, data as never),
        () => store.subscriptions.deleteWhere(tw.a.workspaceId, data as never),
        ...Object.values(data).map((v) => () => store.tenants.get(tw.a.workspaceId, v as never)),
      ]) {
        try {
          await attempt();
        } catch (err) {
          if (!(err instanceof UnsafeQueryError)) throw err;
          refused++;
        }
      }
    }
    expect(refused).toBeGreaterThan(0);
    expect(calls.flatMap((c) => queryParts(c).flatMap((p) => operatorKeys(p))).slice(0, 5)).toEqual([]);
    await store.close();
  });
});

async function auditCount(tw: TwoWorkspaces): Promise<number> {
  const s = tw.world.bot.deps.store;
  return (await s.audit.list(tw.a.workspaceId)).length + (await s.audit.list(tw.b.workspaceId)).length + (await s.audit.list(tw.outsider.tenantId)).length;
}

/** Names only `own` holds: the ones the other workspace's data also contains (a shared CSP customer) are not secrets. */
function ownOnly(own: WorkspaceTargets, other: WorkspaceTargets): string[] {
  return own.markers.filter((m) => !other.markers.includes(m) && !other.dataText.includes(m));
}
