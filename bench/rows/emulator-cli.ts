/** The bench world's emulator (`emulator/cli.ts --size bench`) in its own process, so its CPU and RSS are its own. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TSX = import.meta.resolve('tsx');

/** What `emulator/cli.ts` prints on its first line. */
export interface EmulatorInfo {
  urls: { authority: string; arm: string; graph: string; partnerCenter: string };
  caPath: string;
  homeTenantId: string;
  clientId: string;
  clientSecret: string;
}

/**
 * Starts the emulator with `--size bench --latency-ms <latencyMs>` plus `extraArgs`; resolves once it prints its
 * URLs. `nodeArgs` go before the script (e.g. `--cpu-prof`). stdin is a pipe only when `stdin: 'pipe'`.
 */
export async function spawnBenchEmulator(opts: { latencyMs: number; seed?: string; extraArgs?: string[]; nodeArgs?: string[]; stdin?: 'ignore' | 'pipe' }): Promise<{ child: ChildProcess; info: EmulatorInfo }> {
  const args = [...(opts.nodeArgs ?? []), '--import', TSX, path.join(ROOT, 'emulator/cli.ts'), '--size', 'bench', '--seed', opts.seed ?? 'bench', '--latency-ms', String(opts.latencyMs), ...(opts.extraArgs ?? [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: [opts.stdin ?? 'ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code} before serving`)));
  });
  return { child, info: JSON.parse(line) as EmulatorInfo };
}

/** SIGTERM, and resolves once the process has exited. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
