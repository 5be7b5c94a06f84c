import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { startBot, type RunningBot } from '../../src/main.js';

/**
 * Agenda keeps a lockLifetime/2 timer alive after each run (10 min locks by default), which would hold jest open;
 * test bots poll often and use short locks unless a test asks otherwise.
 */
const TEST_SCHEDULER = { processEvery: 200, defaultLockLifetime: 2000 };

/** A real bot (lowdb in a temp dir, anonymous loopback auth) on a random port, with its log lines captured. */
export async function startTestBot(env: Record<string, string> = {}, opts: Omit<NonNullable<Parameters<typeof startBot>[1]>, 'logger'> = {}): Promise<RunningBot & { dataDir: string; logs: string[]; post(activity: object): Promise<Response>; stop(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ts-bot-'));
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'debug', ...env });
  const bot = await startBot(config, { ...opts, logger: createLogger({ level: 'debug', destination }), scheduler: opts.scheduler ?? TEST_SCHEDULER });
  return {
    ...bot,
    dataDir,
    logs,
    post: (activity) => fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) }),
    async stop() {
      await bot.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
