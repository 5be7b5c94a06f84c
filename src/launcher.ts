import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv, ConfigError, loadConfig } from './config.js';
import { startEmbeddedDefault } from './launcher/embedded.js';
import { Supervisor } from './launcher/supervisor.js';

/**
 * `npm start`: the embedded default. Starts the Microsoft emulator (in this process), the bot and the Microsoft 365
 * Agents Playground, prints the one URL to open, and stops everything on Ctrl-C or SIGTERM. If a part dies, it says
 * which, stops the rest and exits non-zero.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BOT_PORT = 3978;
const PLAYGROUND_PORT = 56150;
const APPROVER_PLAYGROUND_PORT = 56151;

const print = (line: string) => process.stdout.write(`${line}\n`);
const say = (line: string) => print(`[launcher] ${line}`);

async function main(): Promise<void> {
  // The embedded default overrides endpoints, storage and bot identity, but a bad value in .env is still a
  // mistake worth stopping for: say which setting, in one line, before starting anything.
  try {
    loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  const supervisor = new Supervisor(say);
  let exitCode: number | undefined;
  const finish = (code: number, message?: string) => {
    if (exitCode !== undefined) return;
    exitCode = code;
    if (message) say(message);
    supervisor.stop().then(
      () => process.exit(code),
      () => process.exit(code || 1),
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => finish(0, `${signal}: stopping the Playground, the bot and the emulator…`));
  void supervisor.failed.then((reason) => finish(1, `${reason}; stopping the rest.`));

  try {
    const started = await startEmbeddedDefault({ workDir: ROOT, botPort: BOT_PORT, playgroundPort: PLAYGROUND_PORT, approverPlaygroundPort: APPROVER_PLAYGROUND_PORT, childEnv, print, supervisor });
    if (exitCode !== undefined) return;
    say(`Teams user: ${started.signedInUpn} (admin); approver: ${started.approverUpn}. Bot: ${started.botUrl}. Ctrl-C stops everything.`);
    say(`The approver's Teams (${started.approverUpn}): ${started.approverPlaygroundUrl}`);
    const app = started.emulator.demoApp;
    say(`For \`connect saas\`, the emulator's app registration: client ID ${app.clientId}, secret ${app.clientSecret}, tenant ID ${started.emulator.homeTenantId}`);
    say(`The emulator's control API (scripted events, record of writes; emulator/README.md): ${started.emulator.urls.authority}/_emulator/`);
    print(`Open ${started.playgroundUrl} — Tenant Steward is running on the embedded default (emulator + lowdb)`);
  } catch (err) {
    finish(1, `Could not start: ${(err as Error).message}`);
  }
}

void main();
