import { startEmulator, type Emulator } from '../../emulator/index.js';
import { tenantAppKey } from '../../emulator/login/apps.js';
import { connectSaas } from '../../src/features/saas/connect.js';
import { runSaasDiscovery } from '../../src/features/saas/discover.js';
import { signInCheckpointId } from '../../src/features/saas/import/sso-access.js';
import { runCard, worthPosting } from '../../src/features/saas/notify.js';
import { createCardRenderer } from '../../src/teams/cards.js';
import { scopedId } from '../../src/store/types.js';
import { ADMIN, demoInput, saasHarness, WS } from './support.js';

type Harness = Awaited<ReturnType<typeof saasHarness>>;

/** What the emulator says a SaaS app's roster is: direct users, plus members of assigned groups (nested once). */
function expectedRoster(emu: Emulator, tenantId: string, spId: string): Set<string> {
  const users = new Set<string>();
  const userMembers = (groupId: string) => emu.world.groupMembers(tenantId, groupId).filter((m) => m['@odata.type'] === '#microsoft.graph.user').map((m) => m.id);
  for (const a of emu.world.appRoleAssignedTo(tenantId, spId)) {
    if (a.principalType === 'User') users.add(a.principalId);
    if (a.principalType !== 'Group') continue;
    userMembers(a.principalId).forEach((u) => users.add(u));
    for (const nested of emu.world.groupMembers(tenantId, a.principalId).filter((m) => m['@odata.type'] === '#microsoft.graph.group')) userMembers(nested.id).forEach((u) => users.add(u));
  }
  return users;
}

/** The emulator's newest successful sign-in per (appId/userId). */
function newestLogins(emu: Emulator, tenantId: string): Map<string, { createdDateTime: string; city: string }> {
  const out = new Map<string, { createdDateTime: string; city: string }>();
  for (const s of emu.world.signIns(tenantId)) {
    if (s.status.errorCode !== 0) continue;
    const key = `${s.appId}/${s.userId}`;
    const held = out.get(key);
    if (!held || held.createdDateTime < s.createdDateTime) out.set(key, { createdDateTime: s.createdDateTime, city: s.location.city });
  }
  return out;
}

describe('saas.discover against the emulator (demo app as the customer app registration)', () => {
  let emu: Emulator;
  let h: Harness;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'saas-discovery' });
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    h = await saasHarness(emu);
  });
  afterEach(() => h.close());

  test('connect → doctor OK for all four tasks; one run stores apps, rosters and last logins as the emulator has them', async () => {
    const home = emu.homeTenantId;
    const connected = await connectSaas(h.deps, WS, ADMIN, demoInput(emu));
    if (!connected.ok) throw new Error(connected.reason);
    expect(connected.doctor.result.tasks.map((t) => [t.task, t.state])).toEqual([['hrRoster', 'ok'], ['appDiscovery', 'ok'], ['ssoRoster', 'ok'], ['ssoAccess', 'ok']]);
    expect(connected.doctor.result.concealedNames).toBe('off');
    expect(connected.tenant.credentials.saasClientSecret?.expiresAt).toBe(emu.world.demoApp.secretEndDateTime);

    const outcome = await runSaasDiscovery(h.deps, { workspaceId: WS, tenantId: home });
    expect(outcome?.summary.outcome).toBe('success');
    expect(outcome?.summary.tasks.map((t) => t.state)).toEqual(['done', 'done', 'done', 'done']);

    // Application discovery: the enterprise apps, with open_access and publisher as Graph has them.
    const enterprise = emu.world.servicePrincipals(home).filter((sp) => sp.tags.includes('WindowsAzureActiveDirectoryIntegratedApp'));
    const apps = await h.store.saasApps.find(WS, { tenantId: home });
    expect(apps.map((a) => a.appId).sort()).toEqual(enterprise.map((sp) => sp.appId).sort());
    for (const sp of enterprise) {
      const app = apps.find((a) => a.appId === sp.appId)!;
      expect({ id: app.servicePrincipalId, openAccess: app.openAccess, publisher: app.publisher, oauth2: app.oauth2Integration })
        .toEqual({ id: sp.id, openAccess: !sp.appRoleAssignmentRequired, publisher: sp.publisherName, oauth2: sp.preferredSingleSignOnMode === 'oidc' });
    }
    expect(outcome?.newApps).toHaveLength(enterprise.length);
    expect((await h.store.tenants.get(WS, home))?.saas?.organization?.displayName).toBe(emu.world.organization(home)!.displayName);

    // SSO roster: per app, exactly the users the emulator assigns, directly or through groups.
    let throughGroups = 0;
    for (const sp of enterprise) {
      const stored = await h.store.ssoAssignments.find(WS, { tenantId: home, appId: sp.appId });
      expect(new Set(stored.map((a) => a.principalId))).toEqual(expectedRoster(emu, home, sp.id));
      throughGroups += stored.filter((a) => a.viaGroupIds?.length).length;
      expect(apps.find((a) => a.appId === sp.appId)!.assignmentCount ?? 0).toBe(stored.length);
    }
    expect(throughGroups).toBeGreaterThan(0);

    // SSO access: last login per user and app = the emulator's newest successful sign-in.
    const want = newestLogins(emu, home);
    const logins = await h.store.ssoSignins.find(WS, { tenantId: home });
    expect(logins).toHaveLength(want.size);
    for (const l of logins) {
      expect(l.createdDateTime).toBe(want.get(`${l.appId}/${l.userId}`)?.createdDateTime);
      expect(l.location?.startsWith(want.get(`${l.appId}/${l.userId}`)!.city)).toBe(true);
    }

    // HR roster without include guests: Member and null user types only.
    const users = [...emu.world.users(home)];
    expect(await h.store.saasUsers.count(WS, { tenantId: home })).toBe(users.filter((u) => u.userType !== 'Guest').length);
  });

  test('under injected throttling (Retry-After), resets and truncated bodies, with small pages, the stored result is the same', async () => {
    const home = emu.homeTenantId;
    const faulty = await saasHarness(emu, undefined, { maxPageSize: 7, attempts: 12 });
    try {
      await connectSaas(faulty.deps, WS, ADMIN, demoInput(emu));
      emu.control.setFaults({ throttleRate: 0.2, resetRate: 0.1, truncateRate: 0.1, retryAfterSeconds: 0 });
      const before = emu.control.requests('graph').length;
      const outcome = await runSaasDiscovery(faulty.deps, { workspaceId: WS, tenantId: home });
      emu.control.setFaults({ throttleRate: 0, resetRate: 0, truncateRate: 0 });
      const log = emu.control.requests('graph').slice(before);
      expect(log.filter((r) => r.fault).length).toBeGreaterThan(3);
      expect(log.filter((r) => r.status === 429).length).toBeGreaterThan(0);
      expect(log.filter((r) => r.url.includes('skiptoken')).length).toBeGreaterThan(3);
      expect(outcome?.summary.tasks.map((t) => t.state)).toEqual(['done', 'done', 'done', 'done']);
      const enterprise = emu.world.servicePrincipals(home).filter((sp) => sp.tags.includes('WindowsAzureActiveDirectoryIntegratedApp'));
      expect(await faulty.store.saasApps.count(WS, { tenantId: home })).toBe(enterprise.length);
      for (const sp of enterprise) {
        const stored = await faulty.store.ssoAssignments.find(WS, { tenantId: home, appId: sp.appId });
        expect(new Set(stored.map((a) => a.principalId))).toEqual(expectedRoster(emu, home, sp.id));
      }
      expect(await faulty.store.ssoSignins.count(WS, { tenantId: home })).toBe(newestLogins(emu, home).size);
      expect(await faulty.store.saasUsers.count(WS, { tenantId: home })).toBe([...emu.world.users(home)].filter((u) => u.userType !== 'Guest').length);
    } finally {
      emu.control.setFaults({ throttleRate: 0, resetRate: 0, truncateRate: 0 });
      await faulty.close();
    }
  });

  test('a second run: no new apps; a user removed upstream lost access, and the run card says so', async () => {
    const home = emu.homeTenantId;
    await connectSaas(h.deps, WS, ADMIN, demoInput(emu, { tasks: ['appDiscovery', 'ssoRoster'] }));
    const first = await runSaasDiscovery(h.deps, { workspaceId: WS, tenantId: home });
    const pairs = (list: { appId: string; principalId: string }[]) => new Set(list.map((a) => `${a.appId}/${a.principalId}`));
    const before = await h.store.ssoAssignments.find(WS, { tenantId: home });
    // A user on a roster through a group (the emulator memoises direct assignments, so a removed user keeps those).
    const victimId = before.find((a) => !a.assignedDirectly && !emu.world.admins(home).some((u) => u.id === a.principalId))!.principalId;
    emu.control.removeUser(home, victimId);
    const second = await runSaasDiscovery(h.deps, { workspaceId: WS, tenantId: home });
    const enterprise = emu.world.servicePrincipals(home).filter((sp) => sp.tags.includes('WindowsAzureActiveDirectoryIntegratedApp'));
    const still = new Set(enterprise.flatMap((sp) => [...expectedRoster(emu, home, sp.id)].map((u) => `${sp.appId}/${u}`)));
    const expectedLost = [...pairs(before)].filter((p) => !still.has(p));
    expect(expectedLost.some((p) => p.endsWith(victimId))).toBe(true);
    expect(second?.newApps).toEqual([]);
    expect([...pairs(second!.lostAccess)].sort()).toEqual(expectedLost.sort());
    expect(pairs(await h.store.ssoAssignments.find(WS, { tenantId: home }))).toEqual(still);
    expect(worthPosting(second!, first!.summary)).toBe(true);
    const card = JSON.stringify(runCard(createCardRenderer(), second!).content);
    const lostApp = second!.lostAccess[0].appDisplayName;
    expect(card).toContain(`Users who lost access (${second!.lostAccess.length})`);
    expect(card).toContain(`lost access to ${lostApp}`);
    expect(card).not.toContain('Newly discovered apps');
    const third = await runSaasDiscovery(h.deps, { workspaceId: WS, tenantId: home });
    expect(third?.lostAccess).toEqual([]);
    expect(worthPosting(third!, second!.summary)).toBe(false);
  });

  test('HR roster on the emulator: include guests yes / empty (the seed\'s examples), then a domain filter with UPN ≠ mail users', async () => {
    const home = emu.homeTenantId;
    // Seed 003 names three user types; make sure the world has a null one (an account synced without a type).
    const untyped = [...emu.world.users(home)].find((u) => u.userType === 'Member' && u.userPrincipalName.includes('.') && !emu.adminUpns.includes(u.userPrincipalName))!;
    emu.control.updateUser(home, untyped.id, { userType: null });
    const users = [...emu.world.users(home)];
    expect(users.some((u) => u.userType === 'Guest') && users.some((u) => u.userType === null) && users.some((u) => u.userType === 'Member')).toBe(true);
    await connectSaas(h.deps, WS, ADMIN, demoInput(emu, { tasks: ['hrRoster'], includeGuests: true }));
    await runSaasDiscovery(h.deps, { workspaceId: WS, tenantId: home });
    expect(await h.store.saasUsers.count(WS, { tenantId: home })).toBe(users.length);
    expect(await h.store.saasUsers.count(WS, { tenantId: home, userType: 'Guest' })).toBe(users.filter((u) => u.userType === 'Guest').length);

    const primary = emu.world.tenant(home)!.verifiedDomains.find((d) => d.isDefault)!.name;
    await connectSaas(h.deps, WS, ADMIN, demoInput(emu, { tasks: ['hrRoster'], includeGuests: false, domains: [primary.toUpperCase().toLowerCase()] }));
    const outcome = await runSaasDiscovery(h.deps, { workspaceId: WS, tenantId: home });
    const want = users.filter((u) => u.userType !== 'Guest' && u.userPrincipalName.toLowerCase().endsWith(`@${primary}`));
    const stored = await h.store.saasUsers.find(WS, { tenantId: home });
    expect(stored.map((u) => u.userId).sort()).toEqual(want.map((u) => u.id).sort());
    const mismatched = want.filter((u) => u.mail && !u.mail.endsWith(`@${primary}`));
    expect(mismatched.length).toBeGreaterThan(0);
    expect(stored.filter((u) => u.emailOutsideDomains).map((u) => u.userId).sort()).toEqual(mismatched.map((u) => u.id).sort());
    expect(stored.find((u) => u.userId === mismatched[0].id)?.email).toBe(mismatched[0].mail);
    expect(outcome?.summary.filter).toContain(`Domain filter ${primary}, matched on the user principal name; Member and null user types only`);
    expect(outcome?.summary.filter).toContain(`${mismatched.length} kept user(s) have an email (mail) in another domain`);
  });

  test('sign-ins are incremental from the saved watermark; a newer login replaces the stored one', async () => {
    const home = emu.homeTenantId;
    const connected = await connectSaas(h.deps, WS, ADMIN, demoInput(emu, { tasks: ['ssoAccess'] }));
    expect(connected.ok).toBe(true);
    await runSaasDiscovery(h.deps, { workspaceId: WS, tenantId: home });
    const watermark = (await h.store.checkpoints.get(WS, signInCheckpointId(home)))?.value;
    expect(watermark).toBe([...emu.world.signIns(home)].filter((s) => s.status.errorCode === 0)[0].createdDateTime);

    const [sp] = emu.world.servicePrincipals(home).slice(2);
    const user = [...emu.world.users(home)][5];
    const later = new Date(Date.parse(watermark!) + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    emu.control.addSignIns(home, [{ userId: user.id, appId: sp.appId, createdDateTime: later, status: { errorCode: 0, failureReason: null }, location: { city: 'Oslo', state: '', countryOrRegion: 'NO' } }]);
    const before = emu.control.requests('graph').length;
    const second = await runSaasDiscovery(h.deps, { workspaceId: WS, tenantId: home });
    const asked = emu.control.requests('graph').slice(before).filter((r) => r.url.includes('auditLogs/signIns') && !/[?&]\$top=1(&|$)/.test(r.url));
    expect(decodeURIComponent(asked[0].url)).toContain(`createdDateTime ge ${new Date(Date.parse(watermark!) - 15 * 60_000).toISOString().replace(/\.000Z$/, 'Z')}`);
    expect(second?.summary.tasks[0].detail).toMatch(/since/);
    const stored = await h.store.ssoSignins.get(WS, scopedId(home, `${sp.appId}/${user.id}`));
    expect(stored).toMatchObject({ createdDateTime: later, location: 'Oslo, NO' });
    expect((await h.store.checkpoints.get(WS, signInCheckpointId(home)))?.value).toBe(later);
  });

  test('without AuditLog.Read.All, SSO access is reported missing it (the pair called out) and skipped; the other tasks run', async () => {
    const customer = emu.world.tenants().find((t) => t.kind === 'customer' && t.hasEntraP1)!;
    emu.state.appConsents.set(tenantAppKey(customer.id, emu.demoApp.clientId), new Set(['User.Read.All', 'Application.Read.All', 'Organization.Read.All', 'GroupMember.Read.All', 'Directory.Read.All']));
    const before = emu.control.requests('graph').length;
    const connected = await connectSaas(h.deps, WS, ADMIN, demoInput(emu, { tenantId: customer.id }));
    if (!connected.ok) throw new Error(connected.reason);
    expect(connected.doctor.result.tasks.find((t) => t.task === 'ssoAccess')).toEqual({ task: 'ssoAccess', state: 'missingPermission', missing: ['AuditLog.Read.All'] });
    const outcome = await runSaasDiscovery(h.deps, { workspaceId: WS, tenantId: customer.id });
    expect(outcome?.summary.outcome).toBe('partial');
    const access = outcome?.summary.tasks.find((t) => t.task === 'ssoAccess');
    expect(access?.state).toBe('skipped');
    expect(access?.detail).toContain('missing `AuditLog.Read.All`');
    expect(access?.detail).toContain('BOTH AuditLog.Read.All and Directory.Read.All');
    expect(outcome?.summary.tasks.filter((t) => t.state === 'done').map((t) => t.task)).toEqual(['hrRoster', 'appDiscovery', 'ssoRoster']);
    expect(await h.store.ssoSignins.count(WS, { tenantId: customer.id })).toBe(0);
    expect(await h.store.saasApps.count(WS, { tenantId: customer.id })).toBeGreaterThan(0);
    expect(emu.control.requests('graph').slice(before).filter((r) => r.url.startsWith('/v1.0/auditLogs/signIns'))).toHaveLength(0);
  });

  test('a tenant without Entra ID P1: SSO access needs P1 (Graph 403 Authentication_RequestFromNonPremiumTenantOrB2CTenant)', async () => {
    const noP1 = emu.world.tenants().find((t) => !t.hasEntraP1)!;
    emu.control.grantAdminConsent(noP1.id);
    const connected = await connectSaas(h.deps, WS, ADMIN, demoInput(emu, { tenantId: noP1.id, tasks: ['appDiscovery', 'ssoAccess'] }));
    if (!connected.ok) throw new Error(connected.reason);
    const check = connected.doctor.result.tasks.find((t) => t.task === 'ssoAccess');
    expect(check?.state).toBe('needsP1');
    expect(check?.detail).toMatch(/Entra ID P1 or P2/);
    const outcome = await runSaasDiscovery(h.deps, { workspaceId: WS, tenantId: noP1.id });
    expect(outcome?.summary.tasks.map((t) => [t.task, t.state])).toEqual([['appDiscovery', 'done'], ['ssoAccess', 'skipped']]);
    expect(outcome?.summary.tasks[1].detail).toMatch(/^needs Entra ID P1/);
  });

  test('concealed names on: the doctor warns and no activity (sign-ins) is imported', async () => {
    const home = emu.homeTenantId;
    emu.control.setConcealedNames(home, true);
    try {
      const connected = await connectSaas(h.deps, WS, ADMIN, demoInput(emu, { tasks: ['appDiscovery', 'ssoAccess'] }));
      if (!connected.ok) throw new Error(connected.reason);
      expect(connected.doctor.result.concealedNames).toBe('on');
      expect(connected.doctor.result.concealedDetail).toMatch(/hashes/);
      const outcome = await runSaasDiscovery(h.deps, { workspaceId: WS, tenantId: home });
      const access = outcome?.summary.tasks.find((t) => t.task === 'ssoAccess');
      expect(access).toMatchObject({ state: 'skipped' });
      expect(access?.detail).toMatch(/suspicious/);
      expect(await h.store.ssoSignins.count(WS)).toBe(0);
      expect(await h.store.checkpoints.get(WS, signInCheckpointId(home))).toBeUndefined();
    } finally {
      emu.control.setConcealedNames(home, false);
    }
  });

  test('a bad secret (AADSTS7000215) is refused before anything is saved', async () => {
    const result = await connectSaas(h.deps, WS, ADMIN, demoInput(emu, { clientSecret: 'abc8Q~not-the-right-secret-value-at-all-xyz' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem?.aadsts).toBe(7000215);
    expect(result.reason).toMatch(/refused the client secret \(AADSTS7000215\).*Value/);
    expect(await h.store.tenants.count(WS)).toBe(0);
    expect(await h.store.audit.list(WS)).toEqual([]);
  });
});
