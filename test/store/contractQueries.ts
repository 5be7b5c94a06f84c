/** Contract cases: equality filters, ordering, paging and deletes. Part of runStoreContract. */
import { scopedId } from '../../src/store/index.js';
import type { ContractContext } from './contract.js';
import { NOW, conversation, subscription, users } from './fixtures.js';

const A = 'ws-a';
const B = 'ws-b';

export function describeQueries(ctx: ContractContext): void {
  describe('find and count', () => {
    beforeEach(async () => {
      await ctx.store().subscriptions.bulkUpsert([
        subscription(A, 't1', 1, { displayName: 'Charlie', syncMode: 'readTags' }),
        subscription(A, 't1', 2, { displayName: 'alpha', syncMode: 'none', role: null }),
        subscription(A, 't2', 3, { displayName: 'Bravo', syncMode: 'readTags', lastSyncAt: NOW }),
        subscription(A, 't2', 4, { displayName: 'Bravo', syncMode: 'readWriteTags', role: 'Tag Contributor' }),
        subscription(B, 't1', 5, { syncMode: 'readTags' }),
      ]);
    });

    it('filters by equality on several fields', async () => {
      const readTags = await ctx.store().subscriptions.find(A, { syncMode: 'readTags' });
      expect(readTags.map((s) => s.subscriptionId)).toEqual(['sub-001', 'sub-003']);
      expect(await ctx.store().subscriptions.count(A, { syncMode: 'readTags', tenantId: 't2' })).toBe(1);
      expect(await ctx.store().subscriptions.count(A, { role: 'Tag Contributor' })).toBe(1);
      expect(await ctx.store().subscriptions.count(A, { syncMode: 'readTags', tenantId: 'nope' })).toBe(0);
    });

    it('matches null against a null or missing field, and ignores undefined filter values', async () => {
      expect((await ctx.store().subscriptions.find(A, { role: null })).map((s) => s.subscriptionId)).toEqual(['sub-002']);
      expect(await ctx.store().subscriptions.count(A, { lastSyncAt: null })).toBe(3);
      expect(await ctx.store().subscriptions.count(A, { syncMode: undefined })).toBe(4);
    });

    it('matches a primitive against an array field that contains it', async () => {
      await ctx.store().conversations.bulkUpsert([
        conversation(A, 'c1', ['m365.import', 'health']),
        conversation(A, 'c2', ['health']),
        conversation(B, 'c3', ['m365.import']),
      ]);
      expect((await ctx.store().conversations.find(A, { topics: 'm365.import' })).map((c) => c.id)).toEqual(['c1']);
      expect(await ctx.store().conversations.count(A, { topics: 'health' })).toBe(2);
      const [c1] = await ctx.store().conversations.find(A, { topics: 'm365.import' });
      expect(c1.reference.conversation?.id).toBe('c1');
    });

    it('filters booleans and does not confuse a string with a number', async () => {
      await ctx.store().directoryUsers.bulkUpsert(users(A, 't1', 0, 10));
      expect(await ctx.store().directoryUsers.count(A, { accountEnabled: true })).toBe(5);
      await ctx.store().licences.upsert({
        id: scopedId('t1', 'sku'), workspaceId: A, tenantId: 't1', skuId: 'sku', skuPartNumber: 'E3', purchased: 10, assigned: 7,
      });
      expect(await ctx.store().licences.count(A, { purchased: 10 })).toBe(1);
      expect(await ctx.store().licences.count(A, { skuPartNumber: 'E3', assigned: 7 })).toBe(1);
      expect(await ctx.store().licences.count(A, { skuId: 'sku', purchased: 11 })).toBe(0);
    });

    it('orders by id by default, and by a field then id when asked', async () => {
      expect((await ctx.store().subscriptions.find(A)).map((s) => s.subscriptionId)).toEqual(['sub-001', 'sub-002', 'sub-003', 'sub-004']);
      const asc = await ctx.store().subscriptions.find(A, {}, { sort: { field: 'displayName', dir: 1 } });
      // Binary string order (uppercase before lowercase), ties broken by id.
      expect(asc.map((s) => s.subscriptionId)).toEqual(['sub-003', 'sub-004', 'sub-001', 'sub-002']);
      const desc = await ctx.store().subscriptions.find(A, {}, { sort: { field: 'displayName', dir: -1 } });
      expect(desc.map((s) => s.subscriptionId)).toEqual(['sub-002', 'sub-001', 'sub-003', 'sub-004']);
      const byLastSync = await ctx.store().subscriptions.find(A, {}, { sort: { field: 'lastSyncAt', dir: 1 } });
      expect(byLastSync.map((s) => s.subscriptionId)).toEqual(['sub-001', 'sub-002', 'sub-004', 'sub-003']);
    });

    it('pages with offset and limit without gaps or overlaps', async () => {
      await ctx.store().directoryUsers.bulkUpsert(users(A, 't1', 0, 23));
      const pages: string[] = [];
      for (let offset = 0; offset < 30; offset += 10) {
        const page = await ctx.store().directoryUsers.find(A, {}, { offset, limit: 10, sort: { field: 'userPrincipalName', dir: -1 } });
        pages.push(...page.map((u) => u.userId));
      }
      expect(pages).toEqual(users(A, 't1', 0, 23).map((u) => u.userId).reverse());
      expect(await ctx.store().directoryUsers.find(A, {}, { limit: 0 })).toEqual([]);
      expect(await ctx.store().directoryUsers.find(A, {}, { offset: 100 })).toEqual([]);
    });
  });

  describe('delete', () => {
    it('deletes one record or every match, and says how many', async () => {
      await ctx.store().subscriptions.bulkUpsert([1, 2, 3, 4].map((n) => subscription(A, n % 2 ? 't1' : 't2', n)));
      expect(await ctx.store().subscriptions.delete(A, scopedId('t1', 'sub-001'))).toBe(true);
      expect(await ctx.store().subscriptions.delete(A, scopedId('t1', 'sub-001'))).toBe(false);
      expect(await ctx.store().subscriptions.deleteWhere(A, { tenantId: 't2' })).toBe(2);
      expect((await ctx.store().subscriptions.find(A)).map((s) => s.subscriptionId)).toEqual(['sub-003']);
    });

    it('deletes imported records by tenant', async () => {
      await ctx.store().directoryUsers.bulkUpsert([...users(A, 't1', 0, 30), ...users(A, 't2', 0, 20)]);
      expect(await ctx.store().directoryUsers.deleteWhere(A, { tenantId: 't1', accountEnabled: false })).toBe(15);
      expect(await ctx.store().directoryUsers.delete(A, scopedId('t2', 'user-000000'))).toBe(true);
      expect(await ctx.store().directoryUsers.count(A, { tenantId: 't1' })).toBe(15);
      expect(await ctx.store().directoryUsers.count(A, { tenantId: 't2' })).toBe(19);
    });
  });
}
