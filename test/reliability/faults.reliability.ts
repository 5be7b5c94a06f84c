/**
 * Issue 10, point 1: every daily job, run against the emulator with 10% injected faults (429 with Retry-After, 503,
 * connection resets, truncated bodies), ends with the same results and the same stored state as the same job run
 * without faults.
 *
 * Two worlds of the same seed are set up alike through Teams turns (seeded-workspace.ts). Then, job by job, the
 * faulty world runs the job (every tenant or subscription it applies to) in rounds until the emulator has injected
 * at least MIN_FAULTS faults into that job's requests (a health check makes one faultable request per tenant, an
 * import dozens), and the clean world runs the same rounds. After each job: equal results, and equal digests of
 * every collection and of the audit log (see digest.ts for the only values normalised). The fault dice are seeded.
 */
import { recordFigures } from './figures.js';
import { compareDigests, describeDifferences, digestHashes, lostRecords, normalise, storeDigest } from './support/digest.js';
import { runJob, type InProcessOptions } from './support/run-jobs.js';
import { seededWorkspace, type JobRun, type SeededWorkspace } from './support/seeded-workspace.js';
import type { RequestRecord } from '../../emulator/index.js';

const SEED = 'reliability-faults';
const FAULT_SEED = 20_251_010;
/** 10% of requests to ARM, Graph and Partner Center fail, in four equal kinds. */
const FAULTS = { throttleRate: 0.025, unavailableRate: 0.025, resetRate: 0.025, truncateRate: 0.025, retryAfterSeconds: 1 };
const NO_FAULTS = { throttleRate: 0, unavailableRate: 0, resetRate: 0, truncateRate: 0 };
/** Small pages, so each import and listing reads several; short backoffs, so the suite stays fast. */
const OPTIONS: InProcessOptions = { pageSize: 4, baseDelayMs: 5, maxDelayMs: 1000 };
const MIN_FAULTS = 3;
const MAX_ROUNDS = 100;
const JOB_NAMES = ['m365.import', 'saas.discover', 'tags.sync', 'partner.refresh', 'health.check'] as const;

describe('faults: each job under 10% injected faults ends as the fault-free run ends', () => {
  let clean: SeededWorkspace;
  let faulty: SeededWorkspace;
  let faultsSurvived = 0;
  let lost = 0;
  const survivedBy: Record<string, Partial<Record<NonNullable<RequestRecord['fault']>, number>>> = {};

  beforeAll(async () => {
    clean = await seededWorkspace({ emulator: { seed: SEED, size: 'demo' } });
    faulty = await seededWorkspace({ emulator: { seed: SEED, size: 'demo', faultSeed: FAULT_SEED } });
  });
  afterAll(async () => {
    await clean?.world.close();
    await faulty?.world.close();
    process.stdout.write(`faults survived by job: ${JSON.stringify(survivedBy)}\n`);
    recordFigures('faults', { 'faults survived': faultsSurvived, 'lost records': lost });
  });

  test('the two worlds start from the same state', async () => {
    expect(faulty.jobs).toEqual(clean.jobs.map((j) => ({ ...j, data: { ...j.data } })));
    expect(JOB_NAMES.every((name) => clean.jobs.some((j) => j.name === name))).toBe(true);
    const differences = compareDigests(await storeDigest(clean.world.bot.deps.store, clean.workspaceId), await storeDigest(faulty.world.bot.deps.store, faulty.workspaceId));
    expect(describeDifferences(differences)).toBe('');
  });

  test.each(JOB_NAMES)('%s: same results and the same stored state with 10%% faults as without', async (name) => {
    const runs = clean.jobs.filter((j) => j.name === name);
    // The faulty world first: it decides how many rounds it takes to meet MIN_FAULTS faults.
    const faultyRounds: unknown[][] = [];
    const injected: RequestRecord[] = [];
    faulty.world.emulator.control.setFaults(FAULTS);
    try {
      while (injected.length < MIN_FAULTS && faultyRounds.length < MAX_ROUNDS) {
        const mark = lastSeq(faulty);
        faultyRounds.push(await runRound(faulty, runs));
        injected.push(...faulty.world.emulator.control.requests().filter((r) => r.seq > mark && r.fault));
      }
    } finally {
      faulty.world.emulator.control.setFaults(NO_FAULTS);
    }
    const cleanRounds: unknown[][] = [];
    for (let i = 0; i < faultyRounds.length; i++) cleanRounds.push(await runRound(clean, runs));

    const kinds = countBy(injected.map((r) => r.fault!));
    process.stdout.write(`${name}: ${faultyRounds.length} round(s) of ${runs.length} run(s); faults injected: ${JSON.stringify(kinds)}\n`);
    expect(injected.length).toBeGreaterThanOrEqual(MIN_FAULTS);
    for (const round of [...cleanRounds, ...faultyRounds]) for (const result of round) expect(result).not.toHaveProperty('threw');
    expect(faultyRounds).toEqual(cleanRounds);

    const reference = await storeDigest(clean.world.bot.deps.store, clean.workspaceId);
    const differences = compareDigests(reference, await storeDigest(faulty.world.bot.deps.store, faulty.workspaceId));
    lost += lostRecords(differences);
    process.stdout.write(`${name}: digests ${JSON.stringify(digestHashes(reference))}\n`);
    expect(describeDifferences(differences)).toBe('');
    faultsSurvived += injected.length;
    survivedBy[name] = kinds;
  });

  test('Microsoft saw the same writes from both worlds (tag PATCHes once per edit, role assignments once)', () => {
    const writes = (s: SeededWorkspace) => s.world.emulator.control.writes().map((w) => JSON.stringify(normalise({ kind: w.kind, method: w.method, path: w.path, detail: w.detail, status: w.status }, new Map()))).sort();
    expect(writes(faulty)).toEqual(writes(clean));
    expect(clean.world.emulator.control.writes('tags.patch').length).toBeGreaterThan(0);
  });
});

/** One run of each of `runs`, in order; a run that throws is recorded as `{ threw }` (the assertions then fail). */
async function runRound(s: SeededWorkspace, runs: JobRun[]): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const run of runs) {
    try {
      results.push(normalise(await runJob(s.world.bot.deps, run, OPTIONS), new Map()));
    } catch (err) {
      results.push({ threw: String(err) });
    }
  }
  return results;
}

const lastSeq = (s: SeededWorkspace) => s.world.emulator.control.requests().at(-1)?.seq ?? 0;

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
