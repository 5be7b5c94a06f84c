/** The Store contract against lowdb, plus what only the file layout can show. */
import { mkdtemp, readFile, readdir, rm, stat, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { openLowdbStore, scopedId, type Store } from '../../src/store/index.js';
import { runStoreContract } from './contract.js';
import { user, users } from './fixtures.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'store-lowdb-'));
}

runStoreContract('lowdb', async () => {
  const dataDir = await tempDir();
  return {
    open: () => openLowdbStore({ dataDir, segmentSize: 7 }), // small segments so the contract crosses segment files
    destroy: () => rm(dataDir, { recursive: true, force: true }),
  };
});

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

describe('lowdb store: files', () => {
  let dataDir: string;
  let store: Store;
  let writes: string[];

  beforeEach(async () => {
    dataDir = await tempDir();
    writes = [];
    store = await openLowdbStore({ dataDir, segmentSize: 5000, onFileWrite: (f) => writes.push(relative(dataDir, f)) });
  });

  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const segDir = join('imports', 'directoryUsers', 'ws', 't1');
  const seg = (no: number) => join(segDir, `seg-000${no}.json`);

  async function importUsers(tenantId: string, count: number): Promise<void> {
    for (let from = 0; from < count; from += 999) {
      await store.directoryUsers.bulkUpsert(users('ws', tenantId, from, Math.min(999, count - from)));
    }
  }

  async function recordsIn(file: string): Promise<string[]> {
    const parsed = JSON.parse(await readFile(join(dataDir, file), 'utf8')) as { records: Array<{ userId: string }> };
    return parsed.records.map((r) => r.userId);
  }

  it('stores an import per tenant in segments, and rewrites only the segments a later change touches', async () => {
    await importUsers('t1', 12_000);
    expect((await listFiles(join(dataDir, segDir)))).toEqual(['seg-0001.json', 'seg-0002.json', 'seg-0003.json']);
    expect(await recordsIn(seg(1))).toHaveLength(5000);
    expect(await recordsIn(seg(2))).toHaveLength(5000);
    expect(await recordsIn(seg(3))).toHaveLength(2000);
    // 13 pages, each writing the open segment (and the next one when a page crosses a boundary).
    expect(writes.length).toBeLessThanOrEqual(15);

    const before = await Promise.all([1, 2, 3].map((n) => stat(join(dataDir, seg(n)))));
    writes.length = 0;
    const changed = users('ws', 't1', 6000, 10).map((u) => ({ ...u, displayName: 'changed' }));
    expect(await store.directoryUsers.bulkUpsert(changed)).toEqual({ inserted: 0, updated: 10 });
    expect(writes).toEqual([seg(2)]);
    const after = await Promise.all([1, 2, 3].map((n) => stat(join(dataDir, seg(n)))));
    expect(after[0].ino).toBe(before[0].ino); // steno renames a new file into place, so a rewrite changes the inode
    expect(after[2].ino).toBe(before[2].ino);
    expect(after[1].ino).not.toBe(before[1].ino);

    writes.length = 0;
    await store.directoryUsers.bulkUpsert([{ ...user('ws', 't1', 1), displayName: 'x' }, user('ws', 't1', 50_000)]);
    expect(writes.sort()).toEqual([seg(1), seg(3)]);
    expect(await recordsIn(seg(3))).toHaveLength(2001);

    writes.length = 0;
    await store.directoryUsers.bulkUpsert(users('ws', 't2', 0, 10));
    expect(writes).toEqual([join('imports', 'directoryUsers', 'ws', 't2', 'seg-0001.json')]);
  });

  it('reloads segments, finds records in any of them, and appends after the last one', async () => {
    await importUsers('t1', 10_500);
    await store.close();
    store = await openLowdbStore({ dataDir, segmentSize: 5000, onFileWrite: (f) => writes.push(relative(dataDir, f)) });
    expect(await store.directoryUsers.count('ws', { tenantId: 't1' })).toBe(10_500);
    expect((await store.directoryUsers.get('ws', scopedId('t1', 'user-007777')))?.displayName).toBe('User 7777');
    writes.length = 0;
    await store.directoryUsers.upsert(user('ws', 't1', 99_999));
    expect(writes).toEqual([seg(3)]);
  });

  it('coalesces concurrent writes to one file', async () => {
    await Promise.all(Array.from({ length: 200 }, (_, n) => store.checkpoints.upsert({
      id: `k${n}`, workspaceId: 'ws', value: String(n), updatedAt: 'now',
    })));
    expect(writes.filter((w) => w === 'checkpoints.json').length).toBeLessThan(10);
    const onDisk = JSON.parse(await readFile(join(dataDir, 'checkpoints.json'), 'utf8')) as { records: unknown[] };
    expect(onDisk.records).toHaveLength(200);
  });

  it('keeps hostile workspace and tenant ids inside the data dir', async () => {
    await store.directoryUsers.upsert(user('../../escape', '..', 1));
    await store.directoryUsers.upsert(user('.', 'a/b\\c', 2));
    expect(await store.directoryUsers.count('../../escape')).toBe(1);
    const files = await listFiles(dataDir);
    expect(files).toHaveLength(2);
    for (const f of files) expect(f.startsWith(join('imports', 'directoryUsers'))).toBe(true);
    expect(files.every((f) => !f.split('/').includes('..'))).toBe(true);
  });

  it('skips a torn last audit line and keeps appending after it', async () => {
    await store.audit.append({ workspaceId: 'ws', actor: 'u', action: 'one', target: 't', outcome: 'success' });
    await store.close();
    await appendFile(join(dataDir, 'audit.jsonl'), '{"workspaceId":"ws","act');
    store = await openLowdbStore({ dataDir });
    await store.audit.append({ workspaceId: 'ws', actor: 'u', action: 'two', target: 't', outcome: 'success' });
    expect((await store.audit.list('ws')).map((e) => e.action)).toEqual(['one', 'two']);
  });

  it('names the file when a collection file is corrupt', async () => {
    await store.close();
    await writeFile(join(dataDir, 'tenants.json'), '{ not json');
    await expect(openLowdbStore({ dataDir })).rejects.toThrow(/tenants\.json/);
    store = await openLowdbStore({ dataDir: join(dataDir, 'fresh') });
  });
});
