import v8 from 'node:v8';
import vm from 'node:vm';
import { createWorld } from './index.js';
import type { World } from './types.js';

const ANCHOR = Date.UTC(2026, 0, 15, 12);

function snapshot(w: World) {
  const h = w.home.id;
  return {
    tenants: w.tenants(),
    users: [...w.users(h)],
    skus: w.subscribedSkus(h),
    sps: w.servicePrincipals(h),
    signIns: [...w.signIns(h)].slice(0, 50),
    subs: w.tenants().map((t) => w.azureSubscriptions(t.id)),
    resources: [...w.resources(w.azureSubscriptions(h)[0].subscriptionId)],
    demoApp: { ...w.demoApp, servicePrincipalIdIn: w.demoApp.servicePrincipalIdIn(h) },
  };
}

function skuCountsFromUsers(w: World, tenantId: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const u of w.users(tenantId)) for (const l of u.assignedLicenses) counts.set(l.skuId, (counts.get(l.skuId) ?? 0) + 1);
  return counts;
}

describe('createWorld', () => {
  it('is deterministic: same seed equal, different seed different', () => {
    const a = snapshot(createWorld({ seed: 'alpha', anchorTime: ANCHOR }));
    const b = snapshot(createWorld({ seed: 'alpha', anchorTime: ANCHOR }));
    const c = snapshot(createWorld({ seed: 'beta', anchorTime: ANCHOR }));
    expect(b).toEqual(a);
    expect(c.tenants[0].id).not.toEqual(a.tenants[0].id);
    expect(c.users.map((u) => u.id)).not.toEqual(a.users.map((u) => u.id));
    expect(c.demoApp.appId).not.toEqual(a.demoApp.appId);
  });

  it('builds a demo world with the shapes the seeds need', () => {
    const w = createWorld({ seed: 'demo', anchorTime: ANCHOR });
    expect(w.tenants()).toHaveLength(3);
    expect(w.tenants().filter((t) => t.hasEntraP1)).toHaveLength(2);
    const h = w.home.id;
    const users = [...w.users(h)];
    expect(users).toHaveLength(40);
    expect(new Set(users.map((u) => u.id)).size).toBe(40);
    expect(new Set(users.map((u) => u.userPrincipalName)).size).toBe(40);
    expect(users.some((u) => u.userType === 'Guest' && u.userPrincipalName.includes('#EXT#'))).toBe(true);
    expect(users.some((u) => u.userType === null) || [...w.users(w.tenants()[1].id)].some((u) => u.userType === null)).toBe(true);
    expect(users.some((u) => u.mail && u.mail.split('@')[1] !== u.userPrincipalName.split('@')[1] && u.userType !== 'Guest')).toBe(true);
    expect(w.home.verifiedDomains.length).toBeGreaterThan(1);
    for (const u of users) {
      expect(w.user(h, u.id)?.id).toBe(u.id);
      expect(w.user(h, u.userPrincipalName.toUpperCase())?.id).toBe(u.id);
    }
    const roles = w.adminRoles(h);
    expect(roles.filter((r) => r.ownsSubscriptions)).toHaveLength(2);
    expect(roles.find((r) => !r.ownsSubscriptions)?.userPrincipalName).toMatch(/^megan\.bowen@/);
    expect(w.azureSubscriptions(h).every((s) => s.ownerIds.includes(roles[0].userId))).toBe(true);
    const sps = w.servicePrincipals(h);
    expect(sps.find((s) => s.id === w.demoApp.servicePrincipalIdIn(h))).toBeDefined();
    const required = sps.find((s) => s.appRoleAssignmentRequired)!;
    const types = new Set(w.appRoleAssignedTo(h, required.id).map((a) => a.principalType));
    expect(types).toEqual(new Set(['User', 'Group']));
    const allStaff = w.groups(h)[0];
    expect(w.groupMembers(h, allStaff.id).some((m) => m['@odata.type'] === '#microsoft.graph.group')).toBe(true);
    expect(w.transitiveGroupMembers(h, allStaff.id)!.length).toBeGreaterThan(w.groupMembers(h, allStaff.id).length);
    expect(w.partnerCustomers().map((c) => c.id)).toEqual(w.tenants().slice(1).map((t) => t.id));
  });

  it('keeps consumedUnits equal to the users holding each SKU, through mutations', () => {
    const w = createWorld({ seed: 'licences', anchorTime: ANCHOR });
    const h = w.home.id;
    const check = () => {
      const counts = skuCountsFromUsers(w, h);
      for (const sku of w.subscribedSkus(h)) {
        expect(sku.consumedUnits).toBe(counts.get(sku.skuId) ?? 0);
        if (sku.capabilityStatus === 'Enabled') expect(sku.prepaidUnits.enabled).toBeGreaterThanOrEqual(sku.consumedUnits);
      }
    };
    check();
    expect(w.subscribedSkus(h).some((s) => s.consumedUnits === 0)).toBe(true);
    const v0 = w.version;
    const [added] = w.addUsers(h, 3, { licensed: true });
    const victim = [...w.users(h)].find((u) => u.assignedLicenses.length > 0 && u.userType !== 'Guest' && u.id !== added.id)!;
    w.removeUser(h, victim.id);
    const changed = [...w.users(h)][5];
    w.updateUser(h, changed.id, { department: 'Legal', assignedLicenses: [] });
    check();
    expect(w.version).toBe(v0 + 3);
    expect(w.userCount(h)).toBe(42);
    expect(w.user(h, victim.id)).toBeUndefined();
    expect(w.user(h, changed.id)?.department).toBe('Legal');
    const changes = w.userChangesSince(h, v0);
    expect(changes).toHaveLength(5);
    expect(changes.find((c) => c.id === victim.id)?.removed).toBe(true);
    expect(w.userChangesSince(h, w.version)).toEqual([]);
  });

  it('orders sign-ins newest first and finds time bounds by index', () => {
    const w = createWorld({ seed: 'signins', anchorTime: ANCHOR });
    const h = w.home.id;
    const all = [...w.signIns(h)];
    expect(all.length).toBe(w.signInCount(h));
    for (let i = 1; i < all.length; i++) expect(all[i - 1].createdDateTime >= all[i].createdDateTime).toBe(true);
    const cut = Date.parse(all[100].createdDateTime);
    expect(w.signInIndexOlderThan(h, cut, false)).toBe(all.findIndex((s) => Date.parse(s.createdDateTime) < cut));
    const [added] = w.addSignIns(h, [{ createdDateTime: new Date(cut).toISOString() }]);
    const pos = [...w.signIns(h)].findIndex((s) => s.id === added.id);
    expect(pos).toBe(all.findIndex((s) => Date.parse(s.createdDateTime) <= cut));
    expect(w.signInAt(h, pos)?.id).toBe(added.id);
    expect(w.signInCount(h)).toBe(all.length + 1);
  });

  it('creates the bench world lazily: 100k users stream without being held in memory', () => {
    const started = Date.now();
    const w = createWorld({ seed: 'bench', size: 'bench', anchorTime: ANCHOR });
    expect(Date.now() - started).toBeLessThan(1000);
    const h = w.home.id;
    expect(w.userCount(h)).toBe(100_000);
    expect(w.signInCount(h)).toBe(1_000_000);
    expect(w.azureSubscriptions(h)).toHaveLength(20);
    expect(w.azureSubscriptions(h).reduce((n, s) => n + s.resourceCount, 0)).toBe(50_000);
    const last = w.userAt(h, 99_999)!;
    expect(w.user(h, last.id)?.userPrincipalName).toBe(last.userPrincipalName);
    expect(w.user(h, last.userPrincipalName)?.id).toBe(last.id);
    // A real collection between measurements, so the check is about what the world retains, not about garbage.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    let count = 0;
    const ids = new Set<string>();
    for (const u of w.users(h)) {
      count++;
      if (count % 997 === 0) ids.add(u.id);
    }
    w.subscribedSkus(h);
    for (let i = 0; i < 5000; i++) w.signInAt(h, i * 199);
    gc();
    const retained = process.memoryUsage().heapUsed - before;
    expect(count).toBe(100_000);
    expect(ids.size).toBe(Math.floor(100_000 / 997));
    // 100k materialised users alone would retain well over 100 MB.
    expect(retained).toBeLessThan(8 * 1024 * 1024);
    const sku = w.subscribedSkus(h).find((s) => s.skuPartNumber === 'ENTERPRISEPACK')!;
    expect(sku.consumedUnits).toBeGreaterThan(40_000);
    const oneDayAgo = w.signInIndexOlderThan(h, ANCHOR - 86_400_000, false);
    expect(Date.parse(w.signInAt(h, oneDayAgo)!.createdDateTime)).toBeLessThan(ANCHOR - 86_400_000);
    expect(Date.parse(w.signInAt(h, oneDayAgo - 1)!.createdDateTime)).toBeGreaterThanOrEqual(ANCHOR - 86_400_000);
  });
});
