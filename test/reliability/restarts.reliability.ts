/**
 * Issue 10, point 2: the bot process (src/main.ts, lowdb store and our lowdb Agenda backend in a temp data dir, as
 * the embedded default runs it) is SIGKILLed at 20 seeded random points while its daily jobs run, and started again
 * each time, until the jobs finish. Then the stored state equals that of the same jobs run by a process that was
 * never killed (a world of the same seed, set up alike); no job is left locked; no run lock is left in the store;
 * and Microsoft saw no write twice (the emulator, in this process, outlives every kill and logs every write).
 * The killed jobs include tags.sync of a Read and Write Tags subscription with pending edits, so some kills fall
 * between Azure applying a PATCH and the bot recording it.
 */
import { recordFigures } from './figures.js';
import { compareDigests, describeDifferences, lostRecords, multisetMinus } from './support/digest.js';
import { restartRun, type RestartRunOptions, type RestartRunResult } from './support/restart-run.js';
import { EDIT_COUNT } from './support/seeded-workspace.js';

const KILLS = 20;

/**
 * Audit actions that summarise one run of a job (its counts): a run killed after its summary runs again and adds
 * its own, one killed before writes none; either way the re-run's summary stands for the work.
 */
const RUN_SUMMARIES = new Set(['m365.import', 'tags.sync', 'saas.discover', 'credential.refresh']);

interface AuditFact { action: string; target: string; outcome: string; detail?: Record<string, unknown> }

/**
 * The stored state to compare, without two run reports that describe the last run rather than the data, and that a
 * re-run after a kill rightly writes differently: the delta checkpoint's account of its last round (a re-run after a
 * finished round makes one more, empty, round: same delta link, round 'changes' with zero counts), and the SaaS run
 * summary's count of apps new to that run (a re-run finds the apps a killed run stored, so none are new to it).
 * The data (users, licences, resources, tags, edits, apps, assignments, sign-ins, credentials) is compared whole.
 */
function stateOf(digest: RestartRunResult['digest']): RestartRunResult['digest'] {
  const { audit: _audit, ...state } = digest;
  const strip = (line: string, edit: (record: Record<string, any>) => void) => {
    const record = JSON.parse(line) as Record<string, any>;
    edit(record);
    return JSON.stringify(record);
  };
  return {
    ...state,
    audit: [],
    checkpoints: state.checkpoints.map((line) => strip(line, (c) => {
      if (!String(c.id).endsWith('/users.delta')) return;
      const { round: _r, counts: _c, roundStartedAt: _s, ...rest } = JSON.parse(c.value) as Record<string, unknown>;
      c.value = JSON.stringify(rest);
    })),
    tenants: state.tenants.map((line) => strip(line, (t) => {
      const run = t.saas?.lastRun;
      if (!run) return;
      delete run.newApps;
      for (const task of run.tasks ?? []) if (task.task === 'appDiscovery') task.detail = String(task.detail).replace(/, \d+ new\./, '.');
    })),
  } as RestartRunResult['digest'];
}
const OPTIONS: Omit<RestartRunOptions, 'kills'> = {
  seed: 'reliability-restarts',
  // Several pages per job at the default page sizes (Graph 999, ARM 200): users, resources and sign-ins in the thousands.
  size: { usersPerTenant: 2500, resourcesPerSubscription: 450, signInsPerTenant: 3000, customerTenants: 2, customer: { usersPerTenant: 1200, subscriptionsPerTenant: 2, resourcesPerSubscription: 45, signInsPerTenant: 400 } },
  latencyMs: 20,
  killSeed: 20_251_011,
  // A dead process's job is taken over 5 s after its last lock renewal (JOBS_LOCK_LIFETIME_MS). Agenda also cancels
  // a run that goes longer than that without renewing it, so it must exceed the slowest page on this busy machine.
  jobs: { pollMs: 100, lockLifetimeMs: 5000 },
  finishTimeoutMs: 90_000,
};

describe('restarts: a bot process killed 20 times during its jobs ends where an unkilled one ends', () => {
  let reference: RestartRunResult;
  let killed: RestartRunResult;
  let restartsSurvived = 0;
  let lost = 0;

  beforeAll(async () => {
    reference = await restartRun({ ...OPTIONS, kills: 0 });
    killed = await restartRun({ ...OPTIONS, kills: KILLS });
    const byJob: Record<string, number> = {};
    for (const k of killed.kills) for (const job of k.running) byJob[job] = (byJob[job] ?? 0) + 1;
    process.stdout.write(`restarts: ${killed.kills.length} kills over ${killed.lives} lives; jobs running at the kills: ${JSON.stringify(byJob)}\n${killed.kills.map((k, i) => `  kill ${i + 1} (${k.trigger}, ${k.patchesSoFar} PATCHes so far): ${k.running.join(', ')} | last request: ${k.lastRequest}`).join('\n')}\n`);
  });
  afterAll(() => recordFigures('restarts', { 'restarts survived': restartsSurvived, 'lost records': lost }));

  test('20 kills, each while a queued job ran; tag write-back among them, also right after a PATCH', () => {
    expect(killed.kills).toHaveLength(KILLS);
    for (const k of killed.kills) expect(k.running.length).toBeGreaterThan(0);
    const readWrite = 'tags.sync (Read and Write Tags)';
    expect(killed.kills.some((k) => k.running.includes(readWrite) && k.patchesSoFar < EDIT_COUNT.merge + EDIT_COUNT.delete)).toBe(true);
    expect(killed.kills.some((k) => k.trigger === 'write')).toBe(true);
    expect(reference.kills).toEqual([]);
  });

  test('every queued job finished, none failed, and no job is left locked', () => {
    for (const run of [reference, killed]) {
      const queued = run.jobs.filter((j) => run.queuedIds.includes(j._id));
      expect(queued).toHaveLength(run.queued.length);
      expect(queued.filter((j) => j.failReason !== null || j.failedAt !== null)).toEqual([]);
      expect(run.jobs.filter((j) => j.lockedAt !== null)).toEqual([]);
    }
  });

  test('no run lock is left in the store', () => {
    expect(reference.runLocks).toEqual([]);
    expect(killed.runLocks).toEqual([]);
  });

  test('the stored state equals the unkilled run\'s, collection by collection', () => {
    const differences = compareDigests(stateOf(reference.digest), stateOf(killed.digest));
    lost += lostRecords(differences);
    expect(describeDifferences(differences)).toBe('');
    restartsSurvived = killed.kills.length;
  });

  test('the audit log: every write, change and run of the unkilled run is there (a re-run may add its own)', () => {
    const facts = (d: RestartRunResult['digest']) => d.audit.map((line) => JSON.parse(line) as AuditFact);
    const ref = facts(reference.digest);
    const got = facts(killed.digest);
    const missing: string[] = [];
    // Tag edits: each one audited; as the write, or, when the kill fell between Azure applying the PATCH and the bot
    // recording it, as found already applied by the re-run (which cannot tell its own write from anyone's).
    for (const f of ref.filter((x) => x.action === 'azure.tags.patch')) {
      const ok = got.some((x) => x.detail?.editId === f.detail?.editId && (x.action === 'azure.tags.patch' ? x.outcome === f.outcome : x.action === 'tags.edit.alreadyApplied'));
      if (!ok) missing.push(JSON.stringify(f));
    }
    // A run's summary (counts of what that run did): a killed run is re-run, whose summary reports its own counts.
    for (const f of ref.filter((x) => RUN_SUMMARIES.has(x.action))) {
      if (!got.some((x) => x.action === f.action && x.target === f.target && x.outcome === f.outcome)) missing.push(JSON.stringify(f));
    }
    // Everything else (people's actions in the setup, credential state changes, conflicts, failures) exactly.
    const rest = (list: AuditFact[]) => list.filter((x) => x.action !== 'azure.tags.patch' && x.action !== 'tags.edit.alreadyApplied' && !RUN_SUMMARIES.has(x.action)).map((x) => JSON.stringify(x));
    missing.push(...multisetMinus(rest(ref), rest(got)));
    lost += missing.length;
    process.stdout.write(`audit: ${ref.length} facts in the unkilled run, ${got.length} after the kills\n${multisetMinus(killed.digest.audit, reference.digest.audit).map((x) => `  + ${x.slice(0, 300)}`).join('\n')}\n`);
    expect(missing).toEqual([]);
  });

  test('Microsoft saw every write once: tag PATCHes once per edit, role assignments once', () => {
    expect(killed.writes.filter((w) => w.includes('"tags.patch"'))).toHaveLength(EDIT_COUNT.merge + EDIT_COUNT.delete);
    expect(killed.writes).toEqual(reference.writes);
  });
});
