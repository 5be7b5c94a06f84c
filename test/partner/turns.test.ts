import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { connectAs } from '../consent/support.js';
import { teamInstall } from '../support/activities.js';
import { authorizeUrlOf, startWorld, type World } from '../support/world.js';
import type { CapturedActivity } from '../support/connector.js';
import { PARTNER_REFRESH_JOB, runPartnerRefresh } from '../../src/features/partner/index.js';
import { credentialSealContext } from '../../src/features/health/credentials.js';
import { runHealthCheck } from '../../src/features/health/index.js';
import { createMicrosoftProbes } from '../../src/features/health/probes.js';

const DAY = 86_400_000;

/** CSP: connect partner, customers, the double hop, partner test, the nightly refresh (fake clock), PAL. */
describe('partner (CSP) in Teams', () => {
  let w: World;
  let partnerId: string;
  let customers: { id: string; companyProfile: { domain: string; companyName: string } }[];

  beforeAll(async () => {
    w = await startWorld({ emulator: { seed: 'partner-turns' }, scheduler: { processEvery: 200, defaultLockLifetime: 1500 } });
    await connectAs(w, w.people.adele);
    partnerId = w.emulator.world.partner.tenantId;
    customers = w.emulator.control.partnerCustomers();
    await w.bot.post(teamInstall(w.connector.url, { tenantId: w.workspaceId })); // General channel: health + approvals
  });
  afterAll(() => w.close());

  const after = (from: number, match: (a: CapturedActivity) => boolean) => (a: CapturedActivity) => w.connector.activities.indexOf(a) >= from && match(a);
  const textOf = (a: CapturedActivity) => `${a.body.text ?? ''}${JSON.stringify(a.body.attachments ?? '')}`;
  /** Cards in the health channel about the Partner Center link (other credentials of the tenant have their own). */
  const healthCards = (from: number) =>
    w.connector.activities.slice(from).filter((a) => a.path.includes(encodeURIComponent('19:general-channel@thread.tacv2')) && a.body.type === 'message' && /Partner Center/.test(textOf(a)));
  const partnerRecord = async () => (await w.bot.deps.store.tenants.get(w.workspaceId, partnerId))!;
  const sealedToken = async () => (await partnerRecord()).credentials.partnerCenterRefreshToken!.sealed!;
  const advance = (ms: number) => {
    w.clock.advance(ms);
    w.emulator.control.advanceClock(ms);
  };

  async function linkPartner(): Promise<string> {
    const turn = await w.say(w.people.adele, `connect partner ${partnerId}`);
    expect(turn.text).toContain('Privileged Role Administrator');
    const from = w.connector.activities.length;
    const page = await w.completeSignIn(authorizeUrlOf(turn.card), w.people.adele.upn, { forOrganization: true });
    expect(page.status).toBe(200);
    expect(page.html).toContain('Partner Center linked');
    return textOf(await w.waitForMessage(after(from, (a) => textOf(a).includes('Partner Center is linked'))));
  }

  test('connect partner: the admin signs in; the token is stored sealed with its issue time; customers lists the emulator\'s customers', async () => {
    const told = await linkPartner();
    expect(told).toContain(`${customers.length} customers`);
    const partner = await partnerRecord();
    const status = partner.credentials.partnerCenterRefreshToken!;
    expect(status).toMatchObject({ state: 'ok', sealed: expect.stringMatching(/^v1\./) });
    expect(Math.abs(Date.parse(status.issuedAt!) - w.clock.now().getTime())).toBeLessThan(60_000);
    expect(Date.parse(status.expiresAt!) - Date.parse(status.issuedAt!)).toBe(90 * DAY);
    const clear = w.bot.deps.sealer.unseal(status.sealed!, credentialSealContext(w.workspaceId, partnerId, 'partnerCenterRefreshToken'));
    expect(status.sealed).not.toContain(clear);
    // Nowhere in the clear: not in any data file, not in the log.
    const files = (await readdir(w.bot.dataDir, { recursive: true, withFileTypes: true })).filter((f) => f.isFile() && f.name !== 'sealing.key');
    for (const f of files) expect((await readFile(path.join(f.parentPath, f.name), 'utf8')).includes(clear)).toBe(false);
    expect(w.bot.logs.join('\n').includes(clear)).toBe(false);
    expect(partner.partnerCenter).toMatchObject({ role: 'partner', partnerTenantId: partnerId });
    for (const c of customers) expect(await w.bot.deps.store.tenants.get(w.workspaceId, c.id)).toMatchObject({ partnerCenter: { role: 'customer', partnerTenantId: partnerId }, credentials: {} });

    const list = await w.say(w.people.megan, 'customers');
    for (const c of customers) expect(JSON.stringify(list.card)).toContain(c.companyProfile.companyName);
    const audit = (await w.bot.deps.store.audit.list(w.workspaceId)).map((a) => `${a.action}:${a.outcome}`);
    expect(audit).toEqual(expect.arrayContaining(['partner.link:success', 'credential.set:success']));
  });

  test('sync m365 for a customer goes through the double hop; partner test reads the billing report', async () => {
    const customer = customers[0];
    w.emulator.control.clearLogs();
    const from = w.connector.activities.length;
    await w.say(w.people.adele, `sync m365 ${customer.companyProfile.domain}`);
    const summary = await w.waitForMessage(after(from, (a) => textOf(a).includes('Microsoft 365 import:')), 20_000);
    expect(textOf(summary)).toContain('CSP double hop');
    expect(textOf(summary)).toContain(`"value":"${w.emulator.world.userCount(customer.id)}"`);
    // The partner's refresh token was redeemed at the customer's token endpoint.
    expect(w.emulator.control.requests('login').some((r) => r.method === 'POST' && r.url.startsWith(`/${customer.id}/oauth2/v2.0/token`) && r.status === 200)).toBe(true);
    expect(await w.bot.deps.store.directoryUsers.count(w.workspaceId, { tenantId: customer.id, deleted: false })).toBe(w.emulator.world.userCount(customer.id));

    const test = await w.say(w.people.adele, 'partner test');
    expect(test.text).toMatch(/works: the billing report answered with 3 invoices/);
  });

  test('Conditional Access in the customer tenant is reported as such, with the exception to configure', async () => {
    const customer = customers[1];
    w.emulator.control.setConditionalAccessBlock(customer.id, true);
    try {
      const from = w.connector.activities.length;
      await w.say(w.people.adele, `sync m365 ${customer.companyProfile.domain}`);
      const card = textOf(await w.waitForMessage(after(from, (a) => textOf(a).includes('Blocked by Conditional Access')), 20_000));
      expect(card).toContain('Service provider users');
      expect(card).toContain(partnerId);
      expect(card).toContain('AADSTS53003');
      expect(card).not.toMatch(/import failed/i);
    } finally {
      w.emulator.control.setConditionalAccessBlock(customer.id, false);
    }
  });

  test('partner.refresh (fake clock): each night stores a new token; expiry after 90 days idle posts exactly one health card', async () => {
    const before = await sealedToken();
    advance(DAY);
    const from = w.connector.activities.length;
    await w.bot.deps.scheduler.now(PARTNER_REFRESH_JOB, { workspaceId: w.workspaceId, tenantId: partnerId });
    for (let i = 0; i < 100 && (await sealedToken()) === before; i++) await new Promise((r) => setTimeout(r, 100));
    const after1 = await partnerRecord();
    expect(after1.credentials.partnerCenterRefreshToken!.state).toBe('ok');
    expect(Math.abs(Date.parse(after1.credentials.partnerCenterRefreshToken!.issuedAt!) - w.clock.now().getTime())).toBeLessThan(60_000);
    expect(after1.credentials.partnerCenterRefreshToken!.sealed).not.toBe(before);
    expect(healthCards(from)).toHaveLength(0);

    advance(91 * DAY);
    const failed = await runPartnerRefresh(w.bot.deps, { workspaceId: w.workspaceId, tenantId: partnerId });
    expect(failed).toMatchObject({ status: 'failed', problem: { state: 'expired', reconsent: true }, posted: 1 });
    const cards = healthCards(from);
    expect(cards).toHaveLength(1);
    expect(textOf(cards[0])).toContain('90-day expiry');
    expect(textOf(cards[0])).toContain('Yes: a partner admin must sign in again.');
    expect(await runPartnerRefresh(w.bot.deps, { workspaceId: w.workspaceId, tenantId: partnerId })).toMatchObject({ status: 'failed', posted: 0 });
    await runHealthCheck(w.bot.deps, createMicrosoftProbes(w.bot.deps.config, w.bot.deps.logger), { workspaceId: w.workspaceId, tenantId: partnerId });
    expect(healthCards(from)).toHaveLength(1);
  });

  test('a revoked partner token posts exactly one health card (refresh and health.check together); relinking recovers', async () => {
    await linkPartner();
    const first = await runPartnerRefresh(w.bot.deps, { workspaceId: w.workspaceId, tenantId: partnerId });
    expect(first.status).toBe('refreshed');
    const from = w.connector.activities.length;
    advance(60_000);
    w.emulator.control.revokeUserRefreshTokens(partnerId, w.people.adele.upn);
    const revoked = await runPartnerRefresh(w.bot.deps, { workspaceId: w.workspaceId, tenantId: partnerId });
    expect(revoked).toMatchObject({ status: 'failed', problem: { state: 'revoked', reconsent: true }, posted: 1 });
    await runPartnerRefresh(w.bot.deps, { workspaceId: w.workspaceId, tenantId: partnerId });
    await runHealthCheck(w.bot.deps, createMicrosoftProbes(w.bot.deps.config, w.bot.deps.logger), { workspaceId: w.workspaceId, tenantId: partnerId });
    const cards = healthCards(from);
    expect(cards).toHaveLength(1);
    expect(textOf(cards[0])).toMatch(/was revoked/);

    await linkPartner();
    const recovered = await runPartnerRefresh(w.bot.deps, { workspaceId: w.workspaceId, tenantId: partnerId });
    expect(recovered).toMatchObject({ status: 'refreshed', recovered: true, posted: 1 });
    expect(healthCards(from).map(textOf).filter((t) => t.includes('Partner Center link works again'))).toHaveLength(1);
  });

  test('PAL: set, show and remove by an admin (each audited, written to Microsoft); refused for a viewer and for a bad id', async () => {
    const mpn = w.emulator.world.partner.mpnId;
    const home = w.workspaceId; // the home tenant, named by its id
    expect((await w.say(w.people.megan, `pal ${mpn} for ${home}`)).text).toMatch(/Only workspace admins can change the Partner Admin Link/);
    expect((await w.say(w.people.adele, `pal 12ab for ${home}`)).text).toMatch(/is not a Partner ID/);
    expect((await w.say(w.people.adele, `pal ${mpn} for ${home}`)).text).toMatch(new RegExp(`linked partner id \\*\\*${mpn}\\*\\*`));
    expect((await w.say(w.people.megan, `pal for ${home}`)).text).toMatch(new RegExp(`Partner Admin Link in .*partner id \\*\\*${mpn}\\*\\*`));
    expect((await w.say(w.people.megan, `pal remove for ${home}`)).text).toMatch(/Only workspace admins/);
    expect((await w.say(w.people.adele, `pal remove for ${home}`)).text).toMatch(/Partner Admin Link removed/);
    expect((await w.say(w.people.adele, `pal for ${home}`)).text).toMatch(/No partner is linked/);
    expect(w.emulator.control.writes().filter((x) => x.kind.startsWith('pal.')).map((x) => x.kind)).toEqual(['pal.put', 'pal.delete']);
    const audit = (await w.bot.deps.store.audit.list(w.workspaceId)).filter((a) => a.action.startsWith('pal.')).map((a) => `${a.action}:${a.outcome}`);
    expect(audit).toEqual(['pal.set:refused', 'pal.set:refused', 'pal.set:success', 'pal.remove:refused', 'pal.remove:success']);
  });

  test('connect partner is refused for a viewer, and needs a Microsoft ID', async () => {
    expect((await w.say(w.people.megan, `connect partner ${partnerId}`)).text).toMatch(/Only workspace admins can link Partner Center/);
    expect((await w.say(w.people.adele, 'connect partner contoso')).text).toMatch(/is not one/);
  });
});

describe('partner (CSP) as the first thing a workspace does', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ emulator: { seed: 'partner-first' }, scheduler: { processEvery: 200, defaultLockLifetime: 1500 } });
  });
  afterAll(() => w.close());

  test('connect partner before any connect: the admin who links becomes the owner; only customers are importable', async () => {
    const partnerId = w.emulator.world.partner.tenantId;
    const turn = await w.say(w.people.adele, `connect partner ${partnerId}`);
    const from = w.connector.activities.length;
    const page = await w.completeSignIn(authorizeUrlOf(turn.card), w.people.adele.upn, { forOrganization: true });
    expect(page.status).toBe(200);
    await w.waitForMessage((a) => w.connector.activities.indexOf(a) >= from && /Partner Center is linked/.test(a.body.text ?? ''));
    const workspace = await w.bot.deps.store.workspaces.get(w.workspaceId, w.workspaceId);
    expect(workspace?.admins).toEqual([expect.objectContaining({ aadObjectId: w.people.adele.aadObjectId, role: 'owner' })]);
    // The partner tenant itself has no admin consent here, so `sync m365` offers the customers only.
    const ask = await w.say(w.people.adele, 'sync m365');
    const customers = w.emulator.control.partnerCustomers();
    expect(ask.text).toMatch(new RegExp(`has ${customers.length} tenants`));
    for (const c of customers) expect(ask.text).toContain(c.companyProfile.companyName);
    expect(ask.text).not.toContain(`(${w.emulator.world.home.verifiedDomains.find((d) => d.isDefault)?.name})`);
    // PAL needs Tenant Steward's own credential in a tenant: there is none yet.
    expect((await w.say(w.people.adele, 'pal')).text).toMatch(/No tenant here holds Tenant Steward's own credential/);
  });
});
