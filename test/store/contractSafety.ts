/** Contract cases: refusing unsafe input, compare-and-set, and the audit trail. Part of runStoreContract. */
import { UnsafeQueryError, type Approval, type ConsentState, type Tenant } from '../../src/store/index.js';
import type { ContractContext } from './contract.js';
import { NOW, tenant, user } from './fixtures.js';

const A = 'ws-a';
const B = 'ws-b';

export function describeSafety(ctx: ContractContext): void {
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
      await ctx.store().tenants.upsert(tenant(A, 't1'));
      const w = where as never;
      await expect(ctx.store().tenants.find(A, w)).rejects.toThrow(UnsafeQueryError);
      await expect(ctx.store().tenants.count(A, w)).rejects.toThrow(UnsafeQueryError);
      await expect(ctx.store().tenants.deleteWhere(A, w)).rejects.toThrow(UnsafeQueryError);
      await expect(ctx.store().tenants.replaceIf(tenant(A, 't1', 'x'), w)).rejects.toThrow(UnsafeQueryError);
      await expect(ctx.store().audit.list(A, { where: w })).rejects.toThrow(UnsafeQueryError);
      expect((await ctx.store().tenants.get(A, 't1'))?.displayName).toBe('Tenant t1');
    });

    it('rejects a non-string workspaceId or id', async () => {
      await ctx.store().tenants.upsert(tenant(A, 't1'));
      const op = { $ne: null } as never;
      await expect(ctx.store().tenants.get(op, 't1')).rejects.toThrow(/workspaceId must be a non-empty string/);
      await expect(ctx.store().tenants.get(A, op)).rejects.toThrow(UnsafeQueryError);
      await expect(ctx.store().tenants.find(op)).rejects.toThrow(UnsafeQueryError);
      await expect(ctx.store().tenants.count('')).rejects.toThrow(UnsafeQueryError);
      await expect(ctx.store().tenants.delete(A, op)).rejects.toThrow(UnsafeQueryError);
      await expect(ctx.store().tenants.deleteWhere(op, {})).rejects.toThrow(UnsafeQueryError);
      expect(await ctx.store().tenants.count(A)).toBe(1);
    });

    it('rejects unsafe sort and paging options', async () => {
      await expect(ctx.store().tenants.find(A, {}, { sort: { field: '$natural' as never, dir: 1 } })).rejects.toThrow(UnsafeQueryError);
      await expect(ctx.store().tenants.find(A, {}, { sort: { field: 'displayName', dir: 0 as never } })).rejects.toThrow(UnsafeQueryError);
      await expect(ctx.store().tenants.find(A, {}, { limit: -1 })).rejects.toThrow(UnsafeQueryError);
      await expect(ctx.store().tenants.find(A, {}, { offset: 1.5 })).rejects.toThrow(UnsafeQueryError);
    });

    it('rejects records with operator keys, _id, or a missing key part', async () => {
      const withOp = { ...tenant(A, 't1'), $set: { displayName: 'x' } } as Tenant;
      await expect(ctx.store().tenants.upsert(withOp)).rejects.toThrow(UnsafeQueryError);
      await expect(ctx.store().tenants.upsert({ ...tenant(A, 't1'), _id: 'x' } as Tenant)).rejects.toThrow(UnsafeQueryError);
      await expect(ctx.store().tenants.upsert({ ...tenant(A, 't1'), workspaceId: { $ne: null } } as never)).rejects.toThrow(UnsafeQueryError);
      await expect(ctx.store().tenants.insert({ ...tenant(A, ''), id: '' })).rejects.toThrow(UnsafeQueryError);
      await expect(ctx.store().directoryUsers.upsert({ ...user(A, 't1', 1), tenantId: undefined } as never)).rejects.toThrow(/tenantId/);
      expect(await ctx.store().tenants.count(A)).toBe(0);
    });
  });

  describe('insert and replaceIf', () => {
    it('inserts only when the key is free', async () => {
      expect(await ctx.store().checkpoints.insert({ id: 'state-1', workspaceId: A, value: 'v1', updatedAt: NOW })).toBe(true);
      expect(await ctx.store().checkpoints.insert({ id: 'state-1', workspaceId: A, value: 'v2', updatedAt: NOW })).toBe(false);
      expect((await ctx.store().checkpoints.get(A, 'state-1'))?.value).toBe('v1');
      expect(await ctx.store().checkpoints.insert({ id: 'state-1', workspaceId: B, value: 'b', updatedAt: NOW })).toBe(true);
    });

    it('lets exactly one of two concurrent decisions win', async () => {
      const pending: Approval = {
        id: 'ap1', workspaceId: A, kind: 'syncMode', tenantId: 't1', subscriptionId: 'sub-001',
        request: { fromMode: 'readTags', toMode: 'readWriteTags' }, requestedBy: { aadObjectId: 'u1' },
        requestedAt: NOW, expiresAt: NOW, status: 'pending',
      };
      await ctx.store().approvals.upsert(pending);
      const decide = (status: Approval['status'], who: string) =>
        ctx.store().approvals.replaceIf({ ...pending, status, approver: { aadObjectId: who } }, { status: 'pending' });
      const results = await Promise.all([decide('approved', 'u2'), decide('rejected', 'u3')]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const stored = await ctx.store().approvals.get(A, 'ap1');
      expect(stored?.status).toBe(results[0] ? 'approved' : 'rejected');
      expect(await ctx.store().approvals.replaceIf({ ...pending, id: 'missing' }, {})).toBe(false);
      expect(await ctx.store().approvals.replaceIf({ ...pending, workspaceId: B }, {})).toBe(false);
      expect(await ctx.store().approvals.count(B)).toBe(0);
    });
    it('consumes a consent state once, even when two callbacks race', async () => {
      const state: ConsentState = {
        id: 'st1', workspaceId: A, purpose: 'connect', aadObjectId: 'u1', conversationId: 'c1', authorityTenant: 'organizations',
        scopes: ['s'], redirectUri: 'http://127.0.0.1/auth/callback', sealedVerifier: 'v1.x.y.z', status: 'pending', createdAt: NOW, expiresAt: NOW,
      };
      expect(await ctx.store().consentStates.insert(state)).toBe(true);
      const consume = () => ctx.store().consentStates.replaceIf({ ...state, status: 'used', usedAt: NOW }, { status: 'pending' });
      const results = await Promise.all([consume(), consume()]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await ctx.store().consentStates.get(A, 'st1'))?.status).toBe('used');
      expect(await ctx.store().consentStates.get(B, 'st1')).toBeUndefined();
    });
  });

  describe('audit', () => {
    it('appends in order, stamps id and time, and scopes by workspace', async () => {
      const entries = await Promise.all(Array.from({ length: 20 }, (_, n) => ctx.store().audit.append({
        workspaceId: n % 4 === 0 ? B : A, actor: 'u1', action: n % 2 ? 'tags.write' : 'syncMode.change',
        target: `sub-${n}`, outcome: 'success', detail: { n },
      })));
      expect(new Set(entries.map((e) => e.id)).size).toBe(20);
      expect(entries.every((e) => !Number.isNaN(Date.parse(e.at)))).toBe(true);

      const listA = await ctx.store().audit.list(A);
      expect(listA.map((e) => e.detail?.n)).toEqual([1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15, 17, 18, 19]);
      expect(listA[0]).toEqual(entries[1]);
      const newest = await ctx.store().audit.list(A, { newestFirst: true, limit: 3 });
      expect(newest.map((e) => e.detail?.n)).toEqual([19, 18, 17]);
      const writes = await ctx.store().audit.list(A, { where: { action: 'tags.write' }, offset: 1, limit: 2 });
      expect(writes.map((e) => e.detail?.n)).toEqual([3, 5]);
      expect((await ctx.store().audit.list(B)).map((e) => e.detail?.n)).toEqual([0, 4, 8, 12, 16]);
      expect(await ctx.store().audit.list(B, { where: { workspaceId: A } })).toEqual([]);
    });

    it('rejects a malformed entry', async () => {
      const bad = { workspaceId: A, actor: 'u1', action: 'x', target: 't', outcome: 'maybe' } as never;
      await expect(ctx.store().audit.append(bad)).rejects.toThrow(/outcome/);
      await expect(ctx.store().audit.append({ workspaceId: '', actor: 'u', action: 'x', target: 't', outcome: 'success' })).rejects.toThrow(UnsafeQueryError);
      expect(await ctx.store().audit.list(A)).toEqual([]);
    });
  });
}
