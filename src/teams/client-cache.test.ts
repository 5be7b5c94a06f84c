import type { BotFrameworkAuthentication, ClaimsIdentity, ConnectorClient, UserTokenClient } from 'botframework-connector';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { createAdapter } from '../app.js';
import { cachingTurnClients } from './client-cache.js';

/** Claims as botbuilder reads them: the bot's app id in `aud`. */
const claimsFor = (appId: string) => ({ getClaimValue: (type: string) => (type === 'aud' ? appId : null) }) as unknown as ClaimsIdentity;

/** An authentication that counts the clients it builds, each a distinct object; `failNext` makes the next build fail. */
function countingAuth() {
  const built: string[] = [];
  const state = { failNext: false };
  const auth = {
    authenticateRequest: async () => ({ claimsIdentity: claimsFor('bot-1'), audience: 'https://api.botframework.com', callerId: 'x', connectorFactory: factory('bot-1') }),
    createConnectorFactory: (claims: ClaimsIdentity) => factory(claims.getClaimValue('aud') ?? ''),
    createUserTokenClient: async (claims: ClaimsIdentity) => ({ built: `tokens ${claims.getClaimValue('aud')}` }) as unknown as UserTokenClient,
    getOriginatingAudience: () => 'https://api.botframework.com',
  };
  function factory(appId: string) {
    return {
      create: async (serviceUrl: string, audience?: string) => {
        if (state.failNext) {
          state.failNext = false;
          throw new Error('credentials refused');
        }
        built.push(`${appId} ${serviceUrl} ${audience}`);
        return { serviceUrl } as unknown as ConnectorClient;
      },
    };
  }
  return { auth: auth as unknown as BotFrameworkAuthentication, built, state };
}

describe('cachingTurnClients', () => {
  test('turns to the same serviceUrl share one ConnectorClient; another serviceUrl, audience or app id gets its own', async () => {
    const { auth, built } = countingAuth();
    const cached = cachingTurnClients(auth);
    const first = await (await cached.authenticateRequest({} as never, '')).connectorFactory!.create('https://smba.one/', 'aud-a');
    const second = await (await cached.authenticateRequest({} as never, '')).connectorFactory!.create('https://smba.one/', 'aud-a');
    expect(second).toBe(first);
    // Proactive sends build their factory through createConnectorFactory: the same cache.
    expect(await cached.createConnectorFactory(claimsFor('bot-1')).create('https://smba.one/', 'aud-a')).toBe(first);
    expect(await cached.createConnectorFactory(claimsFor('bot-1')).create('https://smba.two/', 'aud-a')).not.toBe(first);
    expect(await cached.createConnectorFactory(claimsFor('bot-1')).create('https://smba.one/', 'aud-b')).not.toBe(first);
    expect(await cached.createConnectorFactory(claimsFor('bot-2')).create('https://smba.one/', 'aud-a')).not.toBe(first);
    expect(built).toEqual(['bot-1 https://smba.one/ aud-a', 'bot-1 https://smba.two/ aud-a', 'bot-1 https://smba.one/ aud-b', 'bot-2 https://smba.one/ aud-a']);
    expect(cached.getOriginatingAudience()).toBe('https://api.botframework.com');
  });

  test('user token clients are kept per app id', async () => {
    const { auth } = countingAuth();
    const cached = cachingTurnClients(auth);
    const one = await cached.createUserTokenClient(claimsFor('bot-1'));
    expect(await cached.createUserTokenClient(claimsFor('bot-1'))).toBe(one);
    expect(await cached.createUserTokenClient(claimsFor('bot-2'))).not.toBe(one);
  });

  test('a failed creation is not kept, and the cache holds at most `max` clients (oldest dropped first)', async () => {
    const { auth, built, state } = countingAuth();
    const cached = cachingTurnClients(auth, 2);
    const factory = cached.createConnectorFactory(claimsFor('bot-1'));
    state.failNext = true;
    await expect(factory.create('https://a/')).rejects.toThrow('credentials refused');
    const a = await factory.create('https://a/');
    const b = await factory.create('https://b/');
    expect(await factory.create('https://a/')).toBe(a);
    await factory.create('https://c/'); // evicts a
    expect(await factory.create('https://b/')).toBe(b);
    expect(await factory.create('https://a/')).not.toBe(a);
    expect(built).toEqual(['bot-1 https://a/ undefined', 'bot-1 https://b/ undefined', 'bot-1 https://c/ undefined', 'bot-1 https://a/ undefined']);
  });
});

describe('the adapter createAdapter builds', () => {
  test('gives every turn to one serviceUrl the same ConnectorClient (botbuilder alone builds one per turn)', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ts-client-cache-'));
    try {
      const adapter = createAdapter(loadConfig({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir }));
      const auth = adapter.authentication;
      // What CloudAdapter does for an inbound turn (anonymous on loopback: no Authorization header).
      const turn = async () => (await auth.authenticateRequest({ type: 'message', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/' } as never, '')).connectorFactory!.create('http://127.0.0.1:9/', 'https://api.botframework.com');
      const first = await turn();
      expect(await turn()).toBe(first);
      expect(await auth.createConnectorFactory(claimsFor('')).create('http://127.0.0.1:9/', 'https://api.botframework.com')).toBe(first);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
