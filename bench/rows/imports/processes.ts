/**
 * Child processes for the import rows: the emulator in one process and each measured import in another, so that each
 * process's RSS is its own. Workers speak one JSON object per stdout line and take commands as stdin lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { ROOT, spawnBenchEmulator, TSX, type EmulatorInfo } from '../emulator-cli.js';

export { ROOT, type EmulatorInfo } from '../emulator-cli.js';
export { memoryOf as rssMb } from '../proc.js';

/** A child speaking JSON lines: `next()` resolves its next line, `send()` writes a command line. */
export class LineChild {
  readonly #lines: string[] = [];
  readonly #waiters: { resolve: (line: string) => void; reject: (err: Error) => void }[] = [];
  #exited: Error | undefined;
  readonly #rl: Interface;

  constructor(readonly child: ChildProcess, readonly label: string) {
    this.#rl = createInterface({ input: child.stdout! });
    this.#rl.on('line', (line) => {
      const waiter = this.#waiters.shift();
      if (waiter) waiter.resolve(line);
      else this.#lines.push(line);
    });
    child.once('exit', (code, signal) => {
      this.#exited = new Error(`${label} exited (${signal ?? code}) before answering`);
      for (const w of this.#waiters.splice(0)) w.reject(this.#exited);
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  next<T>(): Promise<T> {
    const ready = this.#lines.shift();
    if (ready !== undefined) return Promise.resolve(JSON.parse(ready) as T);
    if (this.#exited) return Promise.reject(this.#exited);
    return new Promise<string>((resolve, reject) => this.#waiters.push({ resolve, reject })).then((line) => JSON.parse(line) as T);
  }

  send(command: string): void {
    this.child.stdin!.write(`${command}\n`);
  }

  /** Asks politely (SIGTERM), and waits for the exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** Runs a TypeScript file under tsx in its own process (stderr shared with ours, for its errors). */
export function spawnTs(file: string, args: string[], label: string, env: NodeJS.ProcessEnv = process.env, nodeArgs: string[] = []): LineChild {
  const child = spawn(process.execPath, [...nodeArgs, '--import', TSX, file, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'], env });
  return new LineChild(child, label);
}

/** The bench world (100k users in the home tenant) in its own process, with the given latency. */
export async function startEmulatorProcess(latencyMs: number, nodeArgs: string[] = []): Promise<{ info: EmulatorInfo; process: LineChild }> {
  const { child, info } = await spawnBenchEmulator({ latencyMs, nodeArgs, stdin: 'pipe' });
  return { info, process: new LineChild(child, 'emulator') };
}

/** Runs one of the emulator's scripted events through its control API (no auth, no latency: a test hook). */
export async function emulatorEvent(info: EmulatorInfo, name: string, args: unknown[]): Promise<unknown> {
  const res = await fetch(`${info.urls.graph}/_emulator/events/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ args }) });
  const body = (await res.json()) as { ok?: boolean; result?: unknown; error?: { message?: string } };
  if (!res.ok || !body.ok) throw new Error(`emulator event ${name}: ${res.status} ${body.error?.message ?? ''}`);
  return body.result;
}
