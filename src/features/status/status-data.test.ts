import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createLowdbJobsBackend, createScheduler, type Scheduler } from '../../jobs/index.js';
import { openLowdbStore } from '../../store/index.js';
import type { Store } from '../../store/port.js';
import type { Tenant } from '../../store/types.js';
import { statusData } from './index.js';

const MINE = 'ws-mine';
const OTHER = 'ws-other';
const TENANT = 'c0c0c0c0-1111-4000-8000-000000000001';

describe('statusData with real job runs', () => {
  let dir: string;
  let store: Store;
  let backend: ReturnType<typeof createLowdbJobsBackend>;
  let scheduler: Scheduler;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ts-status-'));
    store = await openLowdbStore({ dataDir: dir });
    backend = createLowdbJobsBackend(path.join(dir, 'jobs.json'));
    scheduler = createScheduler({ backend, logger: pino({ level: 'silent' }), processEvery: 50, defaultLockLifetime: 1000 });
  });
  afterEach(async () => {
    await scheduler.stop({ timeoutMs: 1000 });
    await backend.disconnect();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('shows this workspace\'s last run and result, never the failure of another workspace connected to the same tenant', async () => {
    scheduler.define<{ workspaceId: string }>('health.check', async (data) => {
      if (data.workspaceId === OTHER) throw new Error('Fabrikam: AADSTS50173 for admin@fabrikam.example');
    });
    scheduler.define<{ workspaceId: string }>('tags.sync', async (data) => {
      if (data.workspaceId === MINE) throw new Error('ARM answered 503');
    });
    await scheduler.start();
    for (const workspaceId of [MINE, OTHER]) {
      await scheduler.now('health.check', { workspaceId, tenantId: TENANT });
      await scheduler.now('tags.sync', { workspaceId, tenantId: TENANT });
    }
    const deadline = Date.now() + 5000;
    while ((await scheduler.lastRuns()).some((r) => r.jobs !== 2 || r.result === 'running' || r.result === 'never' || r.failing !== 1)) {
      if (Date.now() > deadline) throw new Error('jobs did not finish');
      await new Promise((r) => setTimeout(r, 20));
    }
    const tenant: Tenant = { id: TENANT, workspaceId: MINE, displayName: 'Contoso', consentedBy: { aadObjectId: 'a' }, consentedAt: '2025-03-01T00:00:00Z', credentials: {} };
    const data = await statusData({ store, scheduler, now: () => new Date('2025-03-02T00:00:00Z') }, { workspaceId: MINE, aadObjectId: 'a', name: 'A', role: 'owner' }, [tenant]);

    expect(data.tenants[0].jobs).toEqual([
      { title: 'health.check', value: expect.stringMatching(/^✅ succeeded · \d{4}-\d\d-\d\d \d\d:\d\d UTC$/) },
      { title: 'tags.sync', value: expect.stringMatching(/^❌ failed · .* UTC · ARM answered 503$/) },
    ]);
    expect(JSON.stringify(data)).not.toContain('Fabrikam');
    expect(data.summary).toBe('1 connected tenant · your role: owner · as of 2025-03-02 00:00 UTC');
  });
});
