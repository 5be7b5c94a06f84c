/** Process plumbing for row 3: the bench emulator and the SSO access child, each in its own process. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { spawnBenchEmulator } from '../emulator-cli.js';
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
export async function spawnSsoEmulator(latencyMs: number, nodeArgs: string[] = []): Promise<EmulatorProcess> {
  const { child, info: raw } = await spawnBenchEmulator({ latencyMs, nodeArgs });
  return {
    pid: child.pid!,
    info: { urls: raw.urls, caPath: raw.caPath, tenantId: raw.homeTenantId, clientId: raw.clientId, clientSecret: raw.clientSecret },
    close: () => void child.kill('SIGTERM'),
  };
}

export { cpuSecondsOf, memoryOf, resetPeak } from '../proc.js';

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
