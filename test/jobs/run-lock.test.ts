import { openLowdbStore } from '../../src/store/index.js';
import { takeRunLock } from '../../src/jobs/run-lock.js';
import { tempDir } from './helpers.js';

/** The per-tenant run lock (m365, saas): one run at a time, and a crashed run's lock does not block its own re-run. */
describe('run lock', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => { dir = await tempDir(); });
  afterEach(() => dir.remove());

  test('held by a live run: another run, of another job or of none, is refused until it is released', async () => {
    const store = await openLowdbStore({ dataDir: dir.path });
    try {
      const now = () => new Date();
      const daily = await takeRunLock(store, 'm365', 'ws', 't1', now, { runId: 'job-daily' });
      expect(daily).toBeDefined();
      expect(await takeRunLock(store, 'm365', 'ws', 't1', now, { runId: 'job-on-demand' })).toBeUndefined();
      expect(await takeRunLock(store, 'm365', 'ws', 't1', now)).toBeUndefined();
      expect(await takeRunLock(store, 'm365', 'ws', 't2', now, { runId: 'job-other-tenant' })).toBeDefined();
      await daily!.release();
      expect(await takeRunLock(store, 'm365', 'ws', 't1', now, { runId: 'job-on-demand' })).toBeDefined();
    } finally {
      await store.close();
    }
  });

  test('left by a killed run of the same job: the re-run takes it over at once, and the dead run can no longer release it', async () => {
    const store = await openLowdbStore({ dataDir: dir.path });
    try {
      const now = () => new Date();
      const dead = (await takeRunLock(store, 'saas', 'ws', 't1', now, { runId: 'job-42' }))!;
      // The process died holding it (no release); the scheduler runs job-42 again once its own lock expired.
      const rerun = await takeRunLock(store, 'saas', 'ws', 't1', now, { runId: 'job-42' });
      expect(rerun).toBeDefined();
      expect(await takeRunLock(store, 'saas', 'ws', 't1', now, { runId: 'job-43' })).toBeUndefined();
      await dead.release(); // not its lock any more: nothing happens
      expect(await takeRunLock(store, 'saas', 'ws', 't1', now, { runId: 'job-43' })).toBeUndefined();
      await rerun!.release();
      expect(await store.checkpoints.find('ws')).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
