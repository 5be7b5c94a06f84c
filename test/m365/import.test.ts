import { startEmulator, type Emulator } from '../../emulator/index.js';
import { importUsers, FIRST_DELTA_URL } from '../../src/features/m365/user-import.js';
import { importLicences } from '../../src/features/m365/licence-import.js';
import { describeLicenceChange } from '../../src/features/m365/licence-report.js';
import { USER_FIELDS } from '../../src/features/m365/user-record.js';
import { loadDeltaCheckpoint } from '../../src/features/m365/delta-checkpoint.js';
import { appPageReader, deltaRequests, tempStore } from './support.js';

/** users/delta + subscribedSkus import against the emulator through the official Graph client. */
describe('m365 import core', () => {
  let emu: Emulator;
  let db: Awaited<ReturnType<typeof tempStore>>;
  let tenantId: string;
  const now = () => new Date();
  let ws = 0;
  let workspaceId: string;

  beforeAll(async () => {
    emu = await startEmulator({ seed: 'm365-import-test', faultSeed: 42 });
    tenantId = emu.homeTenantId;
  });
  afterAll(() => emu.close());
  beforeEach(async () => {
    db = await tempStore();
    workspaceId = `ws-${++ws}`;
    emu.control.setFaults({ throttleRate: 0, unavailableRate: 0, resetRate: 0, truncateRate: 0 });
  });
  afterEach(() => db.close());

  const run = (extra: Partial<Parameters<typeof importUsers>[0]> = {}) =>
    importUsers({ store: db.store, workspaceId, tenantId, readPage: appPageReader(emu, tenantId, { maxPageSize: 7 }), now, ...extra });

  const liveUsers = () => [...emu.world.users(tenantId)];

  test('first run reads every user with every seed-002 field; the next run reads only the 10 added, licensed users', async () => {
    emu.control.clearLogs();
    const first = await run();
    expect(first).toMatchObject({ round: 'full', resumed: false, removed: 0, total: emu.world.userCount(tenantId) });
    expect(first.pages).toBeGreaterThanOrEqual(Math.ceil(emu.world.userCount(tenantId) / 7));
    const firstUrl = deltaRequests(emu)[0].url;
    for (const field of USER_FIELDS) expect(decodeURIComponent(firstUrl)).toContain(field);

    const stored = await db.store.directoryUsers.find(workspaceId, { tenantId });
    expect(stored.map((u) => u.userId).sort()).toEqual(liveUsers().map((u) => u.id).sort());
    const sample = liveUsers()[3];
    const record = stored.find((u) => u.userId === sample.id)!;
    expect(record).toMatchObject({
      id: `${tenantId}/${sample.id}`,
      userPrincipalName: sample.userPrincipalName,
      givenName: sample.givenName,
      surname: sample.surname,
      companyName: sample.companyName,
      city: sample.city,
      postalCode: sample.postalCode,
      usageLocation: sample.usageLocation,
      onPremisesExtensionAttributes: sample.onPremisesExtensionAttributes,
      assignedSkuIds: sample.assignedLicenses.map((l) => l.skuId),
      deleted: false,
    });
    expect((await loadDeltaCheckpoint(db.store, workspaceId, tenantId))?.kind).toBe('delta');

    const added = emu.control.addUsers(tenantId, 10, { licensed: true });
    emu.control.clearLogs();
    const second = await run();
    expect(second).toMatchObject({ round: 'changes', added: 10, updated: 0, removed: 0, total: first.total + 10 });
    // The delta call transferred only the ten: two pages of at most 7, both continuing the saved delta token.
    const calls = deltaRequests(emu);
    expect(calls).toHaveLength(2);
    expect(calls.every((r) => /\$deltatoken=|\$skiptoken=/.test(r.url) && !r.url.includes('$select'))).toBe(true);
    for (const u of added) expect(await db.store.directoryUsers.get(workspaceId, `${tenantId}/${u.id}`)).toMatchObject({ assignedSkuIds: [u.assignedLicenses[0].skuId] });

    const third = await run();
    expect(third).toMatchObject({ round: 'changes', added: 0, updated: 0, removed: 0, pages: 1 });
  });

  test('a removed user is marked deleted and an updated one merged; counts say so', async () => {
    await run();
    const [victim, changed] = liveUsers().slice(5, 7);
    emu.control.removeUser(tenantId, victim.id);
    emu.control.updateUser(tenantId, changed.id, { department: 'Finance (renamed)' });
    const result = await run();
    expect(result).toMatchObject({ round: 'changes', added: 0, updated: 1, removed: 1 });
    expect(await db.store.directoryUsers.get(workspaceId, `${tenantId}/${victim.id}`)).toMatchObject({ deleted: true, assignedSkuIds: [], userPrincipalName: victim.userPrincipalName });
    expect(await db.store.directoryUsers.get(workspaceId, `${tenantId}/${changed.id}`)).toMatchObject({ department: 'Finance (renamed)', city: changed.city });
    expect(result.total).toBe(emu.world.userCount(tenantId));
  });

  test('a crash between storing a page and saving its checkpoint resumes there: nobody missing, nobody twice', async () => {
    const crash = new Error('simulated crash');
    await expect(run({ afterPageStored: async (page) => { if (page === 3) throw crash; } })).rejects.toBe(crash);
    const checkpoint = await loadDeltaCheckpoint(db.store, workspaceId, tenantId);
    expect(checkpoint).toMatchObject({ kind: 'next', round: 'full', counts: { pages: 2 } });
    expect(await db.store.directoryUsers.count(workspaceId, { tenantId })).toBe(21); // page 3 stored, not checkpointed

    emu.control.clearLogs();
    const resumed = await run();
    expect(resumed).toMatchObject({ round: 'full', resumed: true });
    expect(deltaRequests(emu)[0].url).not.toBe(FIRST_DELTA_URL); // it continued from the saved nextLink
    const stored = await db.store.directoryUsers.find(workspaceId, { tenantId });
    const ids = stored.map((u) => u.userId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(liveUsers().map((u) => u.id).sort());
  });

  test('429 (Retry-After), 503, resets and cut bodies are retried page by page; the data comes out exact', async () => {
    emu.control.setFaults({ throttleRate: 0.15, unavailableRate: 0.1, resetRate: 0.1, truncateRate: 0.1, retryAfterSeconds: 0 });
    emu.control.clearLogs();
    const result = await importUsers({ store: db.store, workspaceId, tenantId, readPage: appPageReader(emu, tenantId, { maxPageSize: 5, attempts: 12 }), now });
    const faults = new Set(emu.control.requests('graph').map((r) => r.fault).filter(Boolean));
    expect(faults.size).toBeGreaterThanOrEqual(3);
    expect(result.total).toBe(emu.world.userCount(tenantId));
    const ids = (await db.store.directoryUsers.find(workspaceId, { tenantId })).map((u) => u.userId);
    expect(ids.sort()).toEqual(liveUsers().map((u) => u.id).sort());
  });

  test('subscribedSkus: purchased = prepaidUnits.enabled, assigned = consumedUnits; the next import reports the change', async () => {
    const readPage = appPageReader(emu, tenantId);
    const first = await importLicences({ store: db.store, workspaceId, tenantId, readPage, now });
    expect(first.first).toBe(true);
    const world = emu.world.subscribedSkus(tenantId);
    expect(first.licences.map((l) => [l.skuPartNumber, l.purchased, l.assigned])).toEqual(world.map((s) => [s.skuPartNumber, s.prepaidUnits.enabled, s.consumedUnits]));
    expect(first.licences[0].servicePlans?.length).toBe(world[0].servicePlans.length);

    emu.control.addUsers(tenantId, 12, { licensed: true });
    const second = await importLicences({ store: db.store, workspaceId, tenantId, readPage, now });
    const lines = second.changes.flatMap(describeLicenceChange);
    expect(lines).toContain('+12 assigned Office 365 E3');
    expect(second.changes.filter((c) => c.assignedDelta !== 0)).toHaveLength(1);
  });
});
