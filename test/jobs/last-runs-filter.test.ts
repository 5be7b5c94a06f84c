import { createLowdbJobsBackend, createScheduler, type LowdbAgendaBackend, type Scheduler } from '../../src/jobs/index.js';
import { silentLogger, tempDir, waitFor } from './helpers.js';

describe('scheduler.lastRuns({ data })', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let backend: LowdbAgendaBackend;
  let scheduler: Scheduler;

  beforeEach(async () => {
    dir = await tempDir();
    backend = createLowdbJobsBackend(dir.file('jobs.json'));
    scheduler = createScheduler({ backend, logger: silentLogger, processEvery: 50, defaultLockLifetime: 1000 });
  });
  afterEach(async () => {
    await scheduler.stop({ timeoutMs: 1000 });
    await backend.disconnect();
    await dir.remove();
  });

  it('summarises only the jobs whose data contains the filter, so one workspace never sees another one\'s runs', async () => {
    scheduler.define<{ workspaceId: string; tenantId: string }>('health.check', async (data) => {
      if (data.workspaceId === 'other') throw new Error('secret failure of tenant Contoso');
    });
    await scheduler.start();
    await scheduler.now('health.check', { workspaceId: 'mine', tenantId: 't1' });
    const otherId = await scheduler.now('health.check', { workspaceId: 'other', tenantId: 't1' });
    await waitFor(async () => (await backend.repository.getJobById(otherId))?.failCount === 1, 3000, 'other run failed');
    await waitFor(async () => (await scheduler.lastRuns({ data: { workspaceId: 'mine', tenantId: 't1' } }))[0].result === 'succeeded', 3000, 'mine succeeded');

    const mine = await scheduler.lastRuns({ data: { workspaceId: 'mine', tenantId: 't1' } });
    expect(mine).toEqual([expect.objectContaining({ name: 'health.check', jobs: 1, result: 'succeeded', failing: 0 })]);
    expect(JSON.stringify(mine)).not.toContain('Contoso');
    expect(await scheduler.lastRuns({ data: { workspaceId: 'nobody' } })).toEqual([expect.objectContaining({ jobs: 0, result: 'never' })]);
    expect((await scheduler.lastRuns())[0]).toMatchObject({ jobs: 2, failing: 1 });
  });
});
