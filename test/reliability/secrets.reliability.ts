import path from 'node:path';
import { credentialSealContext } from '../../src/features/health/credentials.js';
import { saasSecretSealContext } from '../../src/features/saas/connection.js';
import { recordFigures } from './figures.js';
import { runDemo, type DemoRun } from './support/demo-run.js';
import { filesUnder, findLeaks } from './support/leak-scan.js';

/**
 * Issue 10 point 6: after a full demo run (connect, subscriptions, an approved mode change with the approver's
 * sign-in, tags sync and a tag written, sync m365, connect saas with its own client secret and sync saas, connect
 * partner and its nightly refresh, a health check), no client secret, refresh token, access or id token, or
 * authorization code the emulator ever handed out appears in the clear (as is, URL-encoded or base64) in any file
 * of the bot's data dir, any log line, any message or card the connector received, any invoke answer or any
 * callback page; nor does anything JWT-shaped.
 */
describe('secrets at rest and in transit to Teams, after a full demo run', () => {
  let run: DemoRun;
  let checked = 0;

  beforeAll(async () => {
    run = await runDemo();
  }, 300_000);
  afterAll(async () => {
    await run?.w.close();
    recordFigures('secrets', { 'secrets checked': checked });
  });

  test('the demo run did every step (a scan of a run that did nothing would prove nothing)', () => {
    expect(run.steps).toEqual({ connect: true, subscriptions: true, approval: true, tags: true, m365: true, saasConnect: true, saasSync: true, partner: true, health: true, failures: true });
  });

  test('no secret the emulator issued is in the clear in data/, the logs, the cards sent, invoke answers or pages', async () => {
    const { w } = run;
    const issued = w.emulator.control.issuedCredentials();
    // Everything the bot holds is among what we look for: its stored credentials, unsealed, are issued values.
    const tenant = (await w.bot.deps.store.tenants.get(w.workspaceId, w.workspaceId))!;
    const unseal = (kind: 'delegatedRefreshToken' | 'saasClientSecret' | 'partnerCenterRefreshToken') =>
      w.bot.deps.sealer.unseal(tenant.credentials[kind]!.sealed!, kind === 'saasClientSecret' ? saasSecretSealContext(w.workspaceId, tenant.id) : credentialSealContext(w.workspaceId, tenant.id, kind));
    expect(issued.refreshTokens).toEqual(expect.arrayContaining([unseal('delegatedRefreshToken'), unseal('partnerCenterRefreshToken')]));
    expect(issued.clientSecrets).toEqual(expect.arrayContaining([w.emulator.demoApp.clientSecret, run.saasSecret, unseal('saasClientSecret')]));

    await w.bot.close(); // every write landed (lowdb, the jobs file); the data dir stays until w.close()
    const files = await filesUnder(w.bot.dataDir);
    const haystacks: [string, string][] = [
      ...files.map(([file, text]) => [`data/${path.relative(w.bot.dataDir, file)}`, text] as [string, string]),
      ...w.bot.logs.map((line, i) => [`log line ${i + 1}`, line] as [string, string]),
      ...w.connector.activities.map((a, i) => [`activity ${i + 1} (${a.method} ${a.path})`, JSON.stringify(a)] as [string, string]),
      ...run.shown.map((s, i) => [`invoke answer or page ${i + 1}`, s] as [string, string]),
    ];
    const secrets = [
      ...issued.clientSecrets.map((value, i) => ({ name: `client secret ${i + 1}`, value })),
      ...issued.refreshTokens.map((value, i) => ({ name: `refresh token ${i + 1}`, value })),
      ...issued.jwts.map((value, i) => ({ name: `access/id token ${i + 1}`, value })),
      ...issued.codes.map((value, i) => ({ name: `authorization code ${i + 1}`, value })),
    ];
    // The scan itself works: a planted secret, and a planted JWT, are found.
    expect(findLeaks([['planted', `x${secrets[0].value}y ${issued.jwts[0]}`]], secrets.slice(0, 1))).toHaveLength(2);
    expect(files.length).toBeGreaterThan(10);
    expect(issued.clientSecrets.length).toBeGreaterThanOrEqual(2);
    expect(issued.refreshTokens.length).toBeGreaterThanOrEqual(4); // connect, the approver, the partner link, its refresh
    expect(issued.jwts.length).toBeGreaterThanOrEqual(10);

    expect(findLeaks(haystacks, secrets)).toEqual([]);
    checked = secrets.length;
    console.log(
      `secrets: ${checked} checked (${issued.clientSecrets.length} client secrets, ${issued.refreshTokens.length} refresh tokens, ${issued.jwts.length} access/id tokens, ${issued.codes.length} codes) ` +
        `in ${files.length} files, ${w.bot.logs.length} log lines, ${w.connector.activities.length} activities, ${run.shown.length} invoke answers and pages`,
    );
  });
});
