import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { runHealthCheck } from '../../src/features/health/index.js';
import { runSaasJob } from '../../src/features/saas/index.js';
import { createMicrosoftProbes } from '../../src/features/health/probes.js';
import { teamInstall } from '../support/activities.js';
import { startWorld, type World } from '../support/world.js';

const cardOf = (body: unknown) => (body as { value?: Record<string, any> })?.value;
const json = (v: unknown) => JSON.stringify(v) ?? '';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  // Atomic writes leave short-lived *.tmp files; skip those that vanish while we read.
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

describe('SaaS discovery over HTTP: connect saas, doctor, sync saas, apps', () => {
  let w: World;
  beforeAll(async () => {
    w = await startWorld({ emulator: { seed: 'saas-turns' }, scheduler: { processEvery: 100, defaultLockLifetime: 1500 } });
  });
  afterAll(() => w.close());

  const form = (extra: Record<string, unknown> = {}) => ({
    clientId: w.emulator.demoApp.clientId,
    clientSecret: w.emulator.demoApp.clientSecret,
    tenantId: w.emulator.homeTenantId,
    domains: '',
    includeGuests: '',
    task_hrRoster: 'true',
    task_appDiscovery: 'true',
    task_ssoRoster: 'true',
    task_ssoAccess: 'true',
    ...extra,
  });

  test('the whole flow, and the secret never appears in cards, logs or the data dir', async () => {
    const { adele, megan } = w.people;
    const secret = w.emulator.demoApp.clientSecret;

    const asked = await w.say(adele, 'connect saas');
    expect(asked.card?.actions?.[0]).toMatchObject({ type: 'Action.Execute', verb: 'saas.connect' });
    expect(asked.text).toContain('New registration');
    expect(asked.text).toContain('AuditLog.Read.All and Directory.Read.All');
    expect(asked.text).toContain('Display concealed user, group, and site names in all reports');
    expect(asked.card?.body.find((b: { id?: string }) => b.id === 'clientSecret')).toMatchObject({ style: 'Password' });

    // A wrong secret: refused with Entra's reason, nothing saved, the form comes back without any secret.
    const bad = await w.click('saas.connect', form({ clientSecret: 'Zzz8Q~this-is-not-the-secret-of-the-app-at-all' }), adele);
    expect(bad.status).toBe(200);
    expect(json(cardOf(bad.body))).toContain('AADSTS7000215');
    expect(json(cardOf(bad.body))).not.toContain('this-is-not-the-secret');
    expect(await w.bot.deps.store.tenants.count(w.workspaceId)).toBe(0);
    expect(await w.bot.deps.store.workspaces.count(w.workspaceId)).toBe(0);

    // Bad input: every problem listed, the typed client id kept, the secret not echoed.
    const invalid = await w.click('saas.connect', form({ tenantId: 'contoso', domains: 'not a domain', task_hrRoster: 'false', task_appDiscovery: 'false', task_ssoRoster: 'false', task_ssoAccess: 'false' }), adele);
    const invalidText = json(cardOf(invalid.body));
    expect(invalidText).toMatch(/Tenant ID must be.*not a domain name.*Choose at least one integration task/);
    expect(invalidText).toContain(w.emulator.demoApp.clientId);
    expect(invalidText).not.toContain(secret);

    // The right credentials: connected, Adele owns the new workspace, and the doctor shows each task.
    const ok = await w.click('saas.connect', form(), adele);
    const doctor = json(cardOf(ok.body));
    expect(doctor).toContain('Connected: the secret is stored encrypted');
    for (const label of ['HR Roster', 'Application Discovery', 'SSO Application Roster', 'SSO Application Access']) expect(doctor).toContain(`**${label}** (selected): OK`);
    expect(doctor).not.toContain(secret);
    const workspace = await w.bot.deps.store.workspaces.get(w.workspaceId, w.workspaceId);
    expect(workspace?.admins).toEqual([expect.objectContaining({ aadObjectId: adele.aadObjectId, role: 'owner' })]);
    expect((await w.bot.deps.store.tenants.get(w.workspaceId, w.emulator.homeTenantId))?.credentials.saasClientSecret?.sealed).toMatch(/^v1\./);

    // Megan is a viewer here: she may run the doctor but not change the connection or start a run.
    const refused = await w.click('saas.connect', form(), megan);
    expect(refused.text).toMatch(/Only workspace admins can connect SaaS discovery/);
    expect((await w.bot.deps.store.audit.list(w.workspaceId, { where: { action: 'saas.connect', outcome: 'refused' } }))).toHaveLength(1);
    expect((await w.say(megan, 'saas check')).text).toContain('Permissions doctor');
    expect((await w.say(megan, 'sync saas')).text).toMatch(/Only workspace admins can start SaaS discovery/);

    // sync saas: the job runs and posts its summary here.
    const started = await w.say(adele, 'sync saas');
    expect(started.text).toMatch(/Discovering SaaS apps of \*\*.+\*\* now/);
    const summary = await w.waitForMessage((a) => json(a.body.attachments).includes('SaaS discovery:') && json(a.body.attachments).includes('Newly discovered apps'), 20_000);
    expect(json(summary.body.attachments)).toContain('**SSO Application Access**: done');

    // apps: the emulator's enterprise apps with open_access and publisher, newest first.
    const enterprise = w.emulator.world.servicePrincipals(w.emulator.homeTenantId).filter((sp) => sp.tags.includes('WindowsAzureActiveDirectoryIntegratedApp'));
    const apps = await w.say(megan, 'apps');
    expect(apps.text).toContain(`Discovered SaaS apps (${enterprise.length})`);
    for (const sp of enterprise) expect(apps.text).toContain(`**${sp.displayName}** · NEW since the last run`);
    const slack = enterprise.find((sp) => sp.displayName === 'Slack')!;
    expect(apps.text).toContain(`publisher ${slack.publisherName} · open access: ${slack.appRoleAssignmentRequired ? 'no' : 'yes'}`);

    // apps <name>: the roster count matches the store, and each user's last login is there.
    const stored = await w.bot.deps.store.ssoAssignments.find(w.workspaceId, { appId: slack.appId });
    const detail = await w.say(megan, 'apps slack');
    expect(detail.text).toContain(`Roster: ${stored.length} user(s)`);
    expect(detail.text).toContain(slack.id);

    // Secret hygiene: not in any reply, any log line, or any file of the data dir.
    expect(json(w.connector.activities)).not.toContain(secret);
    expect(w.bot.logs.join('')).not.toContain(secret);
    const files = await filesUnder(w.bot.dataDir);
    expect(files.some((f) => f.endsWith('tenants.json'))).toBe(true);
    for (const file of files) expect((await readFile(file).catch(() => Buffer.from(''))).toString('utf8')).not.toContain(secret);
  }, 60_000);

  test('a second tenant without Entra ID P1: the doctor says SSO access needs P1; a tampered tenant id is refused', async () => {
    const { adele } = w.people;
    const noP1 = w.emulator.world.tenants().find((t) => !t.hasEntraP1)!;
    w.emulator.control.grantAdminConsent(noP1.id);
    const ok = await w.click('saas.connect', form({ tenantId: noP1.id, task_hrRoster: 'false' }), adele);
    const doctor = json(cardOf(ok.body));
    expect(doctor).toContain('**SSO Application Access** (selected): needs Entra ID P1');
    expect(doctor).toContain('**HR Roster** (not selected): OK');

    const foreign = await w.click('saas.check', { tenantId: 'ffffffff-0000-4000-8000-000000000000' }, adele);
    expect(foreign.text).toMatch(/does not have/);
    const outsider = await w.click('saas.sync', { tenantId: noP1.id }, w.people.outsider);
    expect(outsider.text).not.toContain(noP1.id);
  }, 30_000);

  test('the daily run posts users who lost access to the channels subscribed to saas, and a quiet run posts nothing', async () => {
    await w.bot.post(teamInstall(w.connector.url, { tenantId: w.workspaceId }));
    const [channel] = await w.bot.deps.store.conversations.find(w.workspaceId, { kind: 'channel' });
    await w.bot.deps.store.conversations.upsert({ ...channel, topics: [...channel.topics, 'saas'] });
    const home = w.emulator.homeTenantId;
    const viaGroup = (await w.bot.deps.store.ssoAssignments.find(w.workspaceId, { tenantId: home })).find((a) => !a.assignedDirectly && !w.emulator.adminUpns.some((upn) => a.email === upn))!;
    w.emulator.control.removeUser(home, viaGroup.principalId);
    const result = await runSaasJob(w.bot.deps, { workspaceId: w.workspaceId, tenantId: home });
    expect(result.status).toBe('done');
    expect(result.status === 'done' && result.posted).toBe(1);
    const posted = await w.waitForMessage((a) => decodeURIComponent(a.path).includes(channel.id) && json(a.body.attachments).includes('Users who lost access'));
    expect(json(posted.body.attachments)).toContain(`lost access to ${viaGroup.appDisplayName}`);
    const quiet = await runSaasJob(w.bot.deps, { workspaceId: w.workspaceId, tenantId: home });
    expect(quiet.status === 'done' && quiet.posted).toBe(0);
  }, 30_000);

  test('the health job watches the SaaS secret: one expiry reminder to the health channel, with the connect saas fix', async () => {
    await w.bot.post(teamInstall(w.connector.url, { tenantId: w.workspaceId }));
    const tenant = await w.bot.deps.store.tenants.get(w.workspaceId, w.emulator.homeTenantId);
    const endsAt = tenant?.credentials.saasClientSecret?.expiresAt;
    expect(endsAt).toBe(w.emulator.world.demoApp.secretEndDateTime);
    // Five days before the secret ends, by the bot's clock.
    w.clock.advance(Date.parse(endsAt!) - 5 * 86_400_000 - w.clock.now().getTime());
    const probes = { ...createMicrosoftProbes(w.bot.deps.config), appConfigured: false };
    const data = { workspaceId: w.workspaceId, tenantId: w.emulator.homeTenantId };
    const run = await runHealthCheck(w.bot.deps, probes, data);
    expect(run.notices).toEqual([expect.objectContaining({ kind: 'problem', credential: 'saasClientSecret', state: 'expiring', thresholdDays: 7 })]);
    const alert = await w.waitForMessage((a) => json(a.body.attachments).includes("SaaS discovery app registration's client secret"));
    expect(json(alert.body.attachments)).toContain('paste its Value with `connect saas`');
    expect(decodeURIComponent(alert.path)).toContain('19:general-channel@thread.tacv2');
    expect((await runHealthCheck(w.bot.deps, probes, data)).notices).toEqual([]);
    expect(await w.bot.deps.store.tenants.get(w.workspaceId, w.emulator.homeTenantId)).toMatchObject({ credentials: { saasClientSecret: { state: 'expiring', notifiedState: 'expiring' } } });
  }, 30_000);
});
