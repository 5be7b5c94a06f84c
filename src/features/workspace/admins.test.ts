import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openLowdbStore } from '../../store/index.js';
import type { Store } from '../../store/port.js';
import type { Workspace } from '../../store/types.js';
import { addAdmin, changeAdmins, removeAdmin } from './admins.js';

const WS = 'ws-1';
const person = (n: number) => ({ aadObjectId: `0000000${n}-0000-4000-8000-000000000000`, name: `Person ${n}` });

describe('changeAdmins (compare-and-set on the workspace)', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ts-admins-'));
    store = await openLowdbStore({ dataDir: dir });
    const workspace: Workspace = { id: WS, workspaceId: WS, admins: [{ ...person(1), role: 'owner' }, { ...person(2), role: 'owner' }], settings: {}, createdAt: '2025-01-01T00:00:00.000Z' };
    await store.workspaces.upsert(workspace);
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('two owners adding at the same moment both land: neither change is lost', async () => {
    let tick = 0;
    const at = () => new Date(Date.UTC(2025, 0, 2, 0, 0, 0, ++tick)).toISOString();
    await Promise.all([3, 4, 5].map((n) => changeAdmins(store, WS, (w) => addAdmin(w, person(n), 'admin', at()))));
    expect((await store.workspaces.get(WS, WS))!.admins.map((a) => a.name).sort()).toEqual(['Person 1', 'Person 2', 'Person 3', 'Person 4', 'Person 5']);
  });

  test('two owners removing each other at once leave one owner, never none', async () => {
    let tick = 0;
    const at = () => new Date(Date.UTC(2025, 0, 2, 0, 0, 0, ++tick)).toISOString();
    const results = await Promise.all([1, 2].map((n) => changeAdmins(store, WS, (w) => removeAdmin(w, person(n), at()))));
    expect(results.map((r) => r.kind).sort()).toEqual(['changed', 'refused']);
    expect((await store.workspaces.get(WS, WS))!.admins.filter((a) => a.role === 'owner')).toHaveLength(1);
  });
});
