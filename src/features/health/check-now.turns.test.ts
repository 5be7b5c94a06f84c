import { connectAs } from '../../../test/consent/support.js';
import { startWorld, type World } from '../../../test/support/world.js';

/** `health check now` runs the real health.check job through the scheduler, at once. */
describe('health check now', () => {
  let w: World;

  beforeEach(async () => {
    // Short locks: Agenda keeps a lockLifetime/2 timer after each run, which would hold jest open.
    w = await startWorld({ scheduler: { processEvery: 100, defaultLockLifetime: 2000 } });
  });
  afterEach(async () => {
    await w.close();
  });

  test('after the admin\'s sessions are revoked, an admin\'s `health check now` brings the revoked alert to the health channel; a viewer is refused', async () => {
    const { adele, megan } = w.people;
    expect((await w.say(adele, 'health check now')).text).toContain('should type `connect` first');
    await connectAs(w, adele);
    await w.say(adele, 'notify here health', 'a:health-alerts');
    w.emulator.control.advanceClock(1000);
    w.emulator.control.revokeUserRefreshTokens(w.emulator.homeTenantId, adele.upn);

    const refused = await w.say(megan, 'health check now');
    expect(refused.text).not.toContain('Checking the credentials');
    expect(await w.bot.deps.store.audit.list(w.workspaceId, { where: { action: 'health.checkNow', outcome: 'refused', actor: megan.aadObjectId } })).toHaveLength(1);

    const started = w.connector.activities.length;
    const reply = await w.say(adele, 'health check now');
    expect(reply.text).toContain(`Checking the credentials of **${w.emulator.world.home.displayName}** now`);
    const alert = await w.waitForMessage((a) => w.connector.activities.indexOf(a) >= started && decodeURIComponent(a.path).includes('a:health-alerts') && /was revoked/.test(JSON.stringify(a.body.attachments ?? '')), 20_000);
    expect(JSON.stringify(alert.body)).toContain('"verb":"connect"');
  }, 60_000);
});
