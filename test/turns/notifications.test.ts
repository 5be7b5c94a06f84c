import { startConnector } from '../support/connector.js';
import { startTestBot } from '../support/bot.js';
import { ADELE, personalMessage, teamInstall, WORKSPACE } from '../support/activities.js';
import { channelMessage, MEGAN } from '../support/people.js';
import { ensureWorkspace } from '../../src/teams/guards.js';
import { converse, type Bot, type Connector } from './helpers.js';

const GENERAL = '19:general-channel@thread.tacv2';

describe('notification topics: notify, notify here [topics], notify off', () => {
  let bot: Bot;
  let connector: Connector;
  const say = (activity: object) => converse(bot, connector, activity);
  const topics = async (id = GENERAL) => (await bot.deps.store.conversations.get(WORKSPACE, id))?.topics;

  beforeEach(async () => {
    connector = await startConnector();
    bot = await startTestBot();
    await ensureWorkspace(bot.deps, WORKSPACE, { aadObjectId: ADELE.aadObjectId, name: ADELE.name });
  });
  afterEach(async () => {
    await bot.stop();
    await connector.close();
  });

  test('install subscribes General to health and approvals, and notify shows it to anyone', async () => {
    await say(teamInstall(connector.url));
    const { text } = await say(channelMessage(connector.url, 'notify', { from: MEGAN }));
    expect(text).toContain('This conversation gets: **health, approvals**');
  });

  test('an admin sets topics here (replacing them), an unknown topic changes nothing, notify off clears them; all audited', async () => {
    await say(teamInstall(connector.url));
    expect((await say(channelMessage(connector.url, 'notify here tags, health'))).text).toContain('**health, tags**');
    expect(await topics()).toEqual(['health', 'tags']);

    const unknown = await say(channelMessage(connector.url, 'notify here health billing'));
    expect(unknown.text).toContain('Unknown topic: billing. The topics are: health, m365, saas, tags, approvals. Nothing was changed.');
    expect(await topics()).toEqual(['health', 'tags']);

    expect((await say(channelMessage(connector.url, 'notify off'))).text).toContain('no more notifications here');
    expect(await topics()).toEqual([]);
    expect(await bot.deps.proactive.sendToTopic(WORKSPACE, 'health', 'x')).toMatchObject({ sent: 0 });

    const changes = (await bot.deps.store.audit.list(WORKSPACE)).filter((e) => e.action.startsWith('notify.'));
    expect(changes.map((e) => [e.action, e.outcome, e.target, e.detail?.after])).toEqual([
      ['notify.here', 'success', GENERAL, ['health', 'tags']],
      ['notify.off', 'success', GENERAL, []],
    ]);
  });

  test('notify here without topics subscribes to all five, in a conversation the bot had not stored yet', async () => {
    await say(personalMessage(connector.url, 'notify here'));
    expect(await topics(`a:personal-${ADELE.id}`)).toEqual(['health', 'm365', 'saas', 'tags', 'approvals']);
    expect(await bot.deps.proactive.sendToTopic(WORKSPACE, 'm365', 'import done')).toMatchObject({ sent: 1 });
  });

  test('a viewer cannot change topics: refused, audited, unchanged', async () => {
    await say(teamInstall(connector.url));
    const { text } = await say(channelMessage(connector.url, 'notify off', { from: MEGAN }));
    expect(text).toContain('Only workspace admins can choose where notifications go');
    expect(text).toContain('Ask Adele Vance to add you with `admins add @you`');
    expect(await topics()).toEqual(['health', 'approvals']);
    expect(await bot.deps.store.audit.list(WORKSPACE, { where: { outcome: 'refused' } })).toEqual([
      expect.objectContaining({ action: 'notify.off', actor: MEGAN.aadObjectId, target: GENERAL }),
    ]);
  });
});
