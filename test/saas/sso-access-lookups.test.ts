import { startEmulator, type Emulator } from '../../emulator/index.js';
import { connectSaas } from '../../src/features/saas/connect.js';
import { importSsoAccess, pendingPassCheckpointId } from '../../src/features/saas/import/sso-access.js';
import type { ImportContext } from '../../src/features/saas/import/context.js';
import type { Store } from '../../src/store/port.js';
import { ADMIN, demoInput, saasHarness, WS } from './support.js';

/** The emulator's newest successful sign-in per (appId/userId). */
function newestLogins(emu: Emulator, tenantId: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of emu.world.signIns(tenantId)) {
    if (s.status.errorCode !== 0) continue;
    const key = `${s.appId}/${s.userId}`;
    if ((out.get(key) ?? '') < s.createdDateTime) out.set(key, s.createdDateTime);
  }
  return out;
}

async function storedLogins(store: Store, tenantId: string): Promise<Map<string, string>> {
  return new Map((await store.ssoSignins.find(WS, { tenantId })).map((l) => [`${l.appId}/${l.userId}`, l.createdDateTime]));
}

/** The store with its stored-login reads counted and, optionally, a failing pending-pass checkpoint. */
function tracedStore(store: Store, opts: { failPendingCheckpoint?: () => boolean } = {}) {
  const looked: string[] = [];
  const logins = store.ssoSignins;
  const checkpoints = store.checkpoints;
  return {
    looked,
    store: {
      ...store,
      ssoSignins: { ...logins, get: (ws: string, id: string) => (looked.push(id), logins.get(ws, id)), find: logins.find.bind(logins), count: logins.count.bind(logins), bulkUpsert: logins.bulkUpsert.bind(logins) },
      checkpoints: {
        ...checkpoints,
        get: checkpoints.get.bind(checkpoints),
        delete: checkpoints.delete.bind(checkpoints),
        upsert: async (c: Parameters<Store['checkpoints']['upsert']>[0]) => {
          if (c.id.endsWith('.pending') && opts.failPendingCheckpoint?.()) throw new Error('stopped before the checkpoint');
          return checkpoints.upsert(c);
        },
      },
    } as Store,
  };
}

describe('SSO access looks up only the stored logins that can be as new as what it read', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'sso-lookups', size: { usersPerTenant: 60, signInsPerTenant: 3500 } });
  });
  afterAll(() => emu.close());

  test('a first pass looks up only logins it wrote earlier in the run; a later pass only those at or before the watermark', async () => {
    const h = await saasHarness(emu);
    try {
      const home = emu.homeTenantId;
      const connected = await connectSaas(h.deps, WS, ADMIN, demoInput(emu, { tasks: ['ssoAccess'] }));
      if (!connected.ok) throw new Error(connected.reason);
      const graph = h.deps.openGraph({ tenantId: home, clientId: emu.demoApp.clientId, clientSecret: emu.demoApp.clientSecret });
      const traced = tracedStore(h.store);
      const ctx: ImportContext = { graph, store: traced.store, workspaceId: WS, tenantId: home, runAt: new Date().toISOString() };

      // One batch for the whole log: nothing was stored before, nothing written earlier in the run: no look-up.
      const first = await importSsoAccess(ctx, { batch: 100_000 });
      expect(traced.looked).toEqual([]);
      expect(await storedLogins(h.store, home)).toEqual(newestLogins(emu, home));

      // New sign-ins after the watermark, one of them for a login already stored, another for a new login.
      const watermark = first.watermark!;
      const [known] = (await h.store.ssoSignins.find(WS, { tenantId: home })).filter((l) => l.createdDateTime < watermark);
      const apps = emu.world.servicePrincipals(home);
      const users = [...emu.world.users(home)];
      const after = (s: number) => new Date(Date.parse(watermark) + s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
      const stranger = { appId: apps[apps.length - 1].appId, userId: users[users.length - 1].id };
      emu.control.addSignIns(home, [
        { appId: known.appId, userId: known.userId, createdDateTime: after(5), status: { errorCode: 0, failureReason: null } },
        { ...stranger, createdDateTime: after(9), status: { errorCode: 0, failureReason: null } },
      ]);
      traced.looked.length = 0;
      const second = await importSsoAccess(ctx, { batch: 100_000 });
      // Only the look-back window (at or before the old watermark) is compared with the store.
      const inLookBack = [...emu.world.signIns(home)].filter((s) => s.status.errorCode === 0 && s.createdDateTime >= second.since! && s.createdDateTime <= watermark);
      expect(new Set(traced.looked)).toEqual(new Set(inLookBack.map((s) => `${home}/${s.appId}/${s.userId}`)));
      expect(second.stored).toBe(2);
      expect(await storedLogins(h.store, home)).toEqual(newestLogins(emu, home));
    } finally {
      await h.close();
    }
  });

  test('a run stopped between storing its first batch and checkpointing it leaves nothing a later run gets wrong', async () => {
    const h = await saasHarness(emu);
    try {
      const home = emu.homeTenantId;
      const connected = await connectSaas(h.deps, WS, ADMIN, demoInput(emu, { tasks: ['ssoAccess'] }));
      if (!connected.ok) throw new Error(connected.reason);
      const graph = h.deps.openGraph({ tenantId: home, clientId: emu.demoApp.clientId, clientSecret: emu.demoApp.clientSecret });
      let fail = true;
      const traced = tracedStore(h.store, { failPendingCheckpoint: () => fail });
      const ctx: ImportContext = { graph, store: traced.store, workspaceId: WS, tenantId: home, runAt: new Date().toISOString() };
      await expect(importSsoAccess(ctx, { batch: 50 })).rejects.toThrow('stopped before the checkpoint');
      expect(await h.store.checkpoints.get(WS, pendingPassCheckpointId(home))).toBeUndefined();
      const partial = await storedLogins(h.store, home);
      expect(partial.size).toBeGreaterThanOrEqual(50);

      fail = false;
      await importSsoAccess(ctx, { batch: 50 });
      expect(await storedLogins(h.store, home)).toEqual(newestLogins(emu, home));
    } finally {
      await h.close();
    }
  });
});
