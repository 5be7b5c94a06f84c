/**
 * The emulator in its own process (`emulator/cli.ts`), so its CPU is not the measured process's, with a small client
 * for its control API (the same functions as `emulator.control`, over loopback HTTPS).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RequestRecord, WriteRecord } from '../../../emulator/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TSX = import.meta.resolve('tsx');

export interface EmulatorInfo {
  urls: { authority: string; arm: string; graph: string; partnerCenter: string };
  caPath: string;
  homeTenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface EmulatorProcess {
  info: EmulatorInfo;
  /** CPU seconds (user + system) the emulator process has used so far, from /proc. */
  cpuSeconds(): number;
  /** Runs a control event (`POST /_emulator/events/{name}`) with positional arguments; resolves its result. */
  event<T = unknown>(name: string, ...args: unknown[]): Promise<T>;
  writes(kind?: string): Promise<WriteRecord[]>;
  requests(service?: string): Promise<RequestRecord[]>;
  close(): Promise<void>;
}

/** Starts `emulator/cli.ts --size bench` with the given latency; resolves once it prints its URLs. */
export async function spawnEmulator(opts: { seed: string; latencyMs: number; maxRequests: number }): Promise<EmulatorProcess> {
  const args = ['--import', TSX, path.join(ROOT, 'emulator/cli.ts'), '--size', 'bench', '--seed', opts.seed, '--latency-ms', String(opts.latencyMs), '--max-requests', String(opts.maxRequests)];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code} before serving`)));
  });
  const info = JSON.parse(line) as EmulatorInfo;
  const control = `${info.urls.arm}/_emulator`;
  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await fetch(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    info,
    cpuSeconds: () => procCpuSeconds(child.pid!),
    event: async <T>(name: string, ...args: unknown[]) => (await call<{ result: T }>('POST', `${control}/events/${name}`, { args })).result,
    writes: async (kind) => (await call<{ value: WriteRecord[] }>('GET', `${control}/writes${kind ? `?kind=${encodeURIComponent(kind)}` : ''}`)).value,
    requests: async (service) => (await call<{ value: RequestRecord[] }>('GET', `${control}/requests${service ? `?service=${service}` : ''}`)).value,
    close: () => stop(child),
  };
}

/** utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat, in clock ticks of 1/100 s on Linux). */
export function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
