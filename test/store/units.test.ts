/** Pure parts of the store: the MongoDB filter builder, URI parsing, and lowdb's write queue. */
import { dbNameFromUri } from '../../src/store/mongo/store.js';
import { toFilter } from '../../src/store/mongo/collection.js';
import { CoalescingWriter } from '../../src/store/lowdb/writeQueue.js';
import { checkWhere, scopedFilter } from '../../src/store/validate.js';

describe('MongoDB filter building', () => {
  it('always scopes to the workspace it was given', () => {
    expect(toFilter('ws-a', [['tenantId', 't1'], ['workspaceId', 'ws-b']])).toEqual({ tenantId: 't1', workspaceId: 'ws-a' });
  });

  it('builds only from validated primitives', () => {
    const entries = scopedFilter('ws', { syncMode: 'readTags', role: null, n: 3, on: false, skip: undefined });
    expect(toFilter('ws', entries!)).toEqual({ syncMode: 'readTags', role: null, n: 3, on: false, workspaceId: 'ws' });
    expect(() => checkWhere({ id: { $gt: '' } })).toThrow(/equality only/);
    expect(scopedFilter('ws', { workspaceId: 'other' })).toBeNull();
  });

  it('reads the database name from a URI', () => {
    expect(dbNameFromUri('mongodb://h1:27017,h2:27017/steward?replicaSet=rs0')).toBe('steward');
    expect(dbNameFromUri('mongodb+srv://user:p%40ss@cluster.example.net/prod')).toBe('prod');
    expect(dbNameFromUri('mongodb://127.0.0.1:27017')).toBeUndefined();
    expect(dbNameFromUri('mongodb://127.0.0.1:27017/?directConnection=true')).toBeUndefined();
  });
});

describe('CoalescingWriter', () => {
  it('shares one waiting write among requests and always writes the latest state', async () => {
    let state = 0;
    const written: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const writer = new CoalescingWriter(async () => {
      const snapshot = state;
      if (written.length === 0) await gate;
      written.push(snapshot);
    });
    state = 1;
    const first = writer.request();
    expect(writer.request()).toBe(first); // not started yet: the same write will carry both changes
    await new Promise((r) => setImmediate(r)); // the first write has now taken its snapshot and waits
    state = 2;
    const second = writer.request();
    state = 3;
    const third = writer.request();
    expect(third).toBe(second);
    expect(second).not.toBe(first);
    release();
    await Promise.all([first, second, third]);
    expect(written).toEqual([1, 3]);
    await writer.idle();
  });

  it('rejects the requesters of a failed write, then lets the next request write again', async () => {
    let fail = true;
    let writes = 0;
    const writer = new CoalescingWriter(async () => {
      writes++;
      if (fail) throw new Error('disk full');
    });
    await expect(writer.request()).rejects.toThrow('disk full');
    fail = false;
    await expect(writer.request()).resolves.toBeUndefined();
    expect(writes).toBe(2);
  });
});
