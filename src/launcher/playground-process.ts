import { createRequire } from 'node:module';
import { describeExit, spawnChild, type ManagedChild } from './child.js';

/**
 * Runs the Microsoft 365 Agents Playground (@microsoft/m365agentsplayground 0.2.28) as a child process.
 * Facts from its bundle that this relies on: with stdout not a TTY it prints only `Listening on <port>` and sends
 * everything else to its log file (M365_AGENTS_PLAYGROUND_LOGFILE, default ./devTools/…); it reads its mock data
 * from M365_AGENTS_PLAYGROUND_CONFIG_PATH (default ./.m365agentsplayground.yml); a busy port silently falls back
 * to a random one, and `-p 0` means random; TEAMSAPPTESTER_BROWSER=none stops it opening a browser; it listens on
 * all interfaces (there is no host option).
 */
export interface PlaygroundProcessOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  botEndpoint: string;
  /** 0 for a random free port. */
  port: number;
  cwd: string;
  /** The full environment; build it with childEnv(playgroundEnvOverrides(...)) from config.ts. */
  env: NodeJS.ProcessEnv;
  startTimeoutMs?: number;
  /** Lines the Playground prints (it is quiet: normally only `Listening on …`). */
  onLine?(line: string): void;
  /** Called at once with the spawned process, so that a supervisor can stop it even while it starts. */
  onSpawn?(child: ManagedChild): void;
}

export interface RunningPlayground {
  /** The web UI, e.g. http://localhost:56150. */
  url: string;
  port: number;
  child: ManagedChild;
  /** The last lines it printed, for a failure report. */
  recentOutput(): string[];
}

/** The environment the Playground needs: where its mock data and log file are, no browser, never a proxy to loopback. */
export function playgroundEnvOverrides(paths: { configPath: string; logFile: string }): Record<string, string> {
  return {
    TEAMSAPPTESTER_BROWSER: 'none',
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: paths.configPath,
    M365_AGENTS_PLAYGROUND_LOGFILE: paths.logFile,
    NO_PROXY: '127.0.0.1,localhost,::1',
    no_proxy: '127.0.0.1,localhost,::1',
  };
}

export function playgroundCliPath(): string {
  return createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
}

export async function startPlayground(opts: PlaygroundProcessOptions): Promise<RunningPlayground> {
  const recent: string[] = [];
  let announcePort: (port: number) => void = () => undefined;
  const listening = new Promise<number>((resolve) => (announcePort = resolve));
  const child = spawnChild({
    name: 'playground',
    command: process.execPath,
    args: [playgroundCliPath(), 'start', '-e', opts.botEndpoint, '-c', 'msteams', '-p', String(opts.port), '--dt'],
    cwd: opts.cwd,
    env: opts.env,
    onLine: (line) => {
      recent.push(line);
      if (recent.length > 40) recent.shift();
      const m = /^Listening on (\d+)\s*$/.exec(line);
      if (m) announcePort(Number(m[1]));
      opts.onLine?.(line);
    },
  });
  opts.onSpawn?.(child);
  const timeoutMs = opts.startTimeoutMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    listening.then((port) => ({ port })),
    child.exited.then((exit) => ({ exit })),
    new Promise<{ timeout: true }>((resolve) => (timer = setTimeout(() => resolve({ timeout: true }), timeoutMs))),
  ]);
  clearTimeout(timer);
  if ('exit' in outcome) throw new Error(`The Agents Playground exited during start-up (${describeExit(outcome.exit)}): ${recent.slice(-5).join(' | ')}`);
  if ('timeout' in outcome) {
    await child.stop(2000);
    throw new Error(`The Agents Playground did not start within ${timeoutMs / 1000} s: ${recent.slice(-5).join(' | ')}`);
  }
  const url = `http://localhost:${outcome.port}`;
  await waitForPing(url, child);
  return { url, port: outcome.port, child, recentOutput: () => [...recent] };
}

/** Its routes are mounted right after `Listening on` is printed; /_debug/ping proves they are. */
async function waitForPing(url: string, child: ManagedChild): Promise<void> {
  for (let i = 0; i < 50 && !child.hasExited(); i++) {
    const ok = await fetch(`${url}/_debug/ping`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`The Agents Playground at ${url} does not answer /_debug/ping`);
}
