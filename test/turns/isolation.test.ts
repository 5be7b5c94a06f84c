import { startConnector } from '../support/connector.js';
import { startTestBot } from '../support/bot.js';
import { actionExecute, ADELE, personalMessage, teamInstall, WORKSPACE } from '../support/activities.js';
import { channelMessage, MALLORY, MEGAN, OTHER_WORKSPACE, ROSTER } from '../support/people.js';
import { ensureWorkspace } from '../../src/teams/guards.js';
import { converse, type Bot, type Connector } from './helpers.js';
import { contosoTenant, CONTOSO_TENANT } from './fixtures.js';

const GENERAL = '19:general-channel@thread.tacv2';

/** Mallory's Teams tenant is another workspace: she must see nothing of Adele's and change nothing of it. */
describe('workspace isolation and tampered card data', () => {
  let bot: Bot;
  let connector: Connector;
  const say = (activity: object) => converse(bot, connector, activity);
  const fromMallory = { from: MALLORY, tenantId: OTHER_WORKSPACE };
  const snapshot = async () => ({
    workspace: await bot.deps.store.workspaces.get(WORKSPACE, WORKSPACE),
    tenants: await bot.deps.store.tenants.find(WORKSPACE),
    conversations: await bot.deps.store.conversations.find(WORKSPACE),
    audit: await bot.deps.store.audit.list(WORKSPACE),
  });

  beforeEach(async () => {
    connector = await startConnector();
    connector.roster.push(...ROSTER);
    bot = await startTestBot();
    await ensureWorkspace(bot.deps, WORKSPACE, { aadObjectId: ADELE.aadObjectId, name: ADELE.name });
    await bot.deps.store.tenants.upsert(contosoTenant());
    await say(teamInstall(connector.url));
  });
  afterEach(async () => {
    await bot.stop();
    await connector.close();
  });

  test('status, admins and notify from another Teams tenant show nothing of this workspace and change nothing', async () => {
    const before = await snapshot();
    const status = await say(personalMessage(connector.url, 'status', fromMallory));
    expect(status.text).toContain("isn't connected to a Microsoft tenant yet");
    expect(status.text).not.toContain('Contoso');

    const admins = await say(personalMessage(connector.url, 'admins', fromMallory));
    expect(admins.text).toContain('not connected yet');
    expect(admins.text).not.toContain('Adele');

    // Even naming this workspace's people and conversation ids gets her nowhere.
    const add = await say(personalMessage(connector.url, `admins add ${MALLORY.aadObjectId}`, fromMallory));
    expect(add.text).toContain('not connected yet');
    await say(channelMessage(connector.url, 'notify off', { ...fromMallory, channelId: GENERAL }));
    const notify = await say(channelMessage(connector.url, 'notify', { ...fromMallory, channelId: GENERAL }));
    expect(notify.text).toContain('This conversation gets no notifications.');

    expect(await snapshot()).toEqual(before);
    const hers = await bot.deps.store.audit.list(OTHER_WORKSPACE, { where: { outcome: 'refused' } });
    expect(hers.map((e) => [e.action, e.actor])).toEqual([
      ['admins.list', MALLORY.aadObjectId],
      ['admins.add', MALLORY.aadObjectId],
      ['notify.off', MALLORY.aadObjectId],
    ]);
  });

  test('a card action carrying this workspace\'s tenant id, sent from another Teams tenant, is refused as tampering and audited there', async () => {
    const before = await snapshot();
    const res = await bot.post(actionExecute(connector.url, 'status.tenant', { tenantId: CONTOSO_TENANT }, fromMallory));
    const body = JSON.stringify(await res.json());
    expect(body).not.toContain('Contoso');
    const refusal = await connector.waitFor((a) => a.body.type === 'message' && /card data was altered/.test(a.body.text ?? ''));
    expect(refusal.body.text).toContain('Nothing was changed');
    expect(await bot.deps.store.audit.list(OTHER_WORKSPACE)).toEqual([
      expect.objectContaining({ outcome: 'refused', action: 'status.tenant', actor: MALLORY.aadObjectId, target: CONTOSO_TENANT, detail: expect.objectContaining({ collection: 'tenants', possibleTampering: true }) }),
    ]);
    expect(await snapshot()).toEqual(before);
  });

  test('inside the workspace, a forged or non-string id in card data is refused and audited too', async () => {
    for (const tenantId of ['not-a-tenant-of-ours', { $ne: null }]) {
      await bot.post(actionExecute(connector.url, 'status.tenant', { tenantId }, { from: MEGAN }));
    }
    const refused = await bot.deps.store.audit.list(WORKSPACE, { where: { outcome: 'refused' } });
    expect(refused.map((e) => [e.action, e.actor, e.target])).toEqual([
      ['status.tenant', MEGAN.aadObjectId, 'not-a-tenant-of-ours'],
      ['status.tenant', MEGAN.aadObjectId, '(invalid id)'],
    ]);
  });
});
