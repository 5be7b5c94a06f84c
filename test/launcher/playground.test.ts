import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createWorld } from '../../emulator/world/index.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { adaptiveCardOf, PlaygroundClient, type BotStream, type PlaygroundConfigView, type StreamedAction } from '../../src/launcher/playground-api.js';
import { startTestPlayground, type TestPlayground } from '../support/playground.js';
import { playgroundWorldFrom } from '../../src/launcher/seeded-people.js';

/**
 * The real Agents Playground (child process, random port) in front of a real bot (in process, lowdb in a temp dir),
 * driven through the Playground's internal endpoints, with the mock Teams users taken from the emulator's world.
 */
const world = createWorld({ seed: 'tenant-steward' });
const people = playgroundWorldFrom(world);
let dir: string;
let bot: RunningBot;
let pg: TestPlayground;
let client: PlaygroundClient;
let stream: BotStream;
let view: PlaygroundConfigView['config'];
const botLogs: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ts-playground-'));
  const logger = createLogger({ level: 'info', destination: new Writable({ write: (chunk, _e, cb) => (botLogs.push(String(chunk)), cb()) }) });
  bot = await startBot(loadConfig({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: path.join(dir, 'data') }), { logger });
  pg = await startTestPlayground(bot.url, people, dir);
  ({ client, view, stream } = pg);
});

afterAll(async () => {
  await pg?.stop();
  await bot?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const cardReplyIn = (conversationId: string) => (a: StreamedAction) =>
  a.action === 'createMessage' && a.actionConversationId === conversationId && a.message?.from.id === view.bot.id && adaptiveCardOf(a) !== undefined;
const cardText = (a: StreamedAction) => JSON.stringify(adaptiveCardOf(a));

test('the Playground took our mock data: its Teams users are the emulator home tenant users', () => {
  const home = world.home.id;
  expect(view.tenantId).toBe(home);
  expect(view.currentUser.aadObjectId).toBe(people.signedIn.aadObjectId);
  expect(world.admins(home).map((a) => a.id)).toContain(view.currentUser.aadObjectId);
  expect(view.users).toHaveLength(5);
  for (const u of [view.currentUser, ...view.users]) {
    const directoryUser = world.user(home, u.aadObjectId);
    expect(directoryUser?.displayName).toBe(u.name);
    expect(u.id).toBe(`29:${u.aadObjectId}`);
  }
  expect(world.admins(home).map((a) => a.id)).toContain(view.users[0].aadObjectId); // the approver
  expect(view.teams[0].channels.map((c) => c.name)).toEqual(['General', 'IT Ops']);
});

test('help in the personal chat comes back as the help card, and its Action.Execute answers', async () => {
  const sent = await client.sendMessage({ conversationId: view.personalChat.id, fromId: view.currentUser.id, text: 'help' });
  expect(sent.messageId).toBeTruthy();
  const reply = await stream.next(cardReplyIn(view.personalChat.id));
  expect(cardText(reply)).toContain('Tenant Steward commands');
  expect(cardText(reply)).toContain('help');

  const answer = await client.invokeAction({ conversationId: view.personalChat.id, fromId: view.currentUser.id, replyToId: reply.message!.messageId, verb: 'help' });
  expect(answer).toEqual({ type: 'application/vnd.microsoft.activity.message', value: 'The list of commands is below.' });
});

test('a second admin @mentions the bot in the IT Ops channel and gets the help card in that thread', async () => {
  const channel = view.teams[0].channels.find((c) => c.name === 'IT Ops')!;
  const sent = await client.sendMessage({ conversationId: channel.id, fromId: view.users[0].id, text: 'help', mentionBot: view.bot });
  expect(sent.postConversationId).toBe(`${channel.id};messageid=${sent.messageId}`);
  const reply = await stream.next(cardReplyIn(sent.postConversationId!));
  expect(cardText(reply)).toContain('Tenant Steward commands');
});

test('installing the bot into the team (botAdded) posts the welcome card and stores the reference under the home tenant', async () => {
  const activity = await client.activityTemplate(view.teams[0].id, 'botAdded');
  await client.sendCustomActivity(activity);
  await stream.next(cardReplyIn(view.teams[0].id));
  const stored = await bot.deps.store.conversations.get(world.home.id, view.teams[0].id);
  expect(stored?.kind).toBe('channel');
  expect(stored?.reference.serviceUrl).toBe(`${pg.playground.url}/_connector`);
});
