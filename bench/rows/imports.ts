/**
 * Issue 9, rows 1 and 2: the full import of 100k users and the daily delta, then row 3 (SSO access, from
 * bench/rows/imports/sso.ts when it exists). The emulator (bench world: 100k users in the home tenant) runs in its own
 * process; each import runs in another, so the RSS read from /proc is the import's own.
 *  - ours: the product's m365.import job (runM365Import: users/delta with Prefer odata.maxpagesize=999, pipelined,
 *    into a fresh lowdb store), timed end to end in the worker;
 *  - naive: PageIterator at the default page size, every user collected into an array, then stored;
 *  - delta: 1,000 users (1%) changed through the emulator's control API, then the same job again in the same process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BenchContext, BenchRow, BenchSection } from './types.js';
import { emulatorEvent, ROOT, spawnTs, startEmulatorProcess, type EmulatorInfo, type LineChild } from './imports/processes.js';
import type { ImportRunReport } from './imports/our-import-worker.js';

const ROW1 = '1. Full user import (100k users)';
const ROW2 = '2. Daily delta (1% of users changed)';
const USERS = 100_000;
const CHANGED = 1_000;
const RSS_TARGET_MB = 300;

export const measureImports: BenchSection = async (ctx) => {
  const { info, process: emulator } = await startEmulatorProcess(ctx.latencyMs);
  const rows: BenchRow[] = [];
  try {
    ctx.progress(`imports: emulator up (latency ${ctx.latencyMs} ms); our full import of ${USERS} users`);
    const ours = await measureOurs(ctx, info);
    const naive = await measureNaive(ctx, info);
    rows.push(...importRows(ctx, ours.full, ours.delta, ours.idleRssMb, naive));
  } finally {
    await emulator.stop();
  }
  rows.push(...(await ssoRows(ctx)));
  return rows;
};

interface NaiveReport {
  ms: number;
  fetchedMs: number;
  users: number;
  inserted: number;
  rssMb: { now: number; peak: number };
}

async function withTempDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const workerEnv = (info: EmulatorInfo) => ({ ...process.env, NODE_EXTRA_CA_CERTS: info.caPath });

async function measureOurs(ctx: BenchContext, info: EmulatorInfo) {
  return withTempDir('bench-import-ours-', async (dir) => {
    const worker: LineChild = spawnTs(path.join(ROOT, 'bench/rows/imports/our-import-worker.ts'), [JSON.stringify(info), dir], 'our import', workerEnv(info));
    try {
      const ready = await worker.next<{ rssMb: { now: number } }>();
      worker.send('full');
      const full = await worker.next<ImportRunReport>();
      if (full.status !== 'done') throw new Error(`our full import: ${full.status}`);
      ctx.progress(`imports: ours ${(full.ms / 1000).toFixed(2)} s, peak RSS ${full.rssMb.peak.toFixed(0)} MB; changing ${CHANGED} users`);
      const ids = (full.sampleUserIds ?? []).slice(0, CHANGED);
      if (ids.length < CHANGED) throw new Error(`only ${ids.length} users to change`);
      await changeUsers(info, ids);
      worker.send('delta');
      const delta = await worker.next<ImportRunReport>();
      if (delta.status !== 'done') throw new Error(`our delta import: ${delta.status}`);
      worker.send('exit');
      return { full, delta, idleRssMb: ready.rssMb.now };
    } finally {
      await worker.stop();
    }
  });
}

/** 1% of the users changed upstream (department and job title), each an ordinary directory change. */
async function changeUsers(info: EmulatorInfo, ids: string[]): Promise<void> {
  const queue = [...ids];
  await Promise.all(Array.from({ length: 16 }, async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      await emulatorEvent(info, 'updateUser', [info.homeTenantId, id, { department: 'Reorganised', jobTitle: `Changed ${id.slice(0, 8)}` }]);
    }
  }));
}

async function measureNaive(ctx: BenchContext, info: EmulatorInfo): Promise<NaiveReport> {
  ctx.progress('imports: the naive PageIterator import (default page size)');
  return withTempDir('bench-import-naive-', async (dir) => {
    const worker = spawnTs(path.join(ROOT, 'bench/rows/imports/naive-import-worker.ts'), [JSON.stringify(info), dir], 'naive import', workerEnv(info));
    try {
      return await worker.next<NaiveReport>();
    } finally {
      await worker.stop();
    }
  });
}

function importRows(ctx: BenchContext, full: ImportRunReport, delta: ImportRunReport, idleRssMb: number, naive: NaiveReport): BenchRow[] {
  const pages = Math.ceil(USERS / 999);
  const floorMs = pages * ctx.latencyMs;
  const fullS = full.ms / 1000;
  const floorS = floorMs / 1000;
  const naiveS = naive.ms / 1000;
  const deltaS = delta.ms / 1000;
  const detail = { pages: full.pages ?? 0, users: full.total ?? 0, added: full.added ?? 0 };
  return [
    {
      row: ROW1, measure: 'ours vs paging floor', figure: fullS, unit: 's', against: floorS,
      againstLabel: `paging floor ⌈${USERS}/999⌉ × ${ctx.latencyMs} ms`, ratio: floorS > 0 ? fullS / floorS : Infinity,
      ratioMeaning: 'figure/against', target: '≤ 1.25× floor', pass: fullS <= 1.25 * floorS, detail,
    },
    {
      row: ROW1, measure: 'ours vs naive SDK (PageIterator, default page size)', figure: fullS, unit: 's', against: naiveS,
      againstLabel: 'naive: collect all, then store', ratio: naiveS / fullS, ratioMeaning: 'against/figure', target: '≥ 5× faster',
      pass: naiveS / fullS >= 5, detail: { 'naive users': naive.users, 'naive fetch s': round(naive.fetchedMs / 1000), 'naive peak RSS MB': Math.round(naive.rssMb.peak) },
    },
    {
      row: ROW1, measure: 'peak RSS of our import (lowdb)', figure: full.rssMb.peak, unit: 'MB', against: RSS_TARGET_MB,
      againstLabel: 'target', ratio: full.rssMb.peak / RSS_TARGET_MB, ratioMeaning: 'figure/against', target: `≤ ${RSS_TARGET_MB} MB`,
      pass: full.rssMb.peak <= RSS_TARGET_MB, detail: { 'idle RSS MB (worker loaded, before import)': Math.round(idleRssMb) },
    },
    {
      row: ROW2, measure: 'delta after 1,000 users changed vs full import', figure: deltaS, unit: 's', against: fullS,
      againstLabel: 'our full import', ratio: deltaS / fullS, ratioMeaning: 'figure/against', target: '≤ 5% of full',
      pass: deltaS <= 0.05 * fullS, detail: { round: delta.round ?? '?', pages: delta.pages ?? 0, updated: delta.updated ?? 0, added: delta.added ?? 0 },
    },
  ];
}

/** Row 3 is another helper's (bench/rows/imports/sso.ts); run it when it exists. */
async function ssoRows(ctx: BenchContext): Promise<BenchRow[]> {
  let mod: { measureSsoAccess?: (c: BenchContext) => Promise<BenchRow[]> };
  try {
    mod = (await import('./imports/sso.js')) as typeof mod;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    ctx.progress('imports: bench/rows/imports/sso.ts not there yet; row 3 (SSO access) skipped');
    return [];
  }
  if (typeof mod.measureSsoAccess !== 'function') throw new Error('bench/rows/imports/sso.ts does not export measureSsoAccess');
  return mod.measureSsoAccess(ctx);
}

const round = (n: number) => Math.round(n * 100) / 100;
