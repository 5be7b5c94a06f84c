import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { connectAs } from '../../../test/consent/support.js';
import { authorizeUrlOf, startWorld, type World } from '../../../test/support/world.js';
import { credentialSealContext } from './credentials.js';
import { HEALTH_JOB, runHealthCheck } from './health-check.js';
import { createMicrosoftProbes } from './probes.js';

/**
 * The whole path, with the real connect flow: connect stores the sealed refresh token and schedules health.check;
 * revoking the admin's sessions is one alert in the channel subscribed to `health`; connecting again is one recovery.
 */
describe('health.check after a real connect', () => {
  let w: World;

  beforeEach(async () => {
    w = await startWorld();
  });
  afterEach(async () => {
    await w.close();
  });

  test('connect schedules the hourly check; revoke → one alert with Reconnect; its button signs in again → one recovery; nothing in the clear', async () => {
    const { adele } = w.people;
    await connectAs(w, adele);
    const tenantId = w.emulator.homeTenantId;
    const runs = await w.bot.deps.scheduler.lastRuns({ data: { workspaceId: w.workspaceId, tenantId } });
    const health = runs.find((r) => r.name === HEALTH_JOB);
    expect(health).toMatchObject({ jobs: 1, result: 'never' });
    expect(health!.nextRunAt!.getTime() - Date.now()).toBeGreaterThan(50 * 60_000);

    const subscribed = await w.say(adele, 'notify here health', 'a:health-alerts');
    expect(subscribed.text).toMatch(/health/);
    const probes = createMicrosoftProbes(w.bot.deps.config);
    const run = () => runHealthCheck(w.bot.deps, probes, { workspaceId: w.workspaceId, tenantId });
    const alerts = () => w.connector.activities.filter((a) => decodeURIComponent(a.path).includes('a:health-alerts') && a.body.attachments?.length && !/notify/i.test(JSON.stringify(a.body)) && /"Reconnect"|works again/.test(JSON.stringify(a.body)));
    const from = alerts().length;

    expect((await run()).posted).toEqual([]);
    w.emulator.control.advanceClock(1000);
    w.emulator.control.revokeUserRefreshTokens(tenantId, adele.upn);
    await run();
    await run();
    expect(alerts().length - from).toBe(1);
    const alert = alerts().at(-1)!.body.attachments[0].content;
    expect(JSON.stringify(alert)).toMatch(/was revoked/);
    expect(alert.actions).toEqual([{ type: 'Action.Execute', title: 'Reconnect', verb: 'connect', data: { tenantId } }]);

    // Reconnect is the alert's own button: a sign-in card bound to this tenant, completed by the same admin.
    w.emulator.control.advanceClock(1000);
    const clicked = await w.click('connect', { tenantId }, adele, 'a:health-alerts');
    expect(JSON.stringify(clicked.body)).toMatch(/to reconnect it/);
    await w.completeSignIn(authorizeUrlOf(clicked.card), adele.upn);
    await run();
    await run();
    expect(alerts().length - from).toBe(2);
    expect(JSON.stringify(alerts().at(-1)!.body)).toMatch(/works again/);

    const stored = (await w.bot.deps.store.tenants.get(w.workspaceId, tenantId))!.credentials.delegatedRefreshToken!;
    const refreshToken = w.bot.deps.sealer.unseal(stored.sealed!, credentialSealContext(w.workspaceId, tenantId, 'delegatedRefreshToken'));
    const files = (await readdir(w.bot.dataDir, { recursive: true, withFileTypes: true })).filter((f) => f.isFile() && f.name !== 'sealing.key');
    const texts = [...(await Promise.all(files.map((f) => readFile(path.join(f.parentPath, f.name), 'utf8')))), w.bot.logs.join('\n')];
    for (const text of texts) {
      expect(text.includes(refreshToken)).toBe(false);
      expect(text.includes(w.emulator.demoApp.clientSecret)).toBe(false);
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\./);
    }
  });
});
