import { createLowdbJobsBackend, createScheduler, type LowdbAgendaBackend, type Scheduler, type SchedulerOptions } from '../../src/jobs/index.js';
import { silentLogger, sleep, tempDir, waitFor } from './helpers.js';

describe('scheduler on the lowdb backend', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let backend: LowdbAgendaBackend;
  let started: Scheduler[];

  const make = (over: Partial<SchedulerOptions> = {}): Scheduler => {
    const scheduler = createScheduler({ backend, logger: silentLogger, processEvery: 50, defaultLockLifetime: 1000, ...over });
    started.push(scheduler);
    return scheduler;
  };
  const stored = (id: string) => backend.repository.getJobById(id);
  const storedByName = async (name: string) => (await backend.repository.queryJobs({ name })).jobs;

  beforeEach(async () => {
    dir = await tempDir();
    backend = createLowdbJobsBackend(dir.file('jobs.json'));
    started = [];
  });
  afterEach(async () => {
    await Promise.all(started.map((scheduler) => scheduler.stop({ timeoutMs: 1000 })));
    await backend.disconnect();
    await dir.remove();
  });

  it('runs a job now, and a scheduled one not before its time', async () => {
    const runs: { data: unknown; at: number; jobId: string }[] = [];
    const scheduler = make();
    scheduler.define<{ n: number }>('hello', async (data, ctx) => { runs.push({ data, at: Date.now(), jobId: ctx.jobId }); });
    await scheduler.start();
    const t0 = Date.now();
    const nowId = await scheduler.now('hello', { n: 1 });
    await scheduler.schedule(new Date(t0 + 400), 'hello', { n: 2 });
    await waitFor(() => runs.length === 2, 3000, 'two runs');
    expect(runs[0]).toMatchObject({ data: { n: 1 }, jobId: nowId });
    expect(runs[1].data).toEqual({ n: 2 });
    expect(runs[1].at - t0).toBeGreaterThanOrEqual(400);
    await waitFor(async () => (await stored(nowId))?.lastFinishedAt, 2000, 'finished state stored');
    expect(await stored(nowId)).toMatchObject({ nextRunAt: null });
    expect((await stored(nowId))!.lockedAt).toBeUndefined();
  });

  it('every() runs at once, and after a restart neither duplicates nor reruns the recurring jobs', async () => {
    const runs: string[] = [];
    const boot = async () => {
      const scheduler = make();
      scheduler.define<{ tenantId: string }>('digest', async (data) => { runs.push(`digest:${data.tenantId}`); });
      scheduler.define('health', async () => { runs.push('health'); });
      await scheduler.start();
      return scheduler;
    };
    const first = await boot();
    await first.every('1 hour', 'digest', { tenantId: 't1', channel: 'a' }, { uniqueKey: { tenantId: 't1' } });
    await first.every('1 hour', 'health', {});
    await waitFor(() => runs.length === 2, 3000, 'first runs');
    await first.stop();

    backend = createLowdbJobsBackend(dir.file('jobs.json')); // a restart: fresh backend on the same file
    const second = await boot();
    await second.every('1 hour', 'digest', { tenantId: 't1', channel: 'b' }, { uniqueKey: { tenantId: 't1' } });
    await second.every('1 hour', 'health', {});
    await second.every('1 hour', 'digest', { tenantId: 't2' }, { uniqueKey: { tenantId: 't2' } });
    await waitFor(() => runs.includes('digest:t2'), 3000, 'new tenant run');
    await sleep(300);

    expect(runs.sort()).toEqual(['digest:t1', 'digest:t2', 'health']);
    const digests = await storedByName('digest');
    expect(digests.map((job) => job.data).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))))
      .toEqual([{ tenantId: 't1', channel: 'a' }, { tenantId: 't2' }]);
    expect(await storedByName('health')).toHaveLength(1);
    expect(digests.every((job) => job.nextRunAt!.getTime() > Date.now() + 50 * 60_000)).toBe(true);
  });

  it('every() is not fooled by a one-time run of the same key, and a new interval replaces the old one', async () => {
    const scheduler = make();
    const runs: string[] = [];
    scheduler.define<{ tenantId: string }>('import', async (data) => { runs.push(data.tenantId); });
    await scheduler.start();
    await scheduler.now('import', { tenantId: 't1' });
    await waitFor(() => runs.length === 1, 3000, 'manual run');
    await scheduler.every('1 hour', 'import', { tenantId: 't1' }, { uniqueKey: { tenantId: 't1' }, skipImmediate: true });
    await scheduler.every('2 hours', 'import', { tenantId: 't1' }, { uniqueKey: { tenantId: 't1' }, skipImmediate: true });
    const recurring = (await storedByName('import')).filter((job) => job.repeatInterval);
    expect(recurring.map((job) => job.repeatInterval)).toEqual(['2 hours']);
    expect(await storedByName('import')).toHaveLength(2);
  });

  it('two instances on one backend run each job exactly once', async () => {
    const ranBy = new Map<string, string[]>();
    const [a, b] = ['a', 'b'].map((name) => {
      const scheduler = make({ name });
      scheduler.define('work', async (_data, ctx) => {
        ranBy.set(ctx.jobId, [...(ranBy.get(ctx.jobId) ?? []), name]);
        await sleep(20);
      });
      return scheduler;
    });
    await Promise.all([a.start(), b.start()]);
    const ids = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).now('work', { i })));
    await waitFor(() => ids.every((id) => ranBy.has(id)), 5000, 'all jobs ran');
    await sleep(300);
    expect(ids.map((id) => ranBy.get(id)!.length)).toEqual(ids.map(() => 1));
  });

  it('records a failure and retries with exponential backoff until it succeeds', async () => {
    const attempts: { at: number; attempt: number }[] = [];
    const scheduler = make();
    scheduler.define('flaky', async (_data, ctx) => {
      attempts.push({ at: Date.now(), attempt: ctx.attempt });
      if (attempts.length < 3) throw new Error(`boom ${attempts.length}`);
    }, { retry: { attempts: 3, backoffMs: 150 } });
    await scheduler.start();
    const id = await scheduler.now('flaky', {});

    const afterFirst = await waitFor(async () => { const job = await stored(id); return job?.failCount === 1 && job; }, 3000, 'first failure');
    expect(afterFirst).toMatchObject({ failReason: 'boom 1', failedAt: expect.any(Date) });
    expect(afterFirst.nextRunAt!.getTime()).toBeGreaterThan(afterFirst.failedAt!.getTime());

    await waitFor(() => attempts.length === 3, 5000, 'third attempt');
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(150);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(300);
    await waitFor(async () => (await scheduler.lastRuns())[0].result === 'succeeded', 2000, 'success recorded');
    expect(await stored(id)).toMatchObject({ failReason: 'boom 2', failCount: 0 });
  });

  it('gives up after the last attempt and keeps the failure for the status view', async () => {
    let runs = 0;
    const scheduler = make();
    scheduler.define('broken', async () => { runs++; throw new Error('always'); }, { retry: { attempts: 2, backoffMs: 50 } });
    scheduler.define('fine', async () => {});
    await scheduler.start();
    const id = await scheduler.now('broken', {});
    await waitFor(async () => (await stored(id))?.failCount === 2, 3000, 'second failure');
    await sleep(300);
    expect(runs).toBe(2);
    expect(await stored(id)).toMatchObject({ failReason: 'always', nextRunAt: null });
    expect(await scheduler.lastRuns()).toEqual([
      expect.objectContaining({ name: 'broken', jobs: 1, result: 'failed', failReason: 'always', failCount: 2, failing: 1 }),
      expect.objectContaining({ name: 'fine', jobs: 0, result: 'never', failing: 0 }),
    ]);
  });

  it('stop() waits for a running job to finish, and leaves it finished and unlocked', async () => {
    let phase = 'idle';
    const scheduler = make();
    scheduler.define('slow', async () => { phase = 'running'; await sleep(300); phase = 'done'; });
    await scheduler.start();
    const id = await scheduler.now('slow', {});
    await waitFor(() => phase === 'running', 3000, 'job start');
    expect(await scheduler.stop({ timeoutMs: 5000 })).toEqual({ finished: 1, released: [] });
    expect(phase).toBe('done');
    expect(await stored(id)).toMatchObject({ lastFinishedAt: expect.any(Date), nextRunAt: null });
    expect((await stored(id))!.lockedAt).toBeUndefined();
  });

  it('stop() releases a job that outlives the timeout, so a new instance runs it at once, not after lockLifetime', async () => {
    const lockLifetimeMs = 3000;
    let aborted = false;
    const first = make();
    first.define('stuck', async (_data, ctx) => {
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
      aborted = true;
      throw ctx.signal.reason;
    }, { lockLifetimeMs });
    await first.start();
    const id = await first.now('stuck', {});
    await waitFor(async () => (await stored(id))?.lockedAt && (await stored(id))?.lastRunAt, 3000, 'job start');

    const stoppedAt = Date.now();
    expect(await first.stop({ timeoutMs: 100 })).toEqual({ finished: 0, released: [id] });
    expect(aborted).toBe(true);
    const released = await stored(id);
    expect(released!.lockedAt).toBeUndefined();
    expect(released!.nextRunAt!.getTime()).toBeLessThanOrEqual(Date.now());

    let pickedUpAt = 0;
    const second = make();
    second.define('stuck', async () => { pickedUpAt = Date.now(); }, { lockLifetimeMs });
    await second.start();
    await waitFor(() => pickedUpAt, 1500, 'pick-up by the new instance');
    expect(pickedUpAt - stoppedAt).toBeLessThan(lockLifetimeMs);
    const final = await waitFor(async () => { const job = await stored(id); return job?.lastFinishedAt && job; }, 2000, 'finish');
    // The released run failed after the hand-over; its late write must not land on the new instance's run.
    expect(final).toMatchObject({ nextRunAt: null });
    expect(final.lockedAt).toBeUndefined();
    expect(final.failReason).toBeUndefined();
    await sleep(lockLifetimeMs / 2); // Agenda's lock watchdog sleeps lockLifetime/2 after each run
  });

  it('keeps a registry, rejects unknown and duplicate jobs, and answers ping only while running', async () => {
    const scheduler = make();
    scheduler.define('a', async () => {}, { concurrency: 2, retry: { attempts: 3, backoffMs: 10 } });
    scheduler.define('b', async () => {}, { lockLifetimeMs: 5000 });
    expect(scheduler.definedJobs()).toEqual([
      { name: 'a', concurrency: 2, lockLifetimeMs: 1000, retry: { attempts: 3, backoffMs: 10 } },
      { name: 'b', concurrency: undefined, lockLifetimeMs: 5000, retry: undefined },
    ]);
    expect(() => scheduler.define('a', async () => {})).toThrow(/already defined/);
    expect(() => scheduler.define('c', async () => {}, { retry: { attempts: 0, backoffMs: 1 } })).toThrow(/attempts/);
    await expect(scheduler.now('typo', {})).rejects.toThrow(/not defined/);
    await expect(scheduler.ping()).rejects.toThrow(/not running/);
    await scheduler.start();
    await expect(scheduler.ping()).resolves.toBeUndefined();
    await scheduler.stop();
    await expect(scheduler.ping()).rejects.toThrow(/not running/);
  });
});
