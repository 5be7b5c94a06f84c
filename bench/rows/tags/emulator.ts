/**
 * The emulator in its own process (`emulator/cli.ts`), so its CPU is not the measured process's, with a small client
 * for its control API (the same functions as `emulator.control`, over loopback HTTPS).
 */
import { spawnBenchEmulator, stopChild, type EmulatorInfo } from '../emulator-cli.js';
import { cpuSecondsOf } from '../proc.js';
import type { RequestRecord, WriteRecord } from '../../../emulator/index.js';

export type { EmulatorInfo } from '../emulator-cli.js';

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
  const { child, info } = await spawnBenchEmulator({ latencyMs: opts.latencyMs, seed: opts.seed, extraArgs: ['--max-requests', String(opts.maxRequests)] });
  const control = `${info.urls.arm}/_emulator`;
  const call = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await fetch(url, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    info,
    cpuSeconds: () => cpuSecondsOf(child.pid!),
    event: async <T>(name: string, ...args: unknown[]) => (await call<{ result: T }>('POST', `${control}/events/${name}`, { args })).result,
    writes: async (kind) => (await call<{ value: WriteRecord[] }>('GET', `${control}/writes${kind ? `?kind=${encodeURIComponent(kind)}` : ''}`)).value,
    requests: async (service) => (await call<{ value: RequestRecord[] }>('GET', `${control}/requests${service ? `?service=${service}` : ''}`)).value,
    close: () => stopChild(child),
  };
}

export { cpuSecondsOf as procCpuSeconds } from '../proc.js';
