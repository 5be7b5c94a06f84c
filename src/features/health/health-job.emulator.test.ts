import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { startEmulator, type Emulator } from '../../../emulator/index.js';
import { signInWithMsal } from '../../../emulator/login/testkit.js';
import { teamInstall, WORKSPACE } from '../../../test/support/activities.js';
import { startTestBot } from '../../../test/support/bot.js';
import { startConnector, type CapturedActivity } from '../../../test/support/connector.js';
import type { Tenant } from '../../store/types.js';
import { credentialSealContext } from './credentials.js';
import { HEALTH_JOB, runHealthCheck, type HealthCheckDeps } from './health-check.js';
import { createMicrosoftProbes, type HealthProbes } from './probes.js';

type Bot = Awaited<ReturnType<typeof startTestBot>>;
type Connector = Awaited<ReturnType<typeof startConnector>>;

const DAY = 24 * 3600 * 1000;
const ARM_SCOPE = 'https://management.azure.com/.default';

/**
 * health.check against the emulator: a real bot (lowdb), real Entra/Graph calls, cards posted to a fake connector.
 * The bot's clock and the emulator's are moved together; the job handler is called directly, once per "hour".
 */
describe('health.check against the emulator', () => {
  let emu: Emulator;
  let connector: Connector;
  let bot: Bot;
  let botOffset: number;
  let deps: HealthCheckDeps;
  let probes: HealthProbes;
  let admin: string;
  /** Every refresh token that went through the test, to prove none is on disk or in the logs. */
  const refreshTokens: string[] = [];

  const cards = () => connector.activities.filter((a) => a.method === 'POST' && a.body.type === 'message' && a.body.attachments?.length);
  const cardText = (a: CapturedActivity) => JSON.stringify(a.body.attachments[0].content);
  const run = () => runHealthCheck(deps, probes, { workspaceId: WORKSPACE, tenantId: emu.homeTenantId });
  const advance = (ms: number) => {
    botOffset += ms;
    emu.control.advanceClock(ms);
  };
  const tenant = async () => (await bot.deps.store.tenants.get(WORKSPACE, emu.homeTenantId))!;
  const storeRefreshToken = async (refreshToken: string) => {
    refreshTokens.push(refreshToken);
    const t = await tenant();
    const sealed = bot.deps.sealer.seal(refreshToken, credentialSealContext(WORKSPACE, t.id, 'delegatedRefreshToken'));
    const at = deps.now().toISOString();
    // What the connect flow does after a new sign-in: a new sealed token, the state left for the health check.
    await bot.deps.store.tenants.upsert({ ...t, credentials: { ...t.credentials, delegatedRefreshToken: { ...t.credentials.delegatedRefreshToken!, sealed, updatedAt: at } }, updatedAt: at });
  };
  const signIn = async () => (await signInWithMsal(emu, { upn: admin, scopes: [ARM_SCOPE] })).refreshToken;

  beforeEach(async () => {
    emu = await startEmulator({ seed: 'health-check' });
    connector = await startConnector();
    bot = await startTestBot({
      NODE_EXTRA_CA_CERTS: emu.caPath,
      AUTHORITY_HOST: emu.urls.authority,
      ARM_ENDPOINT: emu.urls.arm,
      GRAPH_ENDPOINT: emu.urls.graph,
      PARTNER_CENTER_ENDPOINT: emu.urls.partnerCenter,
      ENTRA_APP_CLIENT_ID: emu.demoApp.clientId,
      ENTRA_APP_CLIENT_SECRET: emu.demoApp.clientSecret,
      ENTRA_HOME_TENANT_ID: emu.homeTenantId,
    });
    botOffset = 0;
    deps = { ...bot.deps, now: () => new Date(Date.now() + botOffset) };
    probes = createMicrosoftProbes(bot.deps.config);
    admin = emu.adminUpns[0];
    await bot.post(teamInstall(connector.url)); // subscribes General to health
    await connector.waitFor((a) => a.body.type === 'message');
    connector.activities.length = 0;
    const at = deps.now().toISOString();
    const record: Tenant = {
      id: emu.homeTenantId,
      workspaceId: WORKSPACE,
      displayName: 'Contoso (emulated)',
      consentedBy: { aadObjectId: 'adele', name: 'Adele Vance' },
      consentedAt: at,
      credentials: { azureConsent: { state: 'ok', updatedAt: at }, graphConsent: { state: 'ok', updatedAt: at }, delegatedRefreshToken: { state: 'ok', updatedAt: at } },
    };
    await bot.deps.store.tenants.upsert(record);
    await storeRefreshToken(await signIn());
  });

  afterEach(async () => {
    await bot.stop();
    await connector.close();
    await emu.close();
  });

  test('revoked sessions: exactly one card, then silence, then exactly one recovery message', async () => {
    expect((await run()).posted).toEqual([]);
    expect(cards()).toHaveLength(0);
    const healthy = await tenant();
    expect(healthy.credentials).toMatchObject({ azureConsent: { state: 'ok' }, graphConsent: { state: 'ok' }, delegatedRefreshToken: { state: 'ok' }, clientSecret: { state: 'ok' } });
    refreshTokens.push(bot.deps.sealer.unseal(healthy.credentials.delegatedRefreshToken!.sealed!, credentialSealContext(WORKSPACE, emu.homeTenantId, 'delegatedRefreshToken')));

    advance(1000);
    emu.control.revokeUserRefreshTokens(emu.homeTenantId, admin);
    await run();
    expect(cards()).toHaveLength(1);
    const alert = cards()[0];
    expect(decodeURIComponent(alert.path)).toContain('19:general-channel@thread.tacv2');
    expect(cardText(alert)).toMatch(/delegated sign-in \(refresh token\) was revoked/);
    expect(cardText(alert)).toContain('AADSTS50173');
    expect(alert.body.attachments[0].content.actions).toEqual([{ type: 'Action.Execute', title: 'Reconnect', verb: 'connect', data: { tenantId: emu.homeTenantId } }]);
    expect((await tenant()).credentials.delegatedRefreshToken).toMatchObject({ state: 'revoked', notifiedState: 'revoked' });

    advance(3600_000);
    await run();
    await run();
    expect(cards()).toHaveLength(1);

    advance(1000);
    await storeRefreshToken(await signIn());
    await run();
    expect(cards()).toHaveLength(2);
    expect(cardText(cards()[1])).toMatch(/Fixed: Contoso \(emulated\) works again/);
    await run();
    expect(cards()).toHaveLength(2);

    refreshTokens.push(bot.deps.sealer.unseal((await tenant()).credentials.delegatedRefreshToken!.sealed!, credentialSealContext(WORKSPACE, emu.homeTenantId, 'delegatedRefreshToken')));
    const audit = await bot.deps.store.audit.list(WORKSPACE, { where: { action: 'credential.state', target: `${emu.homeTenantId}/delegatedRefreshToken` } });
    expect(audit.map((e) => [e.actor, e.detail?.from, e.detail?.to])).toEqual([[`job:${HEALTH_JOB}`, 'ok', 'revoked'], [`job:${HEALTH_JOB}`, 'revoked', 'ok']]);
    await expectNoSecretsInTheClear(bot, [...refreshTokens, emu.demoApp.clientSecret]);
  });

  test('an expired client secret is one card (not one per credential that needs it), and rotating it is one recovery', async () => {
    await run();
    emu.control.expireClientSecret();
    await run();
    await run();
    expect(cards()).toHaveLength(1);
    expect(cardText(cards()[0])).toMatch(/client secret expired/);
    expect(cardText(cards()[0])).toContain('AADSTS7000222');
    const t = await tenant();
    // The credentials that failed only because of the secret keep their state: the secret is the one problem.
    expect(t.credentials).toMatchObject({ clientSecret: { state: 'expired' }, azureConsent: { state: 'ok' }, delegatedRefreshToken: { state: 'ok' } });

    const rotated = emu.control.addClientSecret();
    probes = createMicrosoftProbes({ ...bot.deps.config, entraApp: { ...bot.deps.config.entraApp, clientSecret: rotated.secret } });
    await run();
    expect(cards()).toHaveLength(2);
    expect(cardText(cards()[1])).toMatch(/client secret.*working again \(was expired\)/);
    await expectNoSecretsInTheClear(bot, [rotated.secret, emu.demoApp.clientSecret]);
  });

  test("the secret's end date is read through a cut answer (retried, not left unknown)", async () => {
    const soon = emu.control.addClientSecret(undefined, new Date(emu.control.now() + 10 * DAY).toISOString());
    const config = { ...bot.deps.config, entraApp: { ...bot.deps.config.entraApp, clientSecret: soon.secret } };
    const retried: string[] = [];
    const cutOnce = createMicrosoftProbes(config, undefined, {
      retry: { sleep: async () => undefined, onRetry: (r) => void (retried.push(r.reason), (emu.state.faults.truncateRate = 0)) },
    });
    emu.state.faults.truncateRate = 1;
    try {
      expect((await cutOnce.clientSecretEndsAt())?.toISOString()).toBe(new Date(soon.endDateTime).toISOString());
    } finally {
      emu.state.faults.truncateRate = 0;
    }
    expect(retried.length).toBeGreaterThan(0);
  });

  test('a secret ending in 10 days: one reminder at 30 days, one at 7, one at 1, nothing in between', async () => {
    const soon = emu.control.addClientSecret(undefined, new Date(emu.control.now() + 10 * DAY).toISOString());
    probes = createMicrosoftProbes({ ...bot.deps.config, entraApp: { ...bot.deps.config.entraApp, clientSecret: soon.secret } });
    const headlines = () => cards().map((c) => c.body.attachments[0].content.body[0].text as string);

    await run();
    expect(headlines()).toEqual([expect.stringMatching(/client secret expires in 9 days 23 hours|client secret expires in 10 days/)]);
    advance(2 * DAY);
    await run();
    expect(cards()).toHaveLength(1);
    advance(1.5 * DAY); // 6.5 days left
    await run();
    advance(3600_000);
    await run();
    expect(headlines()).toHaveLength(2);
    expect(headlines()[1]).toMatch(/expires in 6 days/);
    advance(5 * DAY); // 1.5 days left: still inside the 7-day reminder
    await run();
    expect(cards()).toHaveLength(2);
    advance(DAY); // half a day left
    await run();
    expect(headlines()).toHaveLength(3);
    expect(headlines()[2]).toMatch(/expires in 1[01] hours/);
    expect((await tenant()).credentials.clientSecret).toMatchObject({ state: 'expiring', expiresAt: soon.endDateTime });
  });

  test('Conditional Access: one "blocked by Conditional Access" card, then one recovery when the policy lets us through', async () => {
    await run();
    emu.control.setConditionalAccessBlock(emu.homeTenantId, true);
    await run();
    await run();
    expect(cards()).toHaveLength(1);
    expect(cardText(cards()[0])).toMatch(/blocked by Conditional Access/);
    expect(cardText(cards()[0])).toContain('AADSTS53003');
    emu.control.setConditionalAccessBlock(emu.homeTenantId, false);
    await run();
    expect(cards()).toHaveLength(2);
    expect(cardText(cards()[1])).toMatch(/working again \(was blocked\)/);
  });

  test('an alert that reached nobody (Teams unreachable) is not marked as told: the next run posts it, once', async () => {
    await run();
    const [conversation] = await bot.deps.store.conversations.find(WORKSPACE, { topics: 'health' });
    const reachable = conversation.reference.serviceUrl;
    await bot.deps.store.conversations.upsert({ ...conversation, reference: { ...conversation.reference, serviceUrl: 'http://127.0.0.1:9' } });
    emu.control.setConditionalAccessBlock(emu.homeTenantId, true);
    expect((await run()).posted).toEqual([{ kind: 'problem', credentials: ['delegatedRefreshToken'], sent: 0 }]);
    expect((await tenant()).credentials.delegatedRefreshToken).toMatchObject({ state: 'blocked' });
    expect((await tenant()).credentials.delegatedRefreshToken?.notifiedState).toBeUndefined();

    await bot.deps.store.conversations.upsert({ ...conversation, reference: { ...conversation.reference, serviceUrl: reachable } });
    await run();
    await run();
    expect(cards()).toHaveLength(1);
    expect(cardText(cards()[0])).toMatch(/blocked by Conditional Access/);
  });

  test('a Partner Center refresh token issued 85 days ago: one 7-day reminder, one 1-day reminder, then one "expired" card', async () => {
    const t = await tenant();
    const issuedAt = new Date(deps.now().getTime() - 85 * DAY).toISOString();
    await bot.deps.store.tenants.upsert({ ...t, credentials: { ...t.credentials, partnerCenterRefreshToken: { state: 'ok', sealed: 'v1.x.y.z', issuedAt, updatedAt: issuedAt } } });
    await run();
    await run();
    botOffset += 4.5 * DAY; // only the bot's clock: the token's age is ours to count
    await run();
    botOffset += DAY;
    await run();
    await run();
    const texts = cards().map(cardText);
    expect(texts).toHaveLength(3);
    expect(texts[0]).toMatch(/Partner Center refresh token expires in 4 days 23 hours|Partner Center refresh token expires in 5 days/);
    expect(texts[1]).toMatch(/Partner Center refresh token expires in (11|12) hours/);
    expect(texts[2]).toMatch(/Partner Center refresh token expired/);
    expect(texts[2]).toMatch(/last 90 days/);
  });

  test('the job is registered with the scheduler and a run through Agenda posts the card', async () => {
    expect(bot.deps.scheduler.definedJobs().map((j) => j.name)).toContain(HEALTH_JOB);
    emu.control.setConditionalAccessBlock(emu.homeTenantId, true);
    await bot.deps.scheduler.now(HEALTH_JOB, { workspaceId: WORKSPACE, tenantId: emu.homeTenantId });
    const card = await connector.waitFor((a) => a.body.type === 'message', 15_000);
    expect(JSON.stringify(card.body)).toMatch(/blocked by Conditional Access/);
  });
});

/** Greps every file of the data dir (but the sealing key) and every log line for the secrets and for any JWT. */
async function expectNoSecretsInTheClear(bot: Bot, secrets: string[]): Promise<void> {
  const files = (await readdir(bot.dataDir, { recursive: true, withFileTypes: true })).filter((f) => f.isFile() && f.name !== 'sealing.key');
  expect(files.length).toBeGreaterThan(0);
  const haystacks = [...(await Promise.all(files.map((f) => readFile(path.join(f.parentPath, f.name), 'utf8')))), bot.logs.join('\n')];
  for (const text of haystacks) {
    for (const secret of secrets) expect(text.includes(secret)).toBe(false);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\./);
  }
  expect(haystacks.join('\n')).toMatch(/"sealed": ?"v1\./);
}
