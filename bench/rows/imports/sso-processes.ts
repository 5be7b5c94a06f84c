/** Process plumbing for row 3: the bench emulator and the SSO access child, each in its own process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SsoChildReply, SsoChildRequest, SsoChildStart } from './sso-protocol.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TSX = import.meta.resolve('tsx');

export interface EmulatorProcess {
  pid: number;
  info: SsoChildStart & { caPath: string };
  close(): void;
}

/** `emulator/cli.ts --size bench` (100k users, 1M sign-ins in the home tenant) with the given latency. */
/** `nodeArgs` go before the script (e.g. `--cpu-prof` when profiling). */
export async function spawnBenchEmulator(latencyMs: number, nodeArgs: string[] = []): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', TSX, path.join(ROOT, 'emulator/cli.ts'), '--size', 'bench', '--seed', 'bench', '--latency-ms', String(latencyMs)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  const raw = JSON.parse(line) as { urls: SsoChildStart['urls']; caPath: string; homeTenantId: string; clientId: string; clientSecret: string };
  return {
    pid: child.pid!,
    info: { urls: raw.urls, caPath: raw.caPath, tenantId: raw.homeTenantId, clientId: raw.clientId, clientSecret: raw.clientSecret },
    close: () => void child.kill('SIGTERM'),
  };
}

export interface MemoryFigures {
  /** VmRSS now and VmHWM (peak since start, or since the last resetPeak), MB. */
  now: number;
  peak: number;
}

export function memoryOf(pid: number): MemoryFigures {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { now: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

/** CPU seconds (user + system) a process has used so far (/proc/<pid>/stat utime + stime, at 100 ticks/s). */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resets VmHWM to the current RSS (Linux clear_refs "5"), so a later peak excludes start-up. False when refused. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export interface SsoChild {
  pid: number;
  request(req: SsoChildRequest): Promise<SsoChildReply>;
  kill(): void;
}

/** Starts sso-child.ts trusting the emulator's CA; resolves once it has connected SaaS and is idle. */
export async function spawnSsoChild(emulator: EmulatorProcess, nodeArgs: string[] = []): Promise<SsoChild> {
  const { caPath, ...start } = emulator.info;
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', TSX, path.join(ROOT, 'bench/rows/imports/sso-child.ts'), JSON.stringify(start)], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath },
  });
  const next = () =>
    new Promise<SsoChildReply>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`sso child exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (m) => {
        child.off('exit', onExit);
        const reply = m as SsoChildReply;
        if (reply.kind === 'error') reject(new Error(`sso child: ${reply.message}`));
        else resolve(reply);
      });
    });
  await next();
  return {
    pid: child.pid!,
    request: (req) => {
      const reply = next();
      child.send(req);
      return reply;
    },
    kill: () => void child.kill('SIGTERM'),
  };
}
