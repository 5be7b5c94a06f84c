/**
 * The Store contract: one suite, run against every adapter (lowdb.test.ts, mongo.test.ts).
 * A case here is a promise port.ts makes; an adapter that differs is wrong.
 */
import {
  StoreClosedError, UnsafeQueryError, scopedId, type Store,
} from '../../src/store/index.js';
import { describeQueries } from './contractQueries.js';
import { describeSafety } from './contractSafety.js';
import { NOW, conversation, subscription, tenant, user, users, workspace } from './fixtures.js';

/** What the case files get: the store under test (it changes on reopen). */
export interface ContractContext {
  store(): Store;
  reopen(): Promise<Store>;
}

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
    const ctx: ContractContext = { store: () => store, reopen };

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

    describeQueries(ctx);

    describeSafety(ctx);

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

      it('keeps the SaaS HR roster (saasUsers) apart from directoryUsers, with the tenant\'s saas settings, across reopen', async () => {
        const saasUser = {
          id: scopedId('t1', 'user-000001'), workspaceId: A, tenantId: 't1', userId: 'user-000001', userPrincipalName: 'u1@contoso.com', email: null,
          emailAliases: ['u1@fabrikam.com'], firstName: 'Ada', lastName: null, activeDate: NOW, department: null, location: null, userType: null,
        };
        await store.saasUsers.bulkUpsert([saasUser]);
        const withSaas = { ...tenant(A, 't1'), saas: {
          clientId: 'c1', secret: { state: 'ok' as const, sealed: 'v1.a.b.c', updatedAt: NOW }, domains: ['contoso.com'], includeGuests: false,
          tasks: ['hrRoster' as const], connectedBy: { aadObjectId: 'u1' }, connectedAt: NOW,
        } };
        await store.tenants.upsert(withSaas);
        const s = await reopen();
        expect(await s.saasUsers.get(A, saasUser.id)).toEqual(saasUser);
        expect(await s.directoryUsers.count(A)).toBe(0);
        expect(await s.saasUsers.count(B)).toBe(0);
        expect(await s.tenants.get(A, 't1')).toEqual(withSaas);
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
