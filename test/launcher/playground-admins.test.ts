import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createWorld } from '../../emulator/world/index.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { type BotStream, type PlaygroundConfigView, type StreamedAction } from '../../src/launcher/playground-api.js';
import { startTestPlayground, type TestPlayground } from '../support/playground.js';
import { playgroundWorldFrom } from '../../src/launcher/seeded-people.js';
import { ensureWorkspace } from '../../src/teams/guards.js';

/**
 * `admins add` against the real Agents Playground: its connector answers member lookups by Teams id only, so an
 * @mention resolves through TeamsInfo.getMember and a typed UPN through the team roster.
 */
const world = createWorld({ seed: 'tenant-steward' });
const people = playgroundWorldFrom(world);
let dir: string;
let bot: RunningBot;
let pg: TestPlayground;
let stream: BotStream;
let view: PlaygroundConfigView['config'];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ts-playground-admins-'));
  const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  bot = await startBot(loadConfig({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: path.join(dir, 'data') }), { logger });
  pg = await startTestPlayground(bot.url, people, dir);
  ({ view, stream } = pg);
  await ensureWorkspace(bot.deps, view.tenantId, { aadObjectId: view.currentUser.aadObjectId, name: view.currentUser.name });
});

afterAll(async () => {
  await pg?.stop();
  await bot?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Posts in the General channel as the owner, mentioning the bot and `others`, and resolves the bot's text reply. */
async function sayInGeneral(text: string, others: { id: string; name: string }[] = []): Promise<string> {
  const at = (p: { name: string }) => `<at>${p.name}</at>`;
  const body = {
    from: { id: view.currentUser.id },
    text: `${at(view.bot)} ${text} ${others.map(at).join(' ')}`.trim(),
    textFormat: 'plain',
    mentions: [view.bot, ...others].map((p) => ({ mentioned: { id: p.id, name: p.name }, text: at(p) })),
  };
  const general = view.teams[0].id;
  const res = await fetch(`${pg.playground.url}/_conversation/v1/conversations/${encodeURIComponent(general)}/messages`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  expect(res.status).toBeLessThan(300);
  const { postConversationId } = (await res.json()) as { postConversationId: string };
  const reply = await stream.next((a: StreamedAction) => a.action === 'createMessage' && a.actionConversationId === postConversationId && Boolean(a.message?.text));
  return reply.message!.text!;
}

const admins = async () => (await bot.deps.store.workspaces.get(view.tenantId, view.tenantId))!.admins;

test('admins add @mention in a team channel stores the mentioned user\'s object id', async () => {
  const megan = view.users[0];
  expect(await sayInGeneral('admins add', [megan])).toContain(`${megan.name} is now an admin`);
  expect(await admins()).toEqual(expect.arrayContaining([expect.objectContaining({ aadObjectId: megan.aadObjectId, role: 'admin' })]));
});

test('admins add with a typed UPN finds the person in the team roster', async () => {
  const member = people.members[1];
  expect(await sayInGeneral(`admins add ${member.userPrincipalName}`)).toContain(`${member.displayName} is now an admin`);
  expect(await admins()).toEqual(expect.arrayContaining([expect.objectContaining({ aadObjectId: member.aadObjectId })]));
});
