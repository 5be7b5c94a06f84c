import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { loadDeltaCheckpoint } from '../../src/features/m365/delta-checkpoint.js';
import { importUsers } from '../../src/features/m365/user-import.js';
import { openLowdbStore } from '../../src/store/index.js';
import { appPageReader, tempStore } from './support.js';

const worker = fileURLToPath(new URL('./fixtures/import-worker.ts', import.meta.url));

/** Restart: a process killed (SIGKILL) in the middle of an import, then the import run again. */
describe('m365 import survives a killed process', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'm365-restart' });
  });
  afterAll(() => emu.close());

  test('killed after storing page 4 and before its checkpoint: the next run resumes there, nobody missing or duplicated', async () => {
    const db = await tempStore();
    const tenantId = emu.homeTenantId;
    await db.store.close(); // the worker owns the data dir while it runs (lowdb is one process per dir)
    const child = spawn(process.execPath, ['--import', 'tsx', worker, db.dataDir, JSON.stringify({ authority: emu.urls.authority, graph: emu.urls.graph, tenantId, clientId: emu.demoApp.clientId, clientSecret: emu.demoApp.clientSecret })], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c) => void (stderr += c));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker never stored page 4: ${stdout} ${stderr}`)), 20_000);
      child.stdout.on('data', (c) => {
        stdout += c;
        if (stdout.includes('stored 4\n')) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`worker exited (${code}) before page 4: ${stderr}`)));
    });
    await once(child, 'exit');
    expect(stdout).not.toContain('finished');

    const store = await openLowdbStore({ dataDir: db.dataDir });
    try {
      expect(await loadDeltaCheckpoint(store, 'ws', tenantId)).toMatchObject({ kind: 'next', round: 'full', counts: { pages: 3 } });
      expect(await store.directoryUsers.count('ws', { tenantId })).toBe(12); // page 4 stored, its checkpoint not

      const result = await importUsers({ store, workspaceId: 'ws', tenantId, readPage: appPageReader(emu, tenantId, { maxPageSize: 3 }), now: () => new Date() });
      expect(result).toMatchObject({ round: 'full', resumed: true, total: emu.world.userCount(tenantId) });
      const ids = (await store.directoryUsers.find('ws', { tenantId })).map((u) => u.userId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual([...emu.world.users(tenantId)].map((u) => u.id).sort());
    } finally {
      await store.close();
      await rm(db.dataDir, { recursive: true, force: true });
    }
  });
});
