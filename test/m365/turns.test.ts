import { tenantAppKey } from '../../emulator/login/apps.js';
import { connectAs } from '../consent/support.js';
import { startWorld, type World } from '../support/world.js';
import type { CapturedActivity } from '../support/connector.js';
import { teamInstall } from '../support/activities.js';
import { M365_JOB, runM365Import } from '../../src/features/m365/index.js';
import { TransientImportError } from '../../src/features/m365/import-job.js';
import { takeRunLock } from '../../src/jobs/run-lock.js';

/** `sync m365` and `licences`: full turns over HTTP, the bot connected to the emulator's home tenant by `connect`. */
describe('m365: sync and licences in Teams', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ emulator: { seed: 'm365-turns' }, scheduler: { processEvery: 200, defaultLockLifetime: 1500 } });
    await connectAs(w, w.people.adele);
  });
  afterAll(() => w.close());

  const cardsAfter = (from: number, title: string) => (a: CapturedActivity) =>
    w.connector.activities.indexOf(a) >= from && JSON.stringify(a.body.attachments ?? '').includes(title);
  const factsOf = (a: CapturedActivity): Record<string, string> => {
    const body = (a.body.attachments[0].content.body ?? []) as { type: string; facts?: { title: string; value: string }[] }[];
    return Object.fromEntries(body.filter((b) => b.type === 'FactSet').flatMap((b) => b.facts ?? []).map((f) => [f.title, f.value]));
  };
  const linesOf = (a: CapturedActivity) => JSON.stringify(a.body.attachments[0].content);

  async function sync(): Promise<CapturedActivity> {
    const from = w.connector.activities.length;
    const turn = await w.say(w.people.adele, 'sync m365');
    expect(turn.text).toContain('Importing Microsoft 365 users and licences');
    return w.waitForMessage(cardsAfter(from, 'Microsoft 365 import:'), 20_000);
  }

  test('sync m365 posts a summary card; licences match the emulator; 10 new licensed users show as exactly those changes', async () => {
    const tenantId = w.workspaceId;
    const first = await sync();
    expect(factsOf(first).Users).toBe(String(w.emulator.world.userCount(tenantId)));
    expect(linesOf(first)).toContain('This was the first import');

    const licences = await w.say(w.people.megan, 'licences');
    const card = JSON.stringify(licences.card);
    for (const sku of w.emulator.world.subscribedSkus(tenantId)) {
      const unassigned = Math.max(0, sku.prepaidUnits.enabled - sku.consumedUnits);
      const section = (licences.card!.body as { type: string; items?: { text?: string; columns?: { items: { text: string }[] }[] }[] }[])
        .find((b) => b.type === 'Container' && b.items?.[1]?.text?.startsWith(`${sku.skuPartNumber} `));
      expect(section).toBeDefined();
      const numbers = section!.items!.find((i) => i.columns)!.columns!.map((c) => c.items[1].text);
      expect(numbers.slice(0, 3)).toEqual([String(sku.prepaidUnits.enabled), String(sku.consumedUnits), String(unassigned)]);
    }
    expect(card).toContain('Office 365 E3');
    expect(card).not.toContain('${');

    const e3Before = w.emulator.world.subscribedSkus(tenantId).find((s) => s.skuPartNumber === 'ENTERPRISEPACK')!;
    w.emulator.control.addUsers(tenantId, 10, { licensed: true });
    const e3After = w.emulator.world.subscribedSkus(tenantId).find((s) => s.skuPartNumber === 'ENTERPRISEPACK')!;
    // The emulator's E3 keeps at least as many purchased as assigned, so buying more is part of the change.
    const purchased = e3After.prepaidUnits.enabled - e3Before.prepaidUnits.enabled;
    w.emulator.control.clearLogs();
    const second = await sync();
    const text = linesOf(second);
    expect(text).toContain('10 users added');
    expect(text).toContain('+10 assigned Office 365 E3');
    const lines = (second.body.attachments[0].content.body as { text?: string }[]).map((b) => b.text ?? '');
    const changeLines = lines.slice(lines.indexOf('Changes since the previous import') + 1).filter(Boolean);
    expect(changeLines).toEqual(['10 users added', '+10 assigned Office 365 E3', ...(purchased ? [`+${purchased} purchased Office 365 E3`] : [])]);
    // The delta call transferred only them: one users/delta request, continuing the stored delta token.
    const delta = w.emulator.control.requests('graph').filter((r) => r.url.startsWith('/v1.0/users/delta'));
    expect(delta).toHaveLength(1);
    expect(delta[0].url).toContain('$deltatoken=');
    const stored = await w.bot.deps.store.directoryUsers.count(w.workspaceId, { tenantId, deleted: false });
    expect(stored).toBe(w.emulator.world.userCount(tenantId));
  });

  test('a viewer cannot start an import (refused, audited); the licences paging button refuses another workspace\'s tenant', async () => {
    const outsiderish = { ...w.people.megan, id: '29:nobody', aadObjectId: 'c3c3c3c3-0000-4000-8000-000000000001', name: 'Nobody' };
    const refused = await w.say(outsiderish, 'sync m365');
    expect(refused.text).toMatch(/Only workspace admins can start a Microsoft 365 import/);
    const audit = await w.bot.deps.store.audit.list(w.workspaceId, { where: { action: 'm365.sync', outcome: 'refused' } });
    expect(audit).toHaveLength(1);

    const tampered = await w.click('licences.page', { tenantId: '00000000-0000-0000-0000-000000000000', page: 1 }, w.people.adele);
    expect(tampered.text).toMatch(/does not have/);
  });

  test('a missing Graph permission is reported by its exact name', async () => {
    // A second tenant, consented without User.Read.All (and Directory.Read.All, which would also allow users).
    const other = w.emulator.world.tenants().find((t) => t.kind === 'customer')!;
    const key = tenantAppKey(other.id, w.emulator.demoApp.clientId);
    w.emulator.state.appConsents.set(key, new Set(['Organization.Read.All', 'Reports.Read.All']));
    const at = new Date().toISOString();
    await w.bot.deps.store.tenants.upsert({
      id: other.id, workspaceId: w.workspaceId, displayName: other.displayName, defaultDomain: other.verifiedDomains[0].name,
      consentedBy: { aadObjectId: w.people.adele.aadObjectId }, consentedAt: at, credentials: { graphConsent: { state: 'ok', updatedAt: at } },
    });
    const from = w.connector.activities.length;
    const turn = await w.say(w.people.adele, `sync m365 ${other.verifiedDomains[0].name}`);
    expect(turn.text).toContain(other.displayName);
    const failure = await w.waitForMessage(cardsAfter(from, 'Missing permission'), 20_000);
    expect(linesOf(failure)).toContain('Missing permission: User.Read.All');
    expect(linesOf(failure)).toContain('reading users (users/delta)');
    // With two tenants, a bare `sync m365` asks which one.
    expect((await w.say(w.people.adele, 'sync m365')).text).toMatch(/has 2 tenants/);
  });

  test('the scheduled run posts to the m365 subscribers; an outage is retried, and announced only on the last try', async () => {
    await w.bot.post(teamInstall(w.connector.url, { tenantId: w.workspaceId }));
    const channelId = '19:general-channel@thread.tacv2';
    const channel = (await w.bot.deps.store.conversations.get(w.workspaceId, channelId))!;
    await w.bot.deps.store.conversations.upsert({ ...channel, topics: [...channel.topics, 'm365'] });
    const inChannel = (from: number) => w.connector.activities.slice(from).filter((a) => a.path.includes(encodeURIComponent(channelId)) && a.body.type === 'message');

    const from = w.connector.activities.length;
    await w.bot.deps.scheduler.now(M365_JOB, { workspaceId: w.workspaceId, tenantId: w.workspaceId });
    await w.waitForMessage(cardsAfter(from, 'Microsoft 365 import:'), 20_000);
    expect(inChannel(from)).toHaveLength(1);
    expect(w.connector.activities.slice(from).filter((a) => a.body.type === 'message')).toHaveLength(1); // nobody else

    w.emulator.control.setFaults({ unavailableRate: 1, retryAfterSeconds: 0 });
    try {
      const data = { workspaceId: w.workspaceId, tenantId: w.workspaceId };
      const retry = { attempts: 2, baseDelayMs: 1 };
      await expect(runM365Import(w.bot.deps, data, { retry })).rejects.toBeInstanceOf(TransientImportError);
      expect(inChannel(from)).toHaveLength(1);
      const last = await runM365Import(w.bot.deps, data, { retry, lastAttempt: true });
      expect(last).toMatchObject({ status: 'failed', failure: { transient: true, headline: 'Microsoft 365 import interrupted' }, posted: 1 });
      expect(JSON.stringify(inChannel(from)[1].body)).toContain('it resumes from where it stopped');
    } finally {
      w.emulator.control.setFaults({ unavailableRate: 0 });
    }
  });

  test('a sync while another import of the tenant runs says so instead of importing twice', async () => {
    const lock = (await takeRunLock(w.bot.deps.store, 'm365', w.workspaceId, w.workspaceId, () => new Date()))!;
    try {
      const from = w.connector.activities.length;
      await w.say(w.people.adele, `sync m365 ${w.workspaceId}`);
      const told = await w.waitForMessage((a) => w.connector.activities.indexOf(a) >= from && /already running/.test(a.body.text ?? ''), 20_000);
      expect(told.body.text).toContain('type `sync m365` again');
      expect(await takeRunLock(w.bot.deps.store, 'm365', w.workspaceId, w.workspaceId, () => new Date())).toBeUndefined();
    } finally {
      await lock.release();
    }
  });
});
