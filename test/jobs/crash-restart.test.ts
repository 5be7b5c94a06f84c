import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createLowdbJobsBackend, createScheduler, type Scheduler } from '../../src/jobs/index.js';
import { silentLogger, sleep, tempDir, waitFor } from './helpers.js';

const worker = fileURLToPath(new URL('./fixtures/long-job-worker.ts', import.meta.url));
const lockLifetimeMs = 1500;

/** Starts the worker in its own process and resolves with the long job's id once it runs. */
async function startDoomedWorker(file: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, file, String(lockLifetimeMs)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const jobId = await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`worker exited early (${child.exitCode}): ${stderr}`);
    return /started (\w+)/.exec(stdout)?.[1];
  }, 15_000, 'the worker to start the long job');
  return { child, jobId };
}

describe('jobs survive a crashed process', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let scheduler: Scheduler | undefined;

  beforeEach(async () => { dir = await tempDir(); });
  afterEach(async () => {
    await scheduler?.stop({ timeoutMs: 1000 });
    await dir.remove();
  });

  it('a job whose process was SIGKILLed mid-run runs again once its lock expires, once, and nothing is duplicated', async () => {
    const file = dir.file('jobs.json');
    const { child, jobId } = await startDoomedWorker(file);
    await sleep(lockLifetimeMs / 2); // long enough for at least one touch()
    child.kill('SIGKILL');
    await once(child, 'exit');

    const backend = createLowdbJobsBackend(file);
    const orphan = await backend.repository.getJobById(jobId);
    expect(orphan).toMatchObject({ name: 'long', data: { batch: 7 }, lastModifiedBy: 'doomed-worker' });
    expect(orphan!.lockedAt).toBeInstanceOf(Date); // the dead worker's lock is still on it,
    expect(orphan!.lockedAt!.getTime()).toBeGreaterThan(orphan!.lastRunAt!.getTime()); // renewed by touch()
    expect(orphan!.lastFinishedAt).toBeUndefined();

    const reruns: { jobId: string; data: unknown; at: number }[] = [];
    scheduler = createScheduler({ backend, logger: silentLogger, processEvery: 50, defaultLockLifetime: lockLifetimeMs });
    scheduler.define('long', async (data, ctx) => { reruns.push({ jobId: ctx.jobId, data, at: Date.now() }); });
    scheduler.define('hourly', async () => {});
    await scheduler.start();
    await scheduler.every('1 hour', 'hourly', {});

    await waitFor(() => reruns.length > 0, 5000, 'the orphaned job to run again');
    expect(reruns[0]).toMatchObject({ jobId, data: { batch: 7 } });
    expect(reruns[0].at).toBeGreaterThanOrEqual(orphan!.lockedAt!.getTime() + lockLifetimeMs); // not while the lock was live
    const finished = await waitFor(async () => (await backend.repository.getJobById(jobId))?.lastFinishedAt, 2000, 'finish');
    expect(finished).toBeInstanceOf(Date);

    await sleep(400);
    expect(reruns).toHaveLength(1);
    const { jobs } = await backend.repository.queryJobs();
    expect(jobs.map((job) => job.name).sort()).toEqual(['hourly', 'long']);
    expect(jobs.find((job) => job.name === 'long')!.lockedAt).toBeUndefined();
    await sleep(lockLifetimeMs / 2); // Agenda's lock watchdog sleeps lockLifetime/2 after each run
  });
});
