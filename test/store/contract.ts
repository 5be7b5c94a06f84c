/**
 * The Store contract: one suite, run against every adapter (lowdb.test.ts, mongo.test.ts).
 * A case here is a promise port.ts makes; an adapter that differs is wrong.
 */
import {
  StoreClosedError, UnsafeQueryError, scopedId, type Approval, type Store, type Tenant,
} from '../../src/store/index.js';
import { NOW, conversation, subscription, tenant, user, users, workspace } from './fixtures.js';

export interface StoreHarness {
  /** Opens a store on this harness's location (dir or database); again after close, to test persistence. */
  open(): Promise<Store>;
  /** Removes the location. */
  destroy(): Promise<void>;
}

const A = 'ws-a';
const B = 'ws-b';

export function runStoreContract(name: string, makeHarness: () => Promise<StoreHarness>, opts: { skip?: boolean } = {}): void {
  (opts.skip ? describe.skip : describe)(`Store contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: Store;

    beforeEach(async () => {
      harness = await makeHarness();
      store = await harness.open();
    });

    afterEach(async () => {
      await store.close();
      await harness.destroy();
    });

    async function reopen(): Promise<Store> {
      await store.close();
      store = await harness.open();
      return store;
    }

    describe('workspace isolation', () => {
      it('never shows or changes a record of workspace A through workspace B', async () => {
        await store.tenants.upsert(tenant(A, 't1', 'A tenant'));
        await store.tenants.upsert(tenant(A, 't2'));
        await store.tenants.upsert(tenant(B, 't1', 'B tenant'));

        expect((await store.tenants.get(A, 't1'))?.displayName).toBe('A tenant');
        expect((await store.tenants.get(B, 't1'))?.displayName).toBe('B tenant');
        expect(await store.tenants.get(B, 't2')).toBeUndefined();
        expect((await store.tenants.find(B)).map((t) => t.id)).toEqual(['t1']);
        expect(await store.tenants.count(B)).toBe(1);
        expect(await store.tenants.find(B, { workspaceId: A })).toEqual([]);
        expect(await store.tenants.count(B, { workspaceId: A })).toBe(0);

        expect(await store.tenants.delete(B, 't2')).toBe(false);
        expect(await store.tenants.deleteWhere(B, { workspaceId: A })).toBe(0);
        expect(await store.tenants.deleteWhere(B, {})).toBe(1);
        expect(await store.tenants.count(A)).toBe(2);
        expect(await store.tenants.count(B)).toBe(0);
      });

      it('isolates imported collections too', async () => {
        await store.directoryUsers.bulkUpsert(users(A, 'tenant-x', 0, 5));
        await store.directoryUsers.bulkUpsert(users(B, 'tenant-x', 0, 2));
        expect(await store.directoryUsers.count(A)).toBe(5);
        expect(await store.directoryUsers.count(B, { tenantId: 'tenant-x' })).toBe(2);
        expect(await store.directoryUsers.get(B, scopedId('tenant-x', 'user-000004'))).toBeUndefined();
        expect(await store.directoryUsers.deleteWhere(B, { tenantId: 'tenant-x' })).toBe(2);
        expect(await store.directoryUsers.count(A, { tenantId: 'tenant-x' })).toBe(5);
      });

      it('lists every tenant of every workspace through the cross-workspace listAll', async () => {
        await store.tenants.bulkUpsert([tenant(A, 't1'), tenant(B, 't1'), tenant(B, 't9')]);
        const all = await store.tenants.listAll();
        expect(all.map((t) => `${t.workspaceId}/${t.id}`).sort()).toEqual(['ws-a/t1', 'ws-b/t1', 'ws-b/t9']);
      });
    });

    describe('upsert', () => {
      it('replaces the whole record and does not store undefined fields', async () => {
        await store.subscriptions.upsert(subscription(A, 't1', 1, { lastSyncAt: NOW, counts: { resources: 3 } }));
        await store.subscriptions.upsert(subscription(A, 't1', 1, { displayName: 'Renamed', lastSyncAt: undefined }));
        const got = await store.subscriptions.get(A, scopedId('t1', 'sub-001'));
        expect(got?.displayName).toBe('Renamed');
        expect(got).not.toHaveProperty('lastSyncAt');
        expect(got).not.toHaveProperty('counts');
        expect(got).toEqual(subscription(A, 't1', 1, { displayName: 'Renamed' }));
      });

      it('hands out copies: mutating input or output does not change the stored record', async () => {
        const input = tenant(A, 't1', 'Original');
        await store.tenants.upsert(input);
        input.displayName = 'mutated input';
        const out = (await store.tenants.get(A, 't1'))!;
        out.displayName = 'mutated output';
        out.credentials.azureConsent!.state = 'revoked';
        const again = await store.tenants.get(A, 't1');
        expect(again?.displayName).toBe('Original');
        expect(again?.credentials.azureConsent?.state).toBe('ok');
      });

      it('requires a workspace record to be keyed by its own id', async () => {
        await store.workspaces.upsert(workspace(A));
        expect((await store.workspaces.get(A, A))?.admins[0].role).toBe('owner');
        await expect(store.workspaces.upsert({ ...workspace(A), workspaceId: B })).rejects.toThrow(UnsafeQueryError);
      });
    });

    describe('bulkUpsert', () => {
      it('counts inserted and updated, and is idempotent', async () => {
        expect(await store.directoryUsers.bulkUpsert(users(A, 't1', 0, 5))).toEqual({ inserted: 5, updated: 0 });
        expect(await store.directoryUsers.bulkUpsert(users(A, 't1', 0, 5))).toEqual({ inserted: 0, updated: 5 });
        expect(await store.directoryUsers.bulkUpsert(users(A, 't1', 3, 4))).toEqual({ inserted: 2, updated: 2 });
        expect(await store.directoryUsers.count(A)).toBe(7);
        expect(await store.directoryUsers.bulkUpsert([])).toEqual({ inserted: 0, updated: 0 });
      });

      it('lets the last of a repeated key win and counts it once', async () => {
        const first = user(A, 't1', 1, { displayName: 'first' });
        const last = user(A, 't1', 1, { displayName: 'last' });
        expect(await store.directoryUsers.bulkUpsert([first, user(A, 't1', 2), last])).toEqual({ inserted: 2, updated: 0 });
        expect((await store.directoryUsers.get(A, first.id))?.displayName).toBe('last');
      });

      it('rejects the whole batch when one record is invalid', async () => {
        const bad = { ...user(A, 't1', 2), tenantId: '' };
        await expect(store.directoryUsers.bulkUpsert([user(A, 't1', 1), bad])).rejects.toThrow(UnsafeQueryError);
        expect(await store.directoryUsers.count(A)).toBe(0);
      });
    });

    describe('find and count', () => {
      beforeEach(async () => {
        await store.subscriptions.bulkUpsert([
          subscription(A, 't1', 1, { displayName: 'Charlie', syncMode: 'readTags' }),
          subscription(A, 't1', 2, { displayName: 'alpha', syncMode: 'none', role: null }),
          subscription(A, 't2', 3, { displayName: 'Bravo', syncMode: 'readTags', lastSyncAt: NOW }),
          subscription(A, 't2', 4, { displayName: 'Bravo', syncMode: 'readWriteTags', role: 'Tag Contributor' }),
          subscription(B, 't1', 5, { syncMode: 'readTags' }),
        ]);
      });

      it('filters by equality on several fields', async () => {
        const readTags = await store.subscriptions.find(A, { syncMode: 'readTags' });
        expect(readTags.map((s) => s.subscriptionId)).toEqual(['sub-001', 'sub-003']);
        expect(await store.subscriptions.count(A, { syncMode: 'readTags', tenantId: 't2' })).toBe(1);
        expect(await store.subscriptions.count(A, { role: 'Tag Contributor' })).toBe(1);
        expect(await store.subscriptions.count(A, { syncMode: 'readTags', tenantId: 'nope' })).toBe(0);
      });

      it('matches null against a null or missing field, and ignores undefined filter values', async () => {
        expect((await store.subscriptions.find(A, { role: null })).map((s) => s.subscriptionId)).toEqual(['sub-002']);
        expect(await store.subscriptions.count(A, { lastSyncAt: null })).toBe(3);
        expect(await store.subscriptions.count(A, { syncMode: undefined })).toBe(4);
      });

      it('matches a primitive against an array field that contains it', async () => {
        await store.conversations.bulkUpsert([
          conversation(A, 'c1', ['m365.import', 'health']),
          conversation(A, 'c2', ['health']),
          conversation(B, 'c3', ['m365.import']),
        ]);
        expect((await store.conversations.find(A, { topics: 'm365.import' })).map((c) => c.id)).toEqual(['c1']);
        expect(await store.conversations.count(A, { topics: 'health' })).toBe(2);
        const [c1] = await store.conversations.find(A, { topics: 'm365.import' });
        expect(c1.reference.conversation?.id).toBe('c1');
      });

      it('filters booleans and does not confuse a string with a number', async () => {
        await store.directoryUsers.bulkUpsert(users(A, 't1', 0, 10));
        expect(await store.directoryUsers.count(A, { accountEnabled: true })).toBe(5);
        await store.licences.upsert({
          id: scopedId('t1', 'sku'), workspaceId: A, tenantId: 't1', skuId: 'sku', skuPartNumber: 'E3', purchased: 10, assigned: 7,
        });
        expect(await store.licences.count(A, { purchased: 10 })).toBe(1);
        expect(await store.licences.count(A, { skuPartNumber: 'E3', assigned: 7 })).toBe(1);
        expect(await store.licences.count(A, { skuId: 'sku', purchased: 11 })).toBe(0);
      });

      it('orders by id by default, and by a field then id when asked', async () => {
        expect((await store.subscriptions.find(A)).map((s) => s.subscriptionId)).toEqual(['sub-001', 'sub-002', 'sub-003', 'sub-004']);
        const asc = await store.subscriptions.find(A, {}, { sort: { field: 'displayName', dir: 1 } });
        // Binary string order (uppercase before lowercase), ties broken by id.
        expect(asc.map((s) => s.subscriptionId)).toEqual(['sub-003', 'sub-004', 'sub-001', 'sub-002']);
        const desc = await store.subscriptions.find(A, {}, { sort: { field: 'displayName', dir: -1 } });
        expect(desc.map((s) => s.subscriptionId)).toEqual(['sub-002', 'sub-001', 'sub-003', 'sub-004']);
        const byLastSync = await store.subscriptions.find(A, {}, { sort: { field: 'lastSyncAt', dir: 1 } });
        expect(byLastSync.map((s) => s.subscriptionId)).toEqual(['sub-001', 'sub-002', 'sub-004', 'sub-003']);
      });

      it('pages with offset and limit without gaps or overlaps', async () => {
        await store.directoryUsers.bulkUpsert(users(A, 't1', 0, 23));
        const pages: string[] = [];
        for (let offset = 0; offset < 30; offset += 10) {
          const page = await store.directoryUsers.find(A, {}, { offset, limit: 10, sort: { field: 'userPrincipalName', dir: -1 } });
          pages.push(...page.map((u) => u.userId));
        }
        expect(pages).toEqual(users(A, 't1', 0, 23).map((u) => u.userId).reverse());
        expect(await store.directoryUsers.find(A, {}, { limit: 0 })).toEqual([]);
        expect(await store.directoryUsers.find(A, {}, { offset: 100 })).toEqual([]);
      });
    });

    describe('delete', () => {
      it('deletes one record or every match, and says how many', async () => {
        await store.subscriptions.bulkUpsert([1, 2, 3, 4].map((n) => subscription(A, n % 2 ? 't1' : 't2', n)));
        expect(await store.subscriptions.delete(A, scopedId('t1', 'sub-001'))).toBe(true);
        expect(await store.subscriptions.delete(A, scopedId('t1', 'sub-001'))).toBe(false);
        expect(await store.subscriptions.deleteWhere(A, { tenantId: 't2' })).toBe(2);
        expect((await store.subscriptions.find(A)).map((s) => s.subscriptionId)).toEqual(['sub-003']);
      });

      it('deletes imported records by tenant', async () => {
        await store.directoryUsers.bulkUpsert([...users(A, 't1', 0, 30), ...users(A, 't2', 0, 20)]);
        expect(await store.directoryUsers.deleteWhere(A, { tenantId: 't1', accountEnabled: false })).toBe(15);
        expect(await store.directoryUsers.delete(A, scopedId('t2', 'user-000000'))).toBe(true);
        expect(await store.directoryUsers.count(A, { tenantId: 't1' })).toBe(15);
        expect(await store.directoryUsers.count(A, { tenantId: 't2' })).toBe(19);
      });
    });

    describe('refusing operators and prototype keys', () => {
      const attacks: Array<[string, unknown]> = [
        ['an operator value', { displayName: { $ne: null } }],
        ['a regex-like operator value', { displayName: { $regex: '.*' } }],
        ['an array value', { displayName: ['a', 'b'] }],
        ['a $-key', { $where: 'sleep(1000)' }],
        ['a $or key', { $or: [{ id: 't1' }] }],
        ['a __proto__ key', JSON.parse('{"__proto__": {"isAdmin": true}}')],
        ['a constructor key', { constructor: 'x' }],
        ['a prototype key', { prototype: 'x' }],
        ['a dotted key', { 'credentials.azureConsent': 'x' }],
        ['a NaN value', { displayName: Number.NaN }],
        ['a Date value', { consentedAt: new Date() }],
        ['an array instead of an object', [['id', 't1']]],
      ];

      it.each(attacks)('rejects %s in find, count and deleteWhere', async (_label, where) => {
        await store.tenants.upsert(tenant(A, 't1'));
        const w = where as never;
        await expect(store.tenants.find(A, w)).rejects.toThrow(UnsafeQueryError);
        await expect(store.tenants.count(A, w)).rejects.toThrow(UnsafeQueryError);
        await expect(store.tenants.deleteWhere(A, w)).rejects.toThrow(UnsafeQueryError);
        await expect(store.tenants.replaceIf(tenant(A, 't1', 'x'), w)).rejects.toThrow(UnsafeQueryError);
        await expect(store.audit.list(A, { where: w })).rejects.toThrow(UnsafeQueryError);
        expect((await store.tenants.get(A, 't1'))?.displayName).toBe('Tenant t1');
      });

      it('rejects a non-string workspaceId or id', async () => {
        await store.tenants.upsert(tenant(A, 't1'));
        const op = { $ne: null } as never;
        await expect(store.tenants.get(op, 't1')).rejects.toThrow(/workspaceId must be a non-empty string/);
        await expect(store.tenants.get(A, op)).rejects.toThrow(UnsafeQueryError);
        await expect(store.tenants.find(op)).rejects.toThrow(UnsafeQueryError);
        await expect(store.tenants.count('')).rejects.toThrow(UnsafeQueryError);
        await expect(store.tenants.delete(A, op)).rejects.toThrow(UnsafeQueryError);
        await expect(store.tenants.deleteWhere(op, {})).rejects.toThrow(UnsafeQueryError);
        expect(await store.tenants.count(A)).toBe(1);
      });

      it('rejects unsafe sort and paging options', async () => {
        await expect(store.tenants.find(A, {}, { sort: { field: '$natural' as never, dir: 1 } })).rejects.toThrow(UnsafeQueryError);
        await expect(store.tenants.find(A, {}, { sort: { field: 'displayName', dir: 0 as never } })).rejects.toThrow(UnsafeQueryError);
        await expect(store.tenants.find(A, {}, { limit: -1 })).rejects.toThrow(UnsafeQueryError);
        await expect(store.tenants.find(A, {}, { offset: 1.5 })).rejects.toThrow(UnsafeQueryError);
      });

      it('rejects records with operator keys, _id, or a missing key part', async () => {
        const withOp = { ...tenant(A, 't1'), $set: { displayName: 'x' } } as Tenant;
        await expect(store.tenants.upsert(withOp)).rejects.toThrow(UnsafeQueryError);
        await expect(store.tenants.upsert({ ...tenant(A, 't1'), _id: 'x' } as Tenant)).rejects.toThrow(UnsafeQueryError);
        await expect(store.tenants.upsert({ ...tenant(A, 't1'), workspaceId: { $ne: null } } as never)).rejects.toThrow(UnsafeQueryError);
        await expect(store.tenants.insert({ ...tenant(A, ''), id: '' })).rejects.toThrow(UnsafeQueryError);
        await expect(store.directoryUsers.upsert({ ...user(A, 't1', 1), tenantId: undefined } as never)).rejects.toThrow(/tenantId/);
        expect(await store.tenants.count(A)).toBe(0);
      });
    });

    describe('insert and replaceIf', () => {
      it('inserts only when the key is free', async () => {
        expect(await store.checkpoints.insert({ id: 'state-1', workspaceId: A, value: 'v1', updatedAt: NOW })).toBe(true);
        expect(await store.checkpoints.insert({ id: 'state-1', workspaceId: A, value: 'v2', updatedAt: NOW })).toBe(false);
        expect((await store.checkpoints.get(A, 'state-1'))?.value).toBe('v1');
        expect(await store.checkpoints.insert({ id: 'state-1', workspaceId: B, value: 'b', updatedAt: NOW })).toBe(true);
      });

      it('lets exactly one of two concurrent decisions win', async () => {
        const pending: Approval = {
          id: 'ap1', workspaceId: A, kind: 'syncMode', tenantId: 't1', subscriptionId: 'sub-001',
          request: { fromMode: 'readTags', toMode: 'readWriteTags' }, requestedBy: { aadObjectId: 'u1' },
          requestedAt: NOW, expiresAt: NOW, status: 'pending',
        };
        await store.approvals.upsert(pending);
        const decide = (status: Approval['status'], who: string) =>
          store.approvals.replaceIf({ ...pending, status, approver: { aadObjectId: who } }, { status: 'pending' });
        const results = await Promise.all([decide('approved', 'u2'), decide('rejected', 'u3')]);
        expect(results.filter(Boolean)).toHaveLength(1);
        const stored = await store.approvals.get(A, 'ap1');
        expect(stored?.status).toBe(results[0] ? 'approved' : 'rejected');
        expect(await store.approvals.replaceIf({ ...pending, id: 'missing' }, {})).toBe(false);
        expect(await store.approvals.replaceIf({ ...pending, workspaceId: B }, {})).toBe(false);
        expect(await store.approvals.count(B)).toBe(0);
      });
    });

    describe('audit', () => {
      it('appends in order, stamps id and time, and scopes by workspace', async () => {
        const entries = await Promise.all(Array.from({ length: 20 }, (_, n) => store.audit.append({
          workspaceId: n % 4 === 0 ? B : A, actor: 'u1', action: n % 2 ? 'tags.write' : 'syncMode.change',
          target: `sub-${n}`, outcome: 'success', detail: { n },
        })));
        expect(new Set(entries.map((e) => e.id)).size).toBe(20);
        expect(entries.every((e) => !Number.isNaN(Date.parse(e.at)))).toBe(true);

        const listA = await store.audit.list(A);
        expect(listA.map((e) => e.detail?.n)).toEqual([1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15, 17, 18, 19]);
        expect(listA[0]).toEqual(entries[1]);
        const newest = await store.audit.list(A, { newestFirst: true, limit: 3 });
        expect(newest.map((e) => e.detail?.n)).toEqual([19, 18, 17]);
        const writes = await store.audit.list(A, { where: { action: 'tags.write' }, offset: 1, limit: 2 });
        expect(writes.map((e) => e.detail?.n)).toEqual([3, 5]);
        expect((await store.audit.list(B)).map((e) => e.detail?.n)).toEqual([0, 4, 8, 12, 16]);
        expect(await store.audit.list(B, { where: { workspaceId: A } })).toEqual([]);
      });

      it('rejects a malformed entry', async () => {
        const bad = { workspaceId: A, actor: 'u1', action: 'x', target: 't', outcome: 'maybe' } as never;
        await expect(store.audit.append(bad)).rejects.toThrow(/outcome/);
        await expect(store.audit.append({ workspaceId: '', actor: 'u', action: 'x', target: 't', outcome: 'success' })).rejects.toThrow(UnsafeQueryError);
        expect(await store.audit.list(A)).toEqual([]);
      });
    });

    describe('persistence and concurrency', () => {
      it('keeps everything across close and reopen', async () => {
        await store.workspaces.upsert(workspace(A));
        await store.tenants.upsert(tenant(A, 't1'));
        await store.directoryUsers.bulkUpsert(users(A, 't1', 0, 50));
        await store.conversations.upsert(conversation(A, 'c1', ['health']));
        await store.audit.append({ workspaceId: A, actor: 'u1', action: 'consent', target: 't1', outcome: 'success' });
        await store.tenants.delete(A, 'gone');

        const s = await reopen();
        expect(await s.workspaces.get(A, A)).toEqual(workspace(A));
        expect(await s.tenants.get(A, 't1')).toEqual(tenant(A, 't1'));
        expect(await s.directoryUsers.count(A, { tenantId: 't1' })).toBe(50);
        expect(await s.directoryUsers.get(A, scopedId('t1', 'user-000049'))).toEqual(user(A, 't1', 49));
        expect((await s.conversations.find(A, { topics: 'health' })).map((c) => c.id)).toEqual(['c1']);
        expect((await s.audit.list(A)).map((e) => e.action)).toEqual(['consent']);
      });

      it('loses nothing when 200 upserts run at once', async () => {
        await Promise.all([
          ...Array.from({ length: 200 }, (_, n) => store.tenants.upsert(tenant(A, `t${n}`))),
          ...Array.from({ length: 200 }, (_, n) => store.directoryUsers.upsert(user(A, `t${n % 3}`, n))),
        ]);
        expect(await store.tenants.count(A)).toBe(200);
        expect(await store.directoryUsers.count(A)).toBe(200);
        const s = await reopen();
        expect(await s.tenants.count(A)).toBe(200);
        expect(await s.directoryUsers.count(A)).toBe(200);
        expect(await s.directoryUsers.count(A, { tenantId: 't1' })).toBe(67);
      });

      it('moves an imported record when its tenant changes', async () => {
        await store.saasApps.upsert({ id: 'app-1', workspaceId: A, tenantId: 't1', appId: 'app-1', displayName: 'Slack' });
        await store.saasApps.upsert({ id: 'app-1', workspaceId: A, tenantId: 't2', appId: 'app-1', displayName: 'Slack' });
        const s = await reopen();
        expect(await s.saasApps.count(A)).toBe(1);
        expect(await s.saasApps.count(A, { tenantId: 't1' })).toBe(0);
        expect((await s.saasApps.get(A, 'app-1'))?.tenantId).toBe('t2');
      });

      it('answers ping, then refuses calls after close', async () => {
        await expect(store.ping()).resolves.toBeUndefined();
        await store.close();
        await expect(store.tenants.get(A, 't1')).rejects.toThrow(StoreClosedError);
        await expect(store.audit.list(A)).rejects.toThrow(StoreClosedError);
      });
    });
  });
}
