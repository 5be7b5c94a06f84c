/**
 * The bot as its own process, as the embedded default starts it (src/main.ts through tsx, the emulator's settings
 * from botEnvOverrides), on a data dir the test owns, so that a test can SIGKILL it and start it again on the same
 * files. The emulator and the connector stay in the test process and outlive every kill.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Emulator } from '../../../emulator/index.js';
import { childEnv } from '../../../src/config.js';
import { botEnvOverrides } from '../../../src/launcher/embedded.js';
import { spawnChild, type ManagedChild } from '../../../src/launcher/child.js';
import { waitForReady } from '../../../src/launcher/ready.js';

const BOT_ENTRY = fileURLToPath(new URL('../../../src/main.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface BotProcessOptions {
  emulator: Emulator;
  dataDir: string;
  port: number;
  /** Agenda's poll interval and lock lifetime (JOBS_POLL_MS, JOBS_LOCK_LIFETIME_MS). */
  pollMs: number;
  lockLifetimeMs: number;
}

export interface BotProcess {
  child: ManagedChild;
  url: string;
  /** Output lines so far (JSON log lines, and anything printed on stderr). */
  lines: string[];
  /** Resolves once /readyz says ready; rejects if the process exits first. */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGKILL: no shutdown handler runs, no file is flushed. Resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM: the bot's graceful shutdown. */
  stop(): Promise<void>;
}

export function startBotProcess(o: BotProcessOptions): BotProcess {
  const lines: string[] = [];
  const host = '127.0.0.1';
  const env = childEnv({
    ...botEnvOverrides(o.emulator, { host, port: o.port, dataDir: o.dataDir }),
    JOBS_POLL_MS: String(o.pollMs),
    JOBS_LOCK_LIFETIME_MS: String(o.lockLifetimeMs),
    LOG_LEVEL: 'info',
    // jest's --experimental-vm-modules is for the test process, not the bot.
    NODE_OPTIONS: '',
  });
  const child = spawnChild({ name: 'bot', command: process.execPath, args: ['--no-deprecation', '--import', TSX, BOT_ENTRY], cwd: o.dataDir, env, onLine: (line) => lines.push(line) });
  const url = `http://${host}:${o.port}`;
  return {
    child,
    url,
    lines,
    ready: (timeoutMs = 30_000) => waitForReady(url, child, timeoutMs),
    async kill() {
      if (child.hasExited()) return;
      child.process.kill('SIGKILL');
      await child.exited;
    },
    async stop() {
      await child.stop(15_000);
    },
  };
}
