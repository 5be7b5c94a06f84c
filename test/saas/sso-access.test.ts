import { startEmulator, type Emulator } from '../../emulator/index.js';
import { connectSaas } from '../../src/features/saas/connect.js';
import { importSsoAccess, pendingPassCheckpointId, signInCheckpointId, type PendingPass } from '../../src/features/saas/import/sso-access.js';
import type { ImportContext } from '../../src/features/saas/import/context.js';
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

const signInPages = (emu: Emulator, from: number) => emu.control.requests('graph').slice(from).filter((r) => r.url.startsWith('/v1.0/auditLogs/signIns') && !/[?&]\$top=1(&|$)/.test(r.url));

describe('SSO access over several pages (3,500 sign-ins: four pages of 1,000)', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'sso-resume', size: { usersPerTenant: 60, signInsPerTenant: 3500 } });
  });
  afterAll(() => emu.close());

  test('a pass that stops half-way resumes with what it had not read, plus what is newer; the result is that of one whole pass', async () => {
    const h = await saasHarness(emu);
    try {
      const home = emu.homeTenantId;
      const connected = await connectSaas(h.deps, WS, ADMIN, demoInput(emu, { tasks: ['ssoAccess'] }));
      if (!connected.ok) throw new Error(connected.reason);
      const graph = h.deps.openGraph({ tenantId: home, clientId: emu.demoApp.clientId, clientSecret: emu.demoApp.clientSecret });
      const ctx = (touch?: () => Promise<void>): ImportContext => ({ graph, store: h.store, workspaceId: WS, tenantId: home, runAt: new Date().toISOString(), touch });
      const successful = [...emu.world.signIns(home)].filter((s) => s.status.errorCode === 0);

      // Batches of 40 logins; the run is cancelled at its third stored batch (after three checkpoints were due).
      let touches = 0;
      const cancelled = importSsoAccess(ctx(async () => {
        if (++touches === 3) throw new Error('run cancelled');
      }), { batch: 40 });
      await expect(cancelled).rejects.toThrow('run cancelled');
      expect(await h.store.checkpoints.get(WS, signInCheckpointId(home))).toBeUndefined();
      const pending = JSON.parse((await h.store.checkpoints.get(WS, pendingPassCheckpointId(home)))!.value) as PendingPass;
      expect(pending.newest).toBe(successful[0].createdDateTime);
      expect(pending.ranges).toHaveLength(1);
      const until = pending.ranges[0].until!;
      // Everything newer than `until` is stored already.
      const stored = await h.store.ssoSignins.count(WS, { tenantId: home });
      expect(stored).toBeGreaterThan(0);
      const held = new Map((await h.store.ssoSignins.find(WS, { tenantId: home })).map((l) => [`${l.appId}/${l.userId}`, l.createdDateTime]));
      expect(successful.filter((s) => s.createdDateTime > until && !((held.get(`${s.appId}/${s.userId}`) ?? '') >= s.createdDateTime))).toEqual([]);
      expect(held.size).toBeLessThan(newestLogins(emu, home).size);

      const [sp] = emu.world.servicePrincipals(home).slice(2);
      const user = [...emu.world.users(home)][3];
      const later = new Date(Date.parse(pending.newest!) + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
      emu.control.addSignIns(home, [{ userId: user.id, appId: sp.appId, createdDateTime: later, status: { errorCode: 0, failureReason: null } }]);

      const before = emu.control.requests('graph').length;
      const resumed = await importSsoAccess(ctx());
      expect(resumed.resumed).toBe(true);
      const asked = signInPages(emu, before).map((r) => decodeURIComponent(r.url));
      const since = new Date(Date.parse(pending.newest!) - 15 * 60_000).toISOString().replace(/\.000Z$/, 'Z');
      expect(asked[0]).toContain(`createdDateTime ge ${since} and status/errorCode eq 0`);
      expect(asked.some((u) => u.includes(`createdDateTime le ${until} and status/errorCode eq 0`))).toBe(true);
      // It did not read the log again from the start: the part stored before the stop is skipped.
      const newerThanUntil = successful.filter((s) => s.createdDateTime > until && s.createdDateTime < since).length;
      expect(resumed.read).toBeLessThanOrEqual(successful.length + 1 - newerThanUntil);
      expect(newerThanUntil).toBeGreaterThan(100);

      const want = newestLogins(emu, home);
      const logins = await h.store.ssoSignins.find(WS, { tenantId: home });
      expect(logins).toHaveLength(want.size);
      for (const l of logins) expect(l.createdDateTime).toBe(want.get(`${l.appId}/${l.userId}`));
      expect((await h.store.checkpoints.get(WS, signInCheckpointId(home)))?.value).toBe(later);
      expect(await h.store.checkpoints.get(WS, pendingPassCheckpointId(home))).toBeUndefined();
    } finally {
      await h.close();
    }
  });

  test('pages are Graph\'s largest (1,000) and each is asked for once, the next one before the current batch is stored', async () => {
    const h = await saasHarness(emu);
    try {
      const home = emu.homeTenantId;
      const graph = h.deps.openGraph({ tenantId: home, clientId: emu.demoApp.clientId, clientSecret: emu.demoApp.clientSecret });
      const order: string[] = [];
      const traced = { ...graph, page: <T>(url: string) => (order.push('fetch'), graph.page<T>(url)) };
      const logins = h.store.ssoSignins;
      const tracedLogins = new Proxy(logins, {
        get: (target, prop) => prop === 'bulkUpsert'
            ? (r: Parameters<typeof logins.bulkUpsert>[0]) => (order.push('store'), target.bulkUpsert(r))
            : (Reflect.get(target, prop, target) as (...a: unknown[]) => unknown).bind(target),
      });
      const store = { ...h.store, ssoSignins: tracedLogins };
      const before = emu.control.requests('graph').length;
      const result = await importSsoAccess({ graph: traced, store, workspaceId: WS, tenantId: home, runAt: new Date().toISOString() }, { batch: 1 });
      const pages = signInPages(emu, before);
      const successful = [...emu.world.signIns(home)].filter((s) => s.status.errorCode === 0).length;
      expect(result.read).toBe(successful);
      expect(pages).toHaveLength(Math.ceil(successful / 1000));
      expect(pages.every((p) => p.url.includes('$top=1000'))).toBe(true);
      // With a batch of one login, each page is stored on its own; page n+1 is already asked for when page n is stored.
      expect(order.slice(0, 3)).toEqual(['fetch', 'fetch', 'store']);
      expect(order.filter((o) => o === 'fetch')).toHaveLength(pages.length);
    } finally {
      await h.close();
    }
  });
});
