import { startConnector } from '../support/connector.js';
import { startTestBot } from '../support/bot.js';
import { personalMessage, teamInstall, teamUninstall, WORKSPACE } from '../support/activities.js';

type Bot = Awaited<ReturnType<typeof startTestBot>>;
type Connector = Awaited<ReturnType<typeof startConnector>>;

describe('full turns over HTTP', () => {
  let bot: Bot;
  let connector: Connector;

  beforeEach(async () => {
    connector = await startConnector();
    bot = await startTestBot();
  });
  afterEach(async () => {
    await bot.stop();
    await connector.close();
  });

  test('help: the bot POSTs a reply with the help Adaptive Card to the serviceUrl', async () => {
    const res = await bot.post(personalMessage(connector.url, 'help'));
    expect(res.status).toBe(200);
    const reply = await connector.waitFor((a) => a.method === 'POST' && a.body.type === 'message');
    expect(reply.path).toMatch(/^\/v3\/conversations\/a%3Apersonal-29%3Aadele\/activities/);
    const card = reply.body.attachments?.[0];
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content.version).toBe('1.5');
    expect(JSON.stringify(card.content)).toContain('Tenant Steward commands');
    expect(JSON.stringify(card.content)).not.toContain('${');
  });

  test('anything else gets a short hint to type help', async () => {
    await bot.post(personalMessage(connector.url, 'what can you do'));
    const reply = await connector.waitFor((a) => a.body.type === 'message');
    expect(reply.body.text).toMatch(/Type \*\*help\*\*/);
  });

  test('install into a team stores the reference, subscribes General to health+approvals, and welcomes', async () => {
    await bot.post(teamInstall(connector.url));
    const welcome = await connector.waitFor((a) => a.body.type === 'message');
    expect(JSON.stringify(welcome.body.attachments)).toContain('Welcome to Tenant Steward');
    const stored = await bot.deps.store.conversations.find(WORKSPACE);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ kind: 'channel', topics: ['health', 'approvals'] });
    expect(stored[0].reference.serviceUrl).toBe(connector.url);

    await bot.post(teamUninstall(connector.url));
    expect(await bot.deps.store.conversations.find(WORKSPACE)).toHaveLength(0);
  });

  test('proactive send reaches a stored conversation, and a 403 drops its reference', async () => {
    await bot.post(teamInstall(connector.url));
    const [conversation] = await bot.deps.store.conversations.find(WORKSPACE);
    expect(await bot.deps.proactive.sendToTopic(WORKSPACE, 'health', 'token expired')).toMatchObject({ sent: 1 });
    await connector.waitFor((a) => a.body.text === 'token expired');
    connector.refuse.add(conversation.id);
    expect(await bot.deps.proactive.send(WORKSPACE, conversation.id, 'again')).toBe('dropped');
    expect(await bot.deps.store.conversations.get(WORKSPACE, conversation.id)).toBeUndefined();
  });

  test('malformed, non-activity and oversized bodies get a 4xx JSON error and the bot stays up', async () => {
    const post = (body: string, type = 'application/json') => fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': type }, body });
    const bad = await post('{not json');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toHaveProperty('message');
    const notActivity = await post(JSON.stringify([1, 2]));
    expect(notActivity.status).toBe(400);
    expect(((await notActivity.json()) as { message: string }).message).toMatch(/activity/);
    const huge = await post(JSON.stringify({ type: 'message', text: 'x'.repeat(400 * 1024) }));
    expect(huge.status).toBe(413);
    const health = await fetch(`${bot.url}/healthz`);
    expect(health.status).toBe(200);
  });

  test('/readyz reports the store and the scheduler', async () => {
    const res = await fetch(`${bot.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: [{ name: 'store', ok: true }, { name: 'scheduler', ok: true }] });
  });
});
