import { readdir, readFile } from 'node:fs/promises';
import type { JobParameters } from 'agenda';
import { tempDir } from '../../../test/jobs/helpers.js';
import { LowdbJobRepository } from './repository.js';

const job = (fields: Partial<JobParameters> & { name: string }): JobParameters =>
  ({ priority: 0, type: 'normal', data: {}, nextRunAt: new Date(), ...fields }) as JobParameters;

describe('LowdbJobRepository (Mongo semantics on a JSON file)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let repo: LowdbJobRepository;
  const opts = { lastModifiedBy: 'test' };

  beforeEach(async () => {
    dir = await tempDir();
    repo = new LowdbJobRepository(dir.file('nested/jobs.json'));
    await repo.connect();
  });
  afterEach(async () => {
    await repo.flush();
    await dir.remove();
  });

  it('lets exactly one of many concurrent lock attempts win', async () => {
    const saved = await repo.saveJob(job({ name: 'sync', nextRunAt: new Date(Date.now() - 1000) }), opts);
    const scan = new Date(Date.now() + 1000);
    const deadline = new Date(Date.now() - 60_000);
    const attempts = await Promise.all(Array.from({ length: 20 }, () => repo.getNextJobToRun('sync', scan, deadline, undefined, opts)));
    expect(attempts.filter(Boolean)).toHaveLength(1);

    const direct = await Promise.all(Array.from({ length: 5 }, () => repo.lockJob(saved, opts)));
    expect(direct.filter(Boolean)).toHaveLength(0); // already locked by the winner above
    const onDisk = JSON.parse(await readFile(dir.file('nested/jobs.json'), 'utf8'));
    expect(onDisk.jobs[0].lockedAt).toEqual(expect.any(String));
  });

  it('lockJob wins once, and only while nextRunAt still matches', async () => {
    const saved = await repo.saveJob(job({ name: 'a' }), opts);
    expect(await repo.lockJob({ ...saved, nextRunAt: new Date(0) }, opts)).toBeUndefined();
    const results = await Promise.all([repo.lockJob(saved, opts), repo.lockJob(saved, opts)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('re-locks a job only once its lock is older than the lock deadline', async () => {
    await repo.saveJob(job({ name: 'sync', nextRunAt: new Date(Date.now() - 1000) }), opts);
    const lockedAt = new Date(Date.now() - 5000);
    const scan = new Date();
    expect(await repo.getNextJobToRun('sync', scan, new Date(0), lockedAt, opts)).toBeDefined();
    expect(await repo.getNextJobToRun('sync', scan, new Date(lockedAt.getTime() - 1), undefined, opts)).toBeUndefined();
    const relocked = await repo.getNextJobToRun('sync', scan, new Date(lockedAt.getTime() + 1), undefined, opts);
    expect(relocked?.lockedAt!.getTime()).toBeGreaterThan(lockedAt.getTime());
  });

  it('picks the earliest due job first, then higher priority, and skips disabled and future jobs', async () => {
    const now = Date.now();
    await repo.saveJob(job({ name: 'n', nextRunAt: new Date(now - 1000), priority: 0, data: { id: 'late-low' } }), opts);
    await repo.saveJob(job({ name: 'n', nextRunAt: new Date(now - 5000), priority: 0, data: { id: 'early-disabled' }, disabled: true }), opts);
    await repo.saveJob(job({ name: 'n', nextRunAt: new Date(now - 1000), priority: 10, data: { id: 'late-high' } }), opts);
    await repo.saveJob(job({ name: 'n', nextRunAt: new Date(now + 60_000), data: { id: 'future' } }), opts);
    const order: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const next = await repo.getNextJobToRun('n', new Date(now + 100), new Date(0), undefined, opts);
      order.push(next && (next.data as { id: string }).id);
    }
    expect(order).toEqual(['late-high', 'late-low', undefined, undefined]);
  });

  it('persists to disk with atomic writes, and a new instance reads dates back as Dates', async () => {
    const when = new Date('2030-01-02T03:04:05.000Z');
    const saved = await repo.saveJob(job({ name: 'report', nextRunAt: when, data: { tenantId: 't1', pages: [1, 2] } }), opts);
    const reopened = new LowdbJobRepository(dir.file('nested/jobs.json'));
    const loaded = await reopened.getJobById(saved._id!);
    expect(loaded).toMatchObject({ name: 'report', data: { tenantId: 't1', pages: [1, 2] }, lastModifiedBy: 'test' });
    expect(loaded!.nextRunAt).toEqual(when);
    expect(await readdir(dir.file('nested'))).toEqual(['jobs.json']); // no temp file left behind
  });

  it('a repository used before connect() does not overwrite jobs already on disk', async () => {
    await repo.saveJob(job({ name: 'first' }), opts);
    const second = new LowdbJobRepository(dir.file('nested/jobs.json'));
    await second.saveJob(job({ name: 'second' }), opts);
    expect((await second.getDistinctJobNames()).sort()).toEqual(['first', 'second']);
  });

  it("upserts 'single' jobs by name and keeps a stored nextRunAt when the new one is already due", async () => {
    const later = new Date(Date.now() + 3_600_000);
    const first = await repo.saveJob(job({ name: 'digest', type: 'single', nextRunAt: later, repeatInterval: '1 hour' }), opts);
    const again = await repo.saveJob(job({ name: 'digest', type: 'single', nextRunAt: new Date(), repeatInterval: '1 hour' }), opts);
    expect(again._id).toBe(first._id);
    expect(again.nextRunAt).toEqual(later);
    expect((await repo.queryJobs({ name: 'digest' })).total).toBe(1);
  });

  it('upserts by unique key; insertOnly returns the existing job unchanged', async () => {
    const unique = { 'data.tenantId': 't1' };
    const a = await repo.saveJob({ ...job({ name: 'imp', data: { tenantId: 't1', v: 1 } }), unique, uniqueOpts: { insertOnly: true } }, opts);
    const b = await repo.saveJob({ ...job({ name: 'imp', data: { tenantId: 't1', v: 2 } }), unique, uniqueOpts: { insertOnly: true } }, opts);
    const c = await repo.saveJob({ ...job({ name: 'imp', data: { tenantId: 't2', v: 3 } }), unique: { 'data.tenantId': 't2' } }, opts);
    expect(b._id).toBe(a._id);
    expect(b.data).toEqual({ tenantId: 't1', v: 1 });
    expect(c._id).not.toBe(a._id);
    const d = await repo.saveJob({ ...job({ name: 'imp', data: { tenantId: 't1', v: 4 } }), unique }, opts);
    expect(d).toMatchObject({ _id: a._id, data: { v: 4 } });
    await expect(repo.saveJob({ ...job({ name: 'imp' }), unique: { $where: 'true' } }, opts)).rejects.toThrow(/not supported/);
  });

  it('trailing debounce pushes nextRunAt on every save', async () => {
    const save = () => repo.saveJob({ ...job({ name: 'idx', data: { e: 1 } }), unique: { 'data.e': 1 }, uniqueOpts: { debounce: { delay: 5000 } } }, opts);
    const first = await save();
    await new Promise((r) => setTimeout(r, 30));
    const second = await save();
    expect(second._id).toBe(first._id);
    expect(second.nextRunAt!.getTime()).toBeGreaterThan(first.nextRunAt!.getTime());
    expect(second.debounceStartedAt).toEqual(first.debounceStartedAt);
  });

  it('saveJobState records failure fields, and refuses a job that no longer exists', async () => {
    const saved = await repo.saveJob(job({ name: 'x' }), opts);
    const failedAt = new Date();
    await repo.saveJobState({ ...saved, failCount: 2, failReason: 'boom', failedAt, lastFinishedAt: failedAt, lockedAt: undefined }, opts);
    expect(await repo.getJobById(saved._id!)).toMatchObject({ failCount: 2, failReason: 'boom', failedAt });
    expect((await repo.queryJobs({ state: 'failed' })).total).toBe(1);
    await repo.removeJobs({ id: saved._id });
    await expect(repo.saveJobState(saved, opts)).rejects.toThrow(/cannot be updated/);
  });

  it('unlockJob leaves a running one-time job (nextRunAt null) locked; unlockJobs unlocks it', async () => {
    const saved = await repo.saveJob(job({ name: 'once' }), opts);
    const locked = await repo.lockJob(saved, opts);
    await repo.saveJobState({ ...locked!, nextRunAt: null }, opts);
    await repo.unlockJob(locked!);
    expect((await repo.getJobById(saved._id!))!.lockedAt).toBeDefined();
    await repo.unlockJobs([saved._id!]);
    expect((await repo.getJobById(saved._id!))!.lockedAt).toBeUndefined();
  });

  it('filters by partial data, removes nothing without criteria, and counts only real changes', async () => {
    await repo.saveJob(job({ name: 'a', data: { tenant: { id: 't1' }, kind: 'x' } }), opts);
    await repo.saveJob(job({ name: 'a', data: { tenant: { id: 't2' }, kind: 'x' } }), opts);
    await repo.saveJob(job({ name: 'b', data: { tenant: { id: 't1' } } }), opts);
    expect((await repo.queryJobs({ data: { tenant: { id: 't1' } } })).total).toBe(2);
    expect(await repo.removeJobs({})).toBe(0);
    expect(await repo.disableJobs({ name: 'a' })).toBe(2);
    expect(await repo.disableJobs({ name: 'a' })).toBe(0);
    expect((await repo.queryJobs({ includeDisabled: false })).total).toBe(1);
    expect(await repo.removeJobs({ notNames: ['b'] })).toBe(2);
    expect(await repo.getDistinctJobNames()).toEqual(['b']);
  });
});
