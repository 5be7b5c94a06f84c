import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { botEnvOverrides } from '../../src/launcher/embedded.js';
import { adaptiveCardOf, PlaygroundClient, type BotStream, type PlaygroundConfigView, type StreamedAction } from '../../src/launcher/playground-api.js';
import { startTestPlayground, type TestPlayground } from '../support/playground.js';
import { playgroundWorldFrom } from '../../src/launcher/seeded-people.js';
import { authorizeUrlOf, freePort } from '../support/world.js';
import { drivePages } from '../../emulator/login/testkit.js';

/**
 * The acceptance demo, automated: in the real Agents Playground (mock users = the emulator's home tenant), the
 * signed-in admin types `connect`, signs in on the emulator's pages, Reader lands on the subscriptions she owns
 * (the emulator's record of writes), the result card appears in the chat, and `status` shows the tenant.
 */
let dir: string;
let emu: Emulator;
let bot: RunningBot;
let pg: TestPlayground;
let client: PlaygroundClient;
let stream: BotStream;
let view: PlaygroundConfigView['config'];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ts-consent-playground-'));
  emu = await startEmulator({ seed: 'tenant-steward' });
  const port = await freePort();
  const logger = createLogger({ level: 'warn', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  bot = await startBot(
    loadConfig(botEnvOverrides(emu, { host: '127.0.0.1', port, dataDir: path.join(dir, 'data') })),
    { logger },
  );
  pg = await startTestPlayground(bot.url, playgroundWorldFrom(emu.world), dir);
  ({ client, view, stream } = pg);
});

afterAll(async () => {
  await pg?.stop();
  await bot?.close();
  await emu?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const cardIn = (conversationId: string, text: string) => (a: StreamedAction) =>
  a.action === 'createMessage' && a.actionConversationId === conversationId && JSON.stringify(adaptiveCardOf(a) ?? '').includes(text);

test('connect in the Playground: sign in as the seeded admin, Reader assigned, result card in the chat, status shows the tenant', async () => {
  const chat = view.personalChat.id;
  const me = emu.world.user(emu.homeTenantId, view.currentUser.aadObjectId)!;
  const owned = emu.world.azureSubscriptions(emu.homeTenantId).filter((s) => s.ownerIds.includes(me.id));
  expect(owned.length).toBeGreaterThan(0);

  await client.sendMessage({ conversationId: chat, fromId: view.currentUser.id, text: 'connect' });
  const card = adaptiveCardOf(await stream.next(cardIn(chat, 'Connect a Microsoft tenant')))!;
  const outcome = await drivePages(authorizeUrlOf(card), { upn: me.userPrincipalName, consentForOrganization: true });
  if (!('redirect' in outcome)) throw new Error(outcome.errorPage);
  const page = await fetch(outcome.redirect);
  expect(page.status).toBe(200);

  const result = JSON.stringify(adaptiveCardOf(await stream.next(cardIn(chat, 'Connected: '))));
  for (const s of owned) expect(result).toContain(s.displayName);
  const sp = emu.world.demoApp.servicePrincipalIdIn(emu.homeTenantId);
  const writes = emu.control.writes('roleAssignment.create').filter((w) => (w.detail as { principalId: string }).principalId === sp);
  expect(writes.map((w) => (w.detail as { subscriptionId: string; roleName: string }).subscriptionId).sort()).toEqual(owned.map((s) => s.subscriptionId).sort());

  await client.sendMessage({ conversationId: chat, fromId: view.currentUser.id, text: 'status' });
  expect(JSON.stringify(adaptiveCardOf(await stream.next(cardIn(chat, 'Tenant Steward status'))))).toContain(emu.world.home.displayName);
});
