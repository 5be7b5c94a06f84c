import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { childEnv, loadConfig } from '../../src/config.js';
import { botEnvOverrides, PLAYGROUND_CONFIG_FILE, startEmbeddedDefault, type EmbeddedDefault } from '../../src/launcher/embedded.js';
import { adaptiveCardOf, PlaygroundClient } from '../../src/launcher/playground-api.js';
import { Supervisor } from '../../src/launcher/supervisor.js';

/** The whole embedded default as `npm start` runs it (emulator in process, bot and Playground as children), on free ports. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

let dir: string;
let supervisor: Supervisor;
let started: EmbeddedDefault;
const printed: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ts-launcher-'));
  supervisor = new Supervisor((l) => printed.push(`[launcher] ${l}`));
  started = await startEmbeddedDefault({ workDir: dir, botPort: await freePort(), playgroundPort: 0, childEnv, print: (l) => printed.push(l), supervisor });
}, 60_000);

afterAll(async () => {
  await supervisor?.stop(5000);
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the bot child is ready, with readable logs, and the mock data names the emulator home tenant', async () => {
  const ready = (await (await fetch(`${started.botUrl}/readyz`)).json()) as { status: string };
  expect(ready.status).toBe('ready');
  expect(printed.some((l) => /^\[bot\] \d\d:\d\d:\d\d INFO  Tenant Steward is listening/.test(l))).toBe(true);
  const yml = await readFile(path.join(dir, PLAYGROUND_CONFIG_FILE), 'utf8');
  expect(yml).toContain(`tenantId: "${started.emulator.homeTenantId}"`);
  expect(started.emulator.adminUpns).toContain(started.signedInUpn);
  expect(started.emulator.adminUpns).toContain(started.approverUpn);
});

test('help typed in the Playground reaches the bot child and the help card comes back', async () => {
  const client = new PlaygroundClient(started.playgroundUrl);
  const view = (await client.config()).config;
  const stream = await client.stream();
  try {
    await client.sendMessage({ conversationId: view.personalChat.id, fromId: view.currentUser.id, text: 'help' });
    const reply = await stream.next((a) => a.actionConversationId === view.personalChat.id && adaptiveCardOf(a) !== undefined, 15_000);
    expect(JSON.stringify(adaptiveCardOf(reply))).toContain('Tenant Steward commands');
  } finally {
    await stream.close();
  }
});

test('the bot is configured for the emulator: every setting name is one config.ts knows', () => {
  const config = loadConfig(botEnvOverrides(started.emulator, { host: '127.0.0.1', port: 3978, dataDir: dir }));
  expect(config.microsoft).toMatchObject({
    authorityHost: started.emulator.urls.authority,
    arm: started.emulator.urls.arm,
    graph: started.emulator.urls.graph,
    partnerCenter: started.emulator.urls.partnerCenter,
    extraCaFile: started.emulator.caPath,
  });
  expect(config.entraApp).toEqual({ clientId: started.emulator.demoApp.clientId, clientSecret: started.emulator.demoApp.clientSecret, homeTenantId: started.emulator.homeTenantId });
  expect(config).toMatchObject({ host: '127.0.0.1', port: 3978, production: false, store: { kind: 'lowdb', dataDir: dir }, bot: { appId: '' } });
});

test('a child that dies is reported by name, and stop() ends the rest and closes the emulator', async () => {
  started.bot.process.kill('SIGKILL');
  await expect(supervisor.failed).resolves.toBe('the bot exited unexpectedly (killed by SIGKILL)');
  await supervisor.stop(5000);
  expect(started.playground.hasExited()).toBe(true);
  await expect(refused(new URL(started.emulator.urls.authority).port)).resolves.toBe('ECONNREFUSED');
});

function refused(port: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve('connected')));
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}
