import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A supervised child process whose output arrives line by line. */
export interface ManagedChild {
  readonly name: string;
  readonly process: ChildProcess;
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<ChildExit>;
  /** True once the process has exited. */
  hasExited(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs` if it is still running. Resolves when it has exited. */
  stop(graceMs?: number): Promise<ChildExit>;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Each complete line of stdout or stderr, without the newline. */
  onLine(line: string, stream: 'stdout' | 'stderr'): void;
}

export function spawnChild(opts: SpawnOptions): ManagedChild {
  const child = spawn(opts.command, opts.args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let exit: ChildExit | undefined;
  const exited = new Promise<ChildExit>((resolve) => {
    // 'close' (not 'exit') so that every output line has been delivered first.
    child.once('close', (code, signal) => resolve((exit = { code, signal })));
    child.once('error', (err) => {
      opts.onLine(`could not start: ${err.message}`, 'stderr');
      if (child.pid === undefined) resolve((exit = { code: null, signal: null }));
    });
  });
  for (const stream of ['stdout', 'stderr'] as const) {
    const source = child[stream];
    if (source) createInterface({ input: source, crlfDelay: Infinity }).on('line', (line) => opts.onLine(line, stream));
  }
  return {
    name: opts.name,
    process: child,
    exited,
    hasExited: () => exit !== undefined,
    async stop(graceMs = 10_000) {
      if (exit) return exit;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

export function describeExit(exit: ChildExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}
