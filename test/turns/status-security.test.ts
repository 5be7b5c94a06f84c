import { startConnector } from '../support/connector.js';
import { startTestBot } from '../support/bot.js';
import { ADELE, actionExecute, personalMessage, WORKSPACE } from '../support/activities.js';
import { MEGAN, OTHER_WORKSPACE } from '../support/people.js';
import { ensureWorkspace } from '../../src/teams/guards.js';
import { scopedId, type Subscription } from '../../src/store/types.js';
import { contosoTenant, CONTOSO_TENANT } from './fixtures.js';
import { utc } from '../../src/features/status/view.js';
import { converse, type Bot, type Connector } from './helpers.js';

function subscription(n: number, role: Subscription['role'], syncMode: Subscription['syncMode']): Subscription {
  const subscriptionId = `5ub5c000-0000-4000-8000-00000000000${n}`;
  return { id: scopedId(CONTOSO_TENANT, subscriptionId), workspaceId: WORKSPACE, tenantId: CONTOSO_TENANT, subscriptionId, displayName: `Sub ${n}`, state: 'Enabled', role, syncMode, roleAssignmentIds: [] };
}

describe('status and security', () => {
  let bot: Bot;
  let connector: Connector;
  const say = (activity: object) => converse(bot, connector, activity);

  beforeEach(async () => {
    connector = await startConnector();
    bot = await startTestBot();
  });
  afterEach(async () => {
    await bot.stop();
    await connector.close();
  });

  test('status with no connected tenant says how to connect', async () => {
    const { text } = await say(personalMessage(connector.url, 'status'));
    expect(text).toContain("isn't connected to a Microsoft tenant yet");
    expect(text).toContain('`connect`');
  });

  test('status shows each credential, the subscriptions by role and mode, and this workspace\'s job runs only (filtered by workspace)', async () => {
    await ensureWorkspace(bot.deps, WORKSPACE, { aadObjectId: ADELE.aadObjectId, name: ADELE.name });
    await bot.deps.store.tenants.upsert(contosoTenant());
    await bot.deps.store.subscriptions.bulkUpsert([subscription(1, 'Reader', 'readTags'), subscription(2, 'Reader', 'readTags'), subscription(3, 'Tag Contributor', 'readWriteTags')]);
    // Jobs are due later, so none runs during the test (a run leaves Agenda timers behind); the other workspace's
    // job of the same tenant is due sooner, so a summary that mixed workspaces would show its time.
    bot.deps.scheduler.define('test.sync', async () => {});
    const mine = new Date(Date.now() + 3 * 3600_000);
    await bot.deps.scheduler.schedule(mine, 'test.sync', { workspaceId: WORKSPACE, tenantId: CONTOSO_TENANT });
    await bot.deps.scheduler.schedule(new Date(Date.now() + 3600_000), 'test.sync', { workspaceId: OTHER_WORKSPACE, tenantId: CONTOSO_TENANT });

    const { replies } = await say(personalMessage(connector.url, 'status', { from: MEGAN }));
    const card = replies[0].body.attachments[0].content;
    const text = JSON.stringify(card);
    expect(card.version).toBe('1.5');
    expect(text).not.toContain('${');
    expect(text).toContain('Contoso Ltd (contoso.example)');
    expect(text).toContain('your role: viewer');
    expect(card.body[2].items[3].facts).toEqual([
      { title: 'Azure consent', value: expect.stringMatching(/^✅ OK/) },
      { title: 'Client secret', value: expect.stringContaining('Expiring · expires 2025-03-09 00:00 UTC') },
      { title: 'Delegated sign-in', value: expect.stringContaining('Revoked · AADSTS50173') },
    ]);
    expect(text).toContain('3 connected: 2 × Reader, Read Tags Only; 1 × Tag Contributor, Read and Write Tags.');
    expect(card.body[2].items[8].facts).toEqual(expect.arrayContaining([{ title: 'test.sync', value: `not run yet · next ${utc(mine)}` }]));
    expect(text).not.toContain('SEALED-BLOB');
    expect(card.body[2].items[9].actions[0]).toEqual({ type: 'Action.Execute', title: 'Refresh this tenant', verb: 'status.tenant', data: { tenantId: CONTOSO_TENANT } });
  });

  test('the status card buttons answer with a fresh card for the caller\'s own tenant', async () => {
    await ensureWorkspace(bot.deps, WORKSPACE, { aadObjectId: ADELE.aadObjectId, name: ADELE.name });
    await bot.deps.store.tenants.upsert(contosoTenant());
    const res = await bot.post(actionExecute(connector.url, 'status.tenant', { tenantId: CONTOSO_TENANT }));
    const body = (await res.json()) as { statusCode: number; type: string; value: unknown };
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(JSON.stringify(body.value)).toContain('Contoso Ltd');
  });

  test('security states the roles accurately: Reader read-only, Tag Contributor tags only, tags-only write-back, encryption, PAL', async () => {
    const { replies } = await say(personalMessage(connector.url, 'security', { from: MEGAN }));
    const card = replies[0].body.attachments[0].content;
    const text = JSON.stringify(card);
    expect(card.version).toBe('1.5');
    expect(text).not.toContain('${');
    expect(text).not.toMatch(/full access/i);
    expect(text).toContain('gets **Reader** on the Azure subscriptions that admin owns. Reader is read-only');
    expect(text).toContain('Tag Contributor manages tags only');
    expect(text).toContain('no access to the resources themselves');
    expect(text).toContain('Tags only, and only on subscriptions in **Read and Write Tags** mode');
    expect(text).toContain('second admin');
    expect(text).toMatch(/HTTPS \(TLS\)/);
    expect(text).toContain('AES-256-GCM');
    expect(text).toContain('It shares nothing new with Microsoft or with us');
    expect(text).not.toContain('Action.Submit');
  });

  test('security follows DEFAULT_AZURE_ROLE', async () => {
    await bot.stop();
    bot = await startTestBot({ DEFAULT_AZURE_ROLE: 'Tag Contributor' });
    const { text } = await say(personalMessage(connector.url, 'security'));
    expect(text).toContain('set up to grant **Tag Contributor** when an admin connects');
    expect(text).not.toContain('gets **Reader**');
    expect(text).not.toMatch(/full access/i);
  });
});
