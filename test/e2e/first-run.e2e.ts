import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { childEnv } from '../../src/config.js';
import { startEmbeddedDefault, type EmbeddedDefault } from '../../src/launcher/embedded.js';
import { Supervisor } from '../../src/launcher/supervisor.js';
import { launchChromium } from './support/browser.js';
import { EmulatorControl, type EmulatorWrite } from './support/emulator-control.js';
import { signInOnEmulator } from './support/emulator-pages.js';
import { buttonAfter, PERSONAL_CHAT, PlaygroundUi } from './support/playground-ui.js';

/**
 * The first run, as a newcomer does it after `npm start`, in a real browser: the embedded default (emulator, bot,
 * the Agents Playground signed in as Adele Vance and a second one signed in as Alex Wilber, the approver), driven
 * through the Playground's web UI and the emulator's sign-in pages. Each step asserts what the page shows and, where
 * Microsoft is written to, the emulator's record of writes. Screenshots go to docs/screenshots/ (the README's
 * walkthrough); the launcher's output goes to test/e2e/first-run.log (gitignored) for when a step fails, and a failing
 * step's own screenshot to tmp/.
 *
 * The steps depend on each other and run in order; a failed step makes the later ones fail too.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHOTS = path.join(ROOT, 'docs', 'screenshots');
const LOG = path.join(ROOT, 'test', 'e2e', 'first-run.log');
const ROLE = { reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7', tagContributor: '4a9ae827-6dc8-4573-8ac7-8239d42aa03f' };

const GENERAL = (team: string) => `${team} - General`;

let dir: string;
let supervisor: Supervisor;
let started: EmbeddedDefault;
let browser: Browser;
let context: BrowserContext;
let control: EmulatorControl;
let adele: PlaygroundUi;
let alex: PlaygroundUi;
const printed: string[] = [];

/** The people and the subscription of the walkthrough, from the emulator's seeded world. */
let world: {
  tenantId: string;
  tenantName: string;
  teamChannel: string;
  adele: { id: string; upn: string };
  alex: { id: string; upn: string; name: string };
  sp: string;
  adeleOwns: { subscriptionId: string; displayName: string }[];
  /** Owned by both admins: Alex's sign-in as an Owner can change its role. */
  sub: { subscriptionId: string; displayName: string };
  resource: { id: string; name: string };
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

const roleWrites = async (kind: 'roleAssignment.create' | 'roleAssignment.delete', subscriptionId: string) =>
  (await control.writes(kind)).filter((w) => w.detail.subscriptionId === subscriptionId && w.detail.principalId === world.sp);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ts-first-run-'));
  await mkdir(SHOTS, { recursive: true });
  supervisor = new Supervisor((l) => printed.push(`[launcher] ${l}`));
  started = await startEmbeddedDefault({
    workDir: dir,
    botPort: await freePort(),
    playgroundPort: 0,
    approverPlaygroundPort: 0,
    childEnv,
    print: (l) => printed.push(l),
    supervisor,
  });
  const emu = started.emulator;
  const t = emu.homeTenantId;
  const adeleUser = emu.world.user(t, started.signedInUpn)!;
  const alexUser = emu.world.user(t, started.approverUpn)!;
  // A copy: the world's own list must keep its order (resources are generated from a subscription's position).
  const subs = [...emu.world.azureSubscriptions(t)].sort((a, b) => a.displayName.localeCompare(b.displayName));
  const sub = subs.find((s) => s.ownerIds.includes(adeleUser.id) && s.ownerIds.includes(alexUser.id))!;
  const [resource] = emu.world.resources(sub.subscriptionId);
  world = {
    tenantId: t,
    tenantName: emu.world.home.displayName,
    teamChannel: GENERAL(`${emu.world.home.displayName} IT`),
    adele: { id: adeleUser.id, upn: adeleUser.userPrincipalName },
    alex: { id: alexUser.id, upn: alexUser.userPrincipalName, name: alexUser.displayName },
    sp: emu.world.demoApp.servicePrincipalIdIn(t),
    adeleOwns: subs.filter((s) => s.ownerIds.includes(adeleUser.id)),
    sub,
    resource: { id: resource.id, name: resource.name },
  };
  control = new EmulatorControl(emu.urls.arm);
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  adele = await PlaygroundUi.open(context, started.playgroundUrl, shoot);
  alex = await PlaygroundUi.open(context, started.approverPlaygroundUrl!, shoot);
}, 90_000);

afterAll(async () => {
  await writeFile(LOG, `${printed.join('\n')}\n`).catch(() => undefined);
  await context?.close();
  await browser?.close();
  await supervisor?.stop(5000);
  if (dir) await rm(dir, { recursive: true, force: true });
}, 30_000);

test('help: the welcome card, then the command list', async () => {
  await adele.openConversation(PERSONAL_CHAT);
  await adele.cards('Welcome to Tenant Steward').first().waitFor();
  await adele.shot('01-welcome');
  const help = await adele.expectNewCard('Tenant Steward commands', () => adele.say('help'));
  for (const command of ['connect', 'subscriptions', 'sync m365', 'licences', 'connect saas', 'apps', 'health check now']) {
    expect(await help.innerText()).toContain(command);
  }
  await adele.shot('02-help', help);
});

test('connect: the consent card, the emulator sign-in as Adele, Reader on each subscription she owns', async () => {
  const card = await adele.expectNewCard('Connect a Microsoft tenant', () => adele.say('connect'));
  await adele.shot('03-connect', card);
  const result = await adele.watchFor(`Connected: ${world.tenantName}`);
  const popup = await adele.openLink(card, 'Sign in and consent');
  await signInOnEmulator(popup, world.adele.upn, { consentForOrganization: true, onPage: (step, page) => shoot(page, step === 'sign-in' ? '04-sign-in' : '05-consent') });
  expect(await popup.locator('body').innerText()).toContain(`Connected: ${world.tenantName}`);
  await popup.close();
  const connected = await result.arrived();
  const text = await connected.innerText();
  for (const s of world.adeleOwns) expect(text).toContain(s.displayName);
  await adele.shot('06-connected', connected);

  const readers = (await control.writes('roleAssignment.create')).filter((w) => w.detail.principalId === world.sp);
  expect(readers.map((w) => w.detail.subscriptionId).sort()).toEqual(world.adeleOwns.map((s) => s.subscriptionId).sort());
  for (const w of readers) {
    expect(w.detail.roleDefinitionId).toBe(ROLE.reader);
    expect(w.principal.oid).toBe(world.adele.id); // made with Adele's delegated token, in the impersonation window
  }
});

test('the team: Alex becomes an admin, the General channel gets notifications, Alex asks for approvals in his Teams', async () => {
  await adele.openConversation(world.teamChannel);
  await adele.post(`admins add ${world.alex.upn}`);
  await adele.expectText(`${world.alex.name} is now an admin`);
  await adele.post('notify here');
  await adele.expectText(/Done: I'll post \S*health/);
  await adele.shot('07-channel');

  await alex.openConversation(world.teamChannel);
  await alex.post('notify here approvals');
  await alex.expectText(/Done: I'll post \S*approvals/);
});

test('subscriptions, then a change to Read and Write Tags that waits for a second admin', async () => {
  await adele.openConversation(PERSONAL_CHAT);
  const list = await adele.expectNewCard('Azure subscriptions', () => adele.say('subscriptions'));
  const listed = await list.innerText();
  for (const s of world.adeleOwns) expect(listed).toContain(s.subscriptionId);
  expect(listed).toContain('Read Tags Only');
  await adele.shot('08-subscriptions', list);

  const modes = await adele.expectNewCard(`Sync mode: ${world.sub.displayName}`, () => buttonAfter(list, world.sub.displayName, 'Change sync mode').click());
  await adele.shot('09-modes', modes);
  const title = `Approval: Read and Write Tags on ${world.sub.displayName}`;
  const requested = await adele.watchFor(title);
  const toAlex = await alex.watchFor(title);
  await buttonAfter(modes, 'Read and Write Tags', 'Choose').click();
  const mine = await requested.arrived();
  expect(await mine.innerText()).toContain(`Waiting for approval by ${world.alex.name}`);
  await adele.shot('10-requested', mine);
  // Nothing changes in Azure before the approval.
  expect(await roleWrites('roleAssignment.create', world.sub.subscriptionId)).toHaveLength(1);
  expect(await roleWrites('roleAssignment.delete', world.sub.subscriptionId)).toHaveLength(0);
  await toAlex.arrived();
});

test('Alex approves in his Teams and signs in as an Owner: Tag Contributor assigned, then Reader removed', async () => {
  const card = alex.cards(`Approval: Read and Write Tags on ${world.sub.displayName}`).last();
  await card.getByRole('button', { name: 'Show my options' }).click(); // the Playground does not refresh user-specific views
  await card.getByRole('button', { name: 'Approve' }).waitFor();
  expect(await card.innerText()).toContain('You may answer this request.');
  await alex.shot('11-alex-approves', card);
  await card.getByRole('button', { name: 'Approve' }).click();
  const link = await signInLinkAfterApproval(card);
  await alex.shot('12-alex-signs-in', card);

  const done = await adele.watchFor(/Done: Tag Contributor assigned, Reader removed/);
  const popup = await alex.openLink(card, link);
  await signInOnEmulator(popup, world.alex.upn, { consentForOrganization: true });
  expect(await popup.locator('body').innerText()).toMatch(/Tag Contributor assigned, Reader removed/);
  await shoot(popup, '13-role-changed');
  await popup.close();

  const added = await roleWrites('roleAssignment.create', world.sub.subscriptionId);
  const removed = await roleWrites('roleAssignment.delete', world.sub.subscriptionId);
  const tagContributor = added.filter((w) => w.detail.roleDefinitionId === ROLE.tagContributor);
  expect(tagContributor).toHaveLength(1);
  expect(removed.map((w) => w.detail.roleDefinitionId)).toEqual([ROLE.reader]);
  expect(tagContributor[0].principal.oid).toBe(world.alex.id); // Alex's delegated token, not Adele's
  expect(removed[0].principal.oid).toBe(world.alex.id);
  expect(removed[0].seq).toBeGreaterThan(tagContributor[0].seq); // Reader goes only once Tag Contributor exists

  await adele.openConversation(PERSONAL_CHAT);
  await adele.shot('14-approved', await done.arrived());
});

/**
 * After Approve the bot updates every OTHER copy of the card and answers Alex's click with his view and the sign-in
 * link; the copy he clicked is not replaced by the shared view, so the link appears and stays.
 */
async function signInLinkAfterApproval(card: Locator): Promise<string> {
  const name = 'Sign in to change the role';
  await card.filter({ hasText: `Approved by ${world.alex.name}` }).getByRole('link', { name }).waitFor();
  // A shared update of this copy would land within a moment and take the link away: it must still be there.
  await new Promise((r) => setTimeout(r, 3000));
  expect(await card.getByRole('link', { name }).count()).toBe(1);
  expect(await card.getByRole('button', { name: 'Show my options' }).count()).toBe(0);
  return name;
}

test('a tag edit on the Read and Write Tags subscription is written with a Merge PATCH at the next sync', async () => {
  await adele.openConversation(world.teamChannel);
  await adele.expectNewCard(/Tag sync:/, () => adele.post(`sync tags ${world.sub.displayName}`), { timeoutMs: 60_000 });
  await adele.post(`tag ${world.resource.name} owner=finance`);
  await adele.expectText(/Queued/);
  const summary = await adele.expectNewCard(/Edits applied/, () => adele.post(`sync tags ${world.sub.displayName}`), { timeoutMs: 60_000 });
  expect(await summary.innerText()).toMatch(/Edits applied\s+1\b/);
  await adele.shot('15-tags-applied', summary);

  const patches = await control.writes('tags.patch');
  expect(patches).toHaveLength(1);
  expect(patches[0].method).toBe('PATCH');
  expect(patches[0].detail).toMatchObject({ scope: world.resource.id, operation: 'Merge', tags: { owner: 'finance' } });
});

test('sync m365, then licences: the emulator tenant\'s SKUs and assigned counts', async () => {
  const skus = started.emulator.world.subscribedSkus(world.tenantId);
  const assigned = skus.reduce((n, s) => n + s.consumedUnits, 0);
  await adele.openConversation(PERSONAL_CHAT);
  const run = await adele.expectNewCard(`Microsoft 365 import: ${world.tenantName}`, () => adele.say('sync m365'), { timeoutMs: 60_000 });
  expect(await run.innerText()).toContain(`${assigned} assigned`);
  await adele.shot('16-m365-import', run);
  const licences = await adele.expectNewCard(`Microsoft 365 licences: ${world.tenantName}`, () => adele.say('licences'));
  const text = await licences.innerText();
  expect(text).toMatch(new RegExp(`SKUs\\s+${skus.length}\\b`));
  expect(text).toMatch(new RegExp(`Assigned\\s+${assigned}\\b`));
  for (const sku of skus) expect(text).toContain(sku.skuPartNumber);
  await adele.shot('17-licences', licences);
});

test('connect saas with the tenant\'s own app registration, sync saas, then apps; nothing is written to Microsoft', async () => {
  const writesBefore = (await control.writes()).length;
  const app = started.emulator.demoApp;
  await adele.openConversation(PERSONAL_CHAT);
  const form = await adele.expectNewCard('Connect SaaS discovery', () => adele.say('connect saas'));
  await form.getByLabel(/Client ID/).fill(app.clientId);
  await form.getByLabel(/Client secret/).fill(app.clientSecret);
  await form.getByLabel(/Tenant ID/).fill(world.tenantId);
  const submit = form.getByRole('button', { name: 'Check and connect' });
  await adele.shot('18-saas-connect', submit);
  const doctor = await adele.expectNewCard('Connected: the secret is stored encrypted', () => submit.click());
  const checked = await doctor.innerText();
  for (const task of ['HR Roster', 'Application Discovery', 'SSO Application Roster', 'SSO Application Access']) expect(checked).toContain(`${task} (selected): OK`);
  expect(checked).not.toContain(app.clientSecret);

  const run = await adele.expectNewCard('HR Roster: done', () => adele.say('sync saas'), { timeoutMs: 60_000 });
  await adele.shot('19-saas-run', run);
  const apps = await adele.expectNewCard(/Discovered SaaS apps \(\d+\)/, () => adele.say('apps'));
  const text = await apps.innerText();
  const listed = [...text.matchAll(/^(.+?) · NEW since the last run$/gm)].map((m) => m[1]);
  expect(listed.length).toBeGreaterThan(0);
  expect(text).toContain(`Discovered SaaS apps (${listed.length})`);
  const known = new Set(started.emulator.world.servicePrincipals(world.tenantId).map((s) => s.appDisplayName));
  for (const name of listed) expect(known).toContain(name);
  await adele.shot('20-apps', apps);
  expect((await control.writes()).slice(writesBefore).map((w: EmulatorWrite) => w.kind)).toEqual([]);
});

test('health: the emulator revokes Adele\'s sessions; `health check now` posts the alert in the channel with Reconnect', async () => {
  await control.event('advanceClock', 1000);
  await control.event('revokeUserRefreshTokens', world.tenantId, world.adele.upn);
  await adele.openConversation(world.teamChannel);
  const alert = await adele.expectNewCard(/sign-in \(refresh token\) was revoked/, async () => {
    await adele.post('health check now');
    await adele.expectText(/Checking the credentials of/);
  }, { timeoutMs: 30_000 });
  expect(await alert.innerText()).toMatch(/AADSTS50173/);
  await alert.getByRole('button', { name: 'Reconnect' }).waitFor();
  await adele.shot('21-health-alert', alert);
});

test('health: Reconnect on the alert gives Adele a new sign-in; after it, the next check posts the recovery', async () => {
  const alert = adele.cards(/sign-in \(refresh token\) was revoked/).last();
  const connect = await adele.watchFor('Connect a Microsoft tenant');
  await alert.getByRole('button', { name: 'Reconnect' }).click();
  const card = await connect.arrived().catch(async (err: Error) => {
    await alert.scrollIntoViewIfNeeded();
    await adele.page.screenshot({ path: path.join(ROOT, 'tmp', 'e2e-reconnect-clicked.png') }); // tmp/ is gitignored
    const banner = await adele.page.locator('[aria-label="Display Invoked Message"]').allInnerTexts().catch(() => []);
    throw new Error(`Reconnect (Action.Execute verb "connect", data {tenantId}) brought no sign-in card; the card shows: ${JSON.stringify(banner)}. ${err.message}`);
  });
  const popup = await adele.openLink(card, 'Sign in and consent');
  await signInOnEmulator(popup, world.adele.upn, { consentForOrganization: true });
  expect(await popup.locator('body').innerText()).toContain(`Connected: ${world.tenantName}`);
  await popup.close();
  const recovered = await adele.expectNewCard(/works again/, () => adele.post('health check now'), { timeoutMs: 30_000 });
  await adele.shot('22-health-recovered', recovered);
});
