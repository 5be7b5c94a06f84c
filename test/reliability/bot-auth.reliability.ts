import { startTestBot } from '../support/bot.js';
import { recordFigures } from './figures.js';
import { startChannelIssuer, type ChannelIssuer } from './support/channel-issuer.js';
import { channelClaims, FORGERS, forgedRequest, type ForgeContext } from './support/forged-requests.js';

/**
 * Issue 10 point 3: the real bot in production mode (an app id and secret, so botbuilder validates every inbound
 * JWT) with its OpenID metadata pointed at a local issuer whose RSA key is generated here. A correctly signed
 * channel token reaches the handlers; 1,000 requests that are forged or misdirected in every way we know of are
 * each answered 401 with their reason, logged, and never reach a handler.
 *
 * Handler reach is observed two ways, both of which a regression would trip: half the requests are
 * `installationUpdate` (add), whose handler stores the conversation (one new conversation id each), and half are
 * Action.Execute `status` invokes, whose handler's answer would come back in the HTTP body.
 */
const APP_ID = '5d6e7f80-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
const WORKSPACE = 'c0ffee00-86f1-41af-91ab-2d7cd0110001';
const SERVICE_URL = 'https://smba.trafficmanager.net/amer/';
const USER = { id: '29:adele', name: 'Adele Vance', aadObjectId: 'a1a1a1a1-0000-4000-8000-000000000001' };
const FORGED = 1000;
const NOT_CONNECTED = /isn't connected to a Microsoft tenant yet/;

type Bot = Awaited<ReturnType<typeof startTestBot>>;

function install(conversationId: string, channelId = 'msteams') {
  return {
    type: 'installationUpdate', action: 'add', id: `inst-${conversationId}`, channelId, serviceUrl: SERVICE_URL, from: USER, recipient: { id: `28:${APP_ID}` },
    conversation: { id: conversationId, conversationType: 'personal', tenantId: WORKSPACE }, channelData: { tenant: { id: WORKSPACE } },
  };
}

function statusClick(conversationId: string, channelId = 'msteams') {
  return {
    type: 'invoke', name: 'adaptiveCard/action', id: `inv-${conversationId}`, channelId, serviceUrl: SERVICE_URL, from: USER, recipient: { id: `28:${APP_ID}` },
    conversation: { id: conversationId, conversationType: 'personal', tenantId: WORKSPACE }, channelData: { tenant: { id: WORKSPACE } },
    value: { action: { type: 'Action.Execute', verb: 'status', data: {} }, trigger: 'manual' },
  };
}

describe('Bot Framework auth in production mode', () => {
  let issuer: ChannelIssuer;
  let bot: Bot;
  let ctx: ForgeContext;
  let refused = 0;
  // botbuilder prints each rejected token's error to the console (its own logging, not ours): kept to check, not shown.
  const consoleLines: string[] = [];
  let restoreConsole: () => void;

  beforeAll(async () => {
    const original = console.error;
    console.error = (...args: unknown[]) => void consoleLines.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' '));
    restoreConsole = () => void (console.error = original);
    issuer = await startChannelIssuer({ endorsements: ['msteams'] });
    bot = await startTestBot({ BOT_ID: APP_ID, BOT_PASSWORD: 'bot-secret-not-used-outbound', SEALING_KEY: Buffer.alloc(32, 9).toString('base64') }, { openIdMetadataUrl: issuer.metadataUrl });
    ctx = { issuer, appId: APP_ID, serviceUrl: SERVICE_URL };
  });
  afterAll(async () => {
    restoreConsole?.();
    await bot?.stop();
    await issuer?.close();
    recordFigures('bot-auth', { 'forged requests refused': refused });
  });

  const post = (activity: object, authorization?: string) =>
    fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: JSON.stringify(activity) });
  const conversations = async () => (await bot.deps.store.conversations.find(WORKSPACE)).map((c) => c.id).sort();
  const genuine = async () => `Bearer ${await issuer.sign(channelClaims(ctx))}`;

  test('production mode is on, and a correctly signed channel token gets 200 and reaches the handlers', async () => {
    expect(bot.deps.config).toMatchObject({ production: true, bot: { appId: APP_ID } });
    const click = await post(statusClick('a:genuine-1'), await genuine());
    expect(click.status).toBe(200);
    expect((await click.json()) as { value: string }).toMatchObject({ statusCode: 200, value: expect.stringMatching(NOT_CONNECTED) });
    const installed = await post(install('a:genuine-1'), await genuine());
    expect(installed.status).toBe(200);
    expect(await conversations()).toEqual(['a:genuine-1']);
    // The keys really came from the local metadata document (botbuilder caches them for 24 h after this).
    expect(issuer.fetches).toEqual({ metadata: 1, keys: 1 });
  });

  test(`${FORGED} forged or misdirected requests: each gets 401 with its reason, is logged, and none reaches a handler`, async () => {
    const logStart = bot.logs.length;
    const sentTokens: string[] = [];
    const wrong: string[] = [];
    const byVariant: Record<string, number> = {};
    for (let batch = 0; batch < FORGED; batch += 25) {
      await Promise.all(
        Array.from({ length: Math.min(25, FORGED - batch) }, async (_, k) => {
          const i = batch + k;
          const forged = await forgedRequest(ctx, i);
          if (forged.authorization) sentTokens.push(forged.authorization.split(' ')[1]);
          const activity = i % 2 === 0 ? install(`a:forged-${i}`, forged.channelId) : statusClick(`a:forged-${i}`, forged.channelId);
          const res = await post(activity, forged.authorization);
          const text = await res.text();
          const expected = JSON.stringify({ error: 'Unauthorized', message: `Bot Framework authentication failed: ${forged.reason}.` });
          if (res.status !== 401 || text !== expected || res.headers.get('www-authenticate') !== 'Bearer') wrong.push(`${forged.variant}: ${res.status} ${text.slice(0, 300)}`);
          else byVariant[forged.variant] = (byVariant[forged.variant] ?? 0) + 1;
        }),
      );
    }
    expect(wrong).toEqual([]);
    refused = Object.values(byVariant).reduce((a, b) => a + b, 0);
    expect(refused).toBe(FORGED);
    expect(Object.keys(byVariant).sort()).toEqual(Object.keys(FORGERS).sort());

    // No handler ran: not one of the 500 installs stored its conversation (the genuine one is still the only one).
    expect(await conversations()).toEqual(['a:genuine-1']);

    // One log line per refusal, with the reason; and no token ever lands in our logs or botbuilder's console output.
    const lines = bot.logs.slice(logStart).map((l) => JSON.parse(l) as { msg: string; reason?: string; status?: number });
    const refusals = lines.filter((l) => l.msg === 'Bot Framework request refused');
    expect(refusals).toHaveLength(FORGED);
    expect(refusals.every((l) => l.status === 401)).toBe(true);
    const signed = sentTokens.filter((t) => t.split('.')[2]);
    const leaked = signed.filter((t) => bot.logs.some((l) => l.includes(t)) || consoleLines.some((l) => l.includes(t)));
    expect(leaked).toEqual([]);
    console.log(`bot auth: ${refused} forged requests refused (${Object.keys(byVariant).length} variants: ${Object.entries(byVariant).map(([v, n]) => `${v} ${n}`).join('; ')})`);
  });

  test('after the flood, genuine requests still get through (the keys were not dropped)', async () => {
    expect((await post(install('a:genuine-2'), await genuine())).status).toBe(200);
    expect(await conversations()).toEqual(['a:genuine-1', 'a:genuine-2']);
    const click = await post(statusClick('a:genuine-2'), await genuine());
    expect(click.status).toBe(200);
    expect(await click.text()).toMatch(NOT_CONNECTED);
  });
});
