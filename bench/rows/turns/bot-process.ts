import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Emulator } from '../../../emulator/index.js';
import { childEnv } from '../../../src/config.js';
import { spawnChild, type ManagedChild } from '../../../src/launcher/child.js';
import { BOT_NODE_ARGS, botEnvOverrides } from '../../../src/launcher/embedded.js';
import { waitForReady } from '../../../src/launcher/ready.js';
import { freePort } from '../../../test/support/world.js';

const BOT_ENTRY = fileURLToPath(new URL('../../../src/main.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface BotProcess {
  url: string;
  pid: number;
  /** CPU time (user + system) the bot process has used so far, in ms, from /proc/<pid>/stat. */
  cpuMs(): number;
  /** The last lines the bot printed (for errors). */
  recentOutput(): string[];
  stop(): Promise<void>;
}

/**
 * The bot as `npm start` runs it: src/main.ts in its own process (so its event loop is not shared with the load
 * generator), lowdb in a fresh temp dir, the embedded default's settings pointing at the emulator.
 * `nodeArgs` e.g. ['--cpu-prof', '--cpu-prof-dir', dir] when profiling.
 */
export async function startBotProcess(emulator: Emulator, opts: { nodeArgs?: string[]; env?: Record<string, string>; onLine?: (line: string) => void } = {}): Promise<BotProcess> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ts-bench-turns-'));
  const host = '127.0.0.1';
  const port = await freePort();
  const recent: string[] = [];
  const child: ManagedChild = spawnChild({
    name: 'bot',
    command: process.execPath,
    args: ['--no-deprecation', ...BOT_NODE_ARGS, ...(opts.nodeArgs ?? []), '--import', TSX, BOT_ENTRY],
    cwd: dataDir,
    env: childEnv({ ...botEnvOverrides(emulator, { host, port, dataDir }), ...opts.env }),
    onLine: (line) => {
      opts.onLine?.(line);
      recent.push(line);
      if (recent.length > 40) recent.shift();
    },
  });
  const url = `http://${host}:${port}`;
  try {
    await waitForReady(url, child, 60_000);
  } catch (err) {
    await child.stop(2000);
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`${(err as Error).message}\n${recent.join('\n')}`);
  }
  return {
    url,
    pid: child.process.pid!,
    cpuMs: () => processCpuMs(child.process.pid!),
    recentOutput: () => [...recent],
    async stop() {
      await child.stop(10_000);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 10 ms on Linux). */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
