/** The Store contract against lowdb, plus what only the file layout can show. */
import { appendFile, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
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
    open: () => openLowdbStore({ dataDir, compactAfter: 3 }), // compacts often, so the contract runs across compactions
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
    store = await openLowdbStore({ dataDir, onFileWrite: (f) => writes.push(relative(dataDir, f)) });
  });

  afterEach(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const logFile = (tenant: string) => join('imports', 'directoryUsers', 'ws', tenant, 'records.jsonl');

  async function importUsers(tenantId: string, count: number): Promise<void> {
    for (let from = 0; from < count; from += 999) {
      await store.directoryUsers.bulkUpsert(users('ws', tenantId, from, Math.min(999, count - from)));
    }
  }

  async function linesOf(file: string): Promise<Array<{ userId?: string; displayName?: string; $removed?: string }>> {
    return (await readFile(join(dataDir, file), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  }

  it('appends each write to its tenant\'s log: an import page costs its own lines, a later change only the changed records', async () => {
    await importUsers('t1', 12_000);
    expect(await listFiles(join(dataDir, 'imports'))).toEqual([join('directoryUsers', 'ws', 't1', 'records.jsonl')]);
    expect(writes).toEqual(Array(13).fill(logFile('t1'))); // one append per page
    expect(await linesOf(logFile('t1'))).toHaveLength(12_000);

    writes.length = 0;
    const size = (await stat(join(dataDir, logFile('t1')))).size;
    const changed = users('ws', 't1', 6000, 10).map((u) => ({ ...u, displayName: 'changed' }));
    expect(await store.directoryUsers.bulkUpsert(changed)).toEqual({ inserted: 0, updated: 10 });
    expect(writes).toEqual([logFile('t1')]);
    const lines = await linesOf(logFile('t1'));
    expect(lines).toHaveLength(12_010);
    expect(lines.slice(-10).map((l) => l.displayName)).toEqual(Array(10).fill('changed'));
    expect((await stat(join(dataDir, logFile('t1')))).size - size).toBeLessThan(10 * 1000);

    writes.length = 0;
    await store.directoryUsers.bulkUpsert(users('ws', 't2', 0, 10));
    expect(writes).toEqual([logFile('t2')]);
  });

  it('reloads a log with the later line of an id winning, removals applied, and keeps appending', async () => {
    await importUsers('t1', 3000);
    await store.directoryUsers.upsert({ ...user('ws', 't1', 7), displayName: 'renamed' });
    expect(await store.directoryUsers.delete('ws', scopedId('t1', 'user-000008'))).toBe(true);
    await store.close();
    store = await openLowdbStore({ dataDir, onFileWrite: (f) => writes.push(relative(dataDir, f)) });
    expect(await store.directoryUsers.count('ws', { tenantId: 't1' })).toBe(2999);
    expect((await store.directoryUsers.get('ws', scopedId('t1', 'user-000007')))?.displayName).toBe('renamed');
    expect(await store.directoryUsers.get('ws', scopedId('t1', 'user-000008'))).toBeUndefined();
    writes.length = 0;
    await store.directoryUsers.upsert(user('ws', 't1', 99_999));
    expect(writes).toEqual([logFile('t1')]);
    expect(await linesOf(logFile('t1'))).toHaveLength(3003);
  });

  it('compacts a log once superseded lines outnumber live records, keeping one line per live record', async () => {
    await store.close();
    store = await openLowdbStore({ dataDir, compactAfter: 100 });
    await importUsers('t1', 500);
    for (let round = 0; round < 2; round++) await store.directoryUsers.bulkUpsert(users('ws', 't1', 0, 500).map((u) => ({ ...u, displayName: `round ${round}` })));
    // 1,500 lines for 500 live records after the second round: the write that took it past the threshold rewrote the log.
    const lines = await linesOf(logFile('t1'));
    expect(lines).toHaveLength(500);
    expect(new Set(lines.map((l) => l.displayName))).toEqual(new Set(['round 1']));
    await store.close();
    store = await openLowdbStore({ dataDir });
    expect(await store.directoryUsers.count('ws', { tenantId: 't1', displayName: 'round 1' })).toBe(500);
  });

  it('skips a torn last line (a crash mid-append), and rewrites the log at the next write', async () => {
    await importUsers('t1', 20);
    await store.close();
    await appendFile(join(dataDir, logFile('t1')), '{"id":"t1/user-000099","workspaceId":"ws","tena');
    store = await openLowdbStore({ dataDir });
    expect(await store.directoryUsers.count('ws', { tenantId: 't1' })).toBe(20);
    await store.directoryUsers.upsert(user('ws', 't1', 21));
    expect(await linesOf(logFile('t1'))).toHaveLength(21);
  });

  it('reads the segment files of the earlier layout, and replaces them with a log at the first write', async () => {
    await store.close();
    const dir = join(dataDir, 'imports', 'directoryUsers', 'ws', 't1');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'seg-0001.json'), JSON.stringify({ records: users('ws', 't1', 0, 5) }));
    await writeFile(join(dir, 'seg-0002.json'), JSON.stringify({ records: [{ ...user('ws', 't1', 4), displayName: 'later segment' }, ...users('ws', 't1', 5, 3)] }));
    store = await openLowdbStore({ dataDir });
    expect(await store.directoryUsers.count('ws', { tenantId: 't1' })).toBe(8);
    expect((await store.directoryUsers.get('ws', scopedId('t1', 'user-000004')))?.displayName).toBe('later segment');
    await store.directoryUsers.upsert(user('ws', 't1', 8));
    expect(await listFiles(dir)).toEqual(['records.jsonl']);
    expect(await linesOf(logFile('t1'))).toHaveLength(9);
    await store.close();
    store = await openLowdbStore({ dataDir });
    expect((await store.directoryUsers.get('ws', scopedId('t1', 'user-000004')))?.displayName).toBe('later segment');
  });

  it('reads records back from the log by byte offset, multi-byte text included, before and after a reopen', async () => {
    const names = ['Zoë Ünïcødé', '名前 テスト', 'emoji 🚀 rocket', 'plain'];
    await store.directoryUsers.bulkUpsert(names.map((displayName, n) => user('ws', 't1', n, { displayName })));
    await store.directoryUsers.bulkUpsert([user('ws', 't1', 9, { displayName: 'après 🚀' })]); // an append after multi-byte lines
    const check = async () => {
      for (const [n, name] of names.entries()) expect((await store.directoryUsers.get('ws', scopedId('t1', user('ws', 't1', n).userId)))?.displayName).toBe(name);
      expect((await store.directoryUsers.find('ws', { displayName: 'après 🚀' })).map((u) => u.userId)).toEqual(['user-000009']);
    };
    await check();
    await store.close();
    store = await openLowdbStore({ dataDir });
    await check();
  });

  it('answers a filter or sort on a field no index was declared for, and keeps that index current', async () => {
    await store.directoryUsers.bulkUpsert(users('ws', 't1', 0, 30).map((u, n) => ({ ...u, jobTitle: n % 3 === 0 ? 'Engineer' : 'Analyst' })));
    await store.close();
    store = await openLowdbStore({ dataDir });
    expect(await store.directoryUsers.count('ws', { jobTitle: 'Engineer' })).toBe(10);
    await store.directoryUsers.upsert({ ...user('ws', 't1', 1), jobTitle: 'Engineer' });
    await store.directoryUsers.upsert({ ...user('ws', 't1', 0), jobTitle: undefined });
    expect(await store.directoryUsers.count('ws', { jobTitle: 'Engineer' })).toBe(10);
    expect(await store.directoryUsers.count('ws', { jobTitle: null })).toBe(1);
    expect(await store.directoryUsers.count('ws', { id: scopedId('t1', 'user-000001'), jobTitle: 'Engineer' })).toBe(1);
    expect(await store.directoryUsers.count('ws', { id: scopedId('t1', 'user-000002'), jobTitle: 'Engineer' })).toBe(0);
    expect(await store.directoryUsers.count('ws', { jobTitle: 'Analyst', accountEnabled: true, tenantId: 't1' })).toBe(10);
    const byTitle = await store.directoryUsers.find('ws', { tenantId: 't1' }, { sort: { field: 'jobTitle', dir: -1 }, limit: 2 });
    expect(byTitle.map((u) => u.userId)).toEqual(['user-000001', 'user-000003']);
  });

  it('keeps no reference to the records it was given: later changes to them are not stored or indexed', async () => {
    const input = user('ws', 't1', 1, { assignedSkuIds: ['sku-e3'] });
    await store.directoryUsers.upsert(input);
    input.assignedSkuIds!.push('sku-e5');
    input.displayName = 'mutated';
    expect(await store.directoryUsers.count('ws', { assignedSkuIds: 'sku-e5' })).toBe(0);
    expect(await store.directoryUsers.count('ws', { assignedSkuIds: 'sku-e3' })).toBe(1);
    expect((await store.directoryUsers.get('ws', input.id))?.displayName).toBe('User 1');
  });

  it('serves reads that run between the steps of appends and compactions with the latest records', async () => {
    await store.close();
    store = await openLowdbStore({ dataDir, compactAfter: 5 });
    await store.directoryUsers.bulkUpsert(users('ws', 't1', 0, 40));
    const expected = new Map(users('ws', 't1', 0, 40).map((u) => [u.id, u.displayName]));
    for (let round = 0; round < 12; round++) {
      const changed = users('ws', 't1', (round * 7) % 40, 25).map((u) => ({ ...u, displayName: `round ${round}` }));
      const writes: Promise<unknown>[] = [store.directoryUsers.bulkUpsert(changed)];
      for (const u of changed) expected.set(u.id, u.displayName);
      if (round % 4 === 3) {
        writes.push(store.directoryUsers.delete('ws', scopedId('t1', user('ws', 't1', round).userId)));
        expected.delete(scopedId('t1', user('ws', 't1', round).userId));
      }
      // The changes are applied; their file write (an append, or a compaction every few rounds) is under way.
      await new Promise((resolve) => setImmediate(resolve));
      expect((await store.directoryUsers.get('ws', changed[24].id))?.displayName).toBe(`round ${round}`);
      expect(await store.directoryUsers.count('ws', { displayName: `round ${round}` })).toBe([...expected.values()].filter((d) => d === `round ${round}`).length);
      await Promise.all(writes);
    }
    const live = async () => new Map((await store.directoryUsers.find('ws')).map((u) => [u.id, u.displayName]));
    expect(await live()).toEqual(expected);
    await store.close();
    store = await openLowdbStore({ dataDir });
    expect(await live()).toEqual(expected);
    expect((await linesOf(logFile('t1'))).length).toBeLessThan(expected.size * 3);
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
