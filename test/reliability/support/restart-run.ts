/**
 * One restart run: a workspace set up in a fresh world (seeded-workspace.ts), its data dir handed to the bot as a
 * process with every daily job queued to run now, then that process SIGKILLed at seeded random points while jobs
 * run and started again each time, until every queued job has finished. With `kills: 0` it is the reference run:
 * the same setup and the same process, never killed.
 *
 * A kill point is either "the k-th request to Microsoft of this life, then up to 300 ms more" or, while tag edits
 * are still unwritten, "just after Azure applied a tag PATCH, then up to 15 ms more": the window between a write
 * and the bot recording it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openLowdbStore } from '../../../src/store/index.js';
import type { Checkpoint } from '../../../src/store/types.js';
import type { WorldSizes } from '../../../emulator/world/types.js';
import { freePort } from '../../support/world.js';
import { startBotProcess, type BotProcess } from './bot-process.js';
import { storeDigest, type Digest } from './digest.js';
import { isFinished, isRunning, queueRuns, readJobs, type StoredJobState } from './jobs-file.js';
import { EDIT_COUNT, seededWorkspace, type JobRun } from './seeded-workspace.js';

export interface RestartRunOptions {
  seed: string;
  size: Partial<WorldSizes>;
  /** Added to every emulator request while the jobs run, so that a job spans many kill points. */
  latencyMs: number;
  kills: number;
  killSeed: number;
  jobs: { pollMs: number; lockLifetimeMs: number };
  /** How long the last life may take to finish the jobs. */
  finishTimeoutMs: number;
}

/** One kill: what triggered it and which queued jobs were running (locked by the killed process). */
export interface KillRecord {
  trigger: 'request' | 'write';
  /** The last Microsoft request before the kill. */
  lastRequest: string;
  running: string[];
  /** Tag PATCHes Azure had applied by then (of EDIT_COUNT in all). */
  patchesSoFar: number;
}

export interface RestartRunResult {
  digest: Digest;
  jobs: StoredJobState[];
  queued: JobRun[];
  queuedIds: string[];
  /** Run locks (checkpoints `<tenant>/<kind>.lock`) left in the store. */
  runLocks: Checkpoint[];
  /** Every write Microsoft saw (setup included), normalised for comparison: kind, method, path, detail, status. */
  writes: string[];
  kills: KillRecord[];
  lives: number;
  /** Output of the lives, for a failure message. */
  lastLines: string[];
}

export async function restartRun(o: RestartRunOptions): Promise<RestartRunResult> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ts-restarts-'));
  const s = await seededWorkspace({ emulator: { seed: o.seed, size: o.size }, dataDir });
  const { emulator, connector } = s.world;
  try {
    await s.world.bot.stop(); // the data dir is the bot process's from here on (lowdb is one process per dir)
    const queuedIds = await queueRuns(dataDir, s.jobs);
    const runLabel = new Map(queuedIds.map((id, i) => [id, label(s.jobs[i], s.subs.readWrite.subscriptionId)]));
    emulator.control.setFaults({ latencyMs: o.latencyMs });
    const random = seededRandom(o.killSeed);
    const kills: KillRecord[] = [];
    const port = await freePort();
    let lives = 0;
    let lastLines: string[] = [];
    for (;;) {
      lives++;
      const bot = startBotProcess({ emulator: s.world.emulator, dataDir, port, ...o.jobs });
      lastLines = bot.lines;
      if (kills.length < o.kills) {
        const trigger = random() < 0.35 && patches(s) < EDIT_COUNT.merge + EDIT_COUNT.delete ? 'write' : 'request';
        const fired = await killPoint(s, bot, dataDir, queuedIds, trigger, random);
        if (!fired) {
          await bot.stop();
          break; // the jobs finished first: fewer kills than asked, which the test reports
        }
        await bot.kill();
        const running = (await readJobs(dataDir)).filter((j) => queuedIds.includes(j._id) && isRunning(j)).map((j) => runLabel.get(j._id)!);
        kills.push({ trigger: fired, lastRequest: lastRequest(s), running, patchesSoFar: patches(s) });
        continue;
      }
      await bot.ready();
      const done = await until(async () => (await readJobs(dataDir)).filter((j) => queuedIds.includes(j._id)).every(isFinished), o.finishTimeoutMs);
      await bot.stop();
      if (!done) throw new Error(`the jobs did not finish within ${o.finishTimeoutMs} ms after the last restart: ${JSON.stringify((await readJobs(dataDir)).filter((j) => queuedIds.includes(j._id) && !isFinished(j)))}\n${bot.lines.slice(-20).join('\n')}`);
      break;
    }
    emulator.control.setFaults({ latencyMs: 0 });
    const store = await openLowdbStore({ dataDir });
    try {
      const checkpoints = await store.checkpoints.find(s.workspaceId);
      return {
        digest: await storeDigest(store, s.workspaceId),
        jobs: await readJobs(dataDir),
        queued: s.jobs,
        queuedIds,
        runLocks: checkpoints.filter((c) => c.id.endsWith('.lock')),
        writes: emulator.control.writes().map((w) => JSON.stringify({ kind: w.kind, method: w.method, path: w.path, detail: w.detail, status: w.status })).sort(),
        kills,
        lives,
        lastLines,
      };
    } finally {
      await store.close();
    }
  } finally {
    await connector.close();
    await emulator.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

type World = Awaited<ReturnType<typeof seededWorkspace>>;

const patches = (s: World) => s.world.emulator.control.writes('tags.patch').length;
const microsoftRequests = (s: World) => s.world.emulator.state.requests.filter((r) => r.service !== 'control');

function lastRequest(s: World): string {
  const r = microsoftRequests(s).at(-1);
  return r ? `${r.service} ${r.method} ${r.url.split('?')[0].slice(0, 120)}` : 'none';
}

/**
 * Waits for the kill point of this life. Resolves which trigger fired, or undefined when every queued job finished
 * first. A 'write' trigger that sees no PATCH within 8 s (the tag job waits for a dead worker's lock, say) falls
 * back to the request trigger.
 */
async function killPoint(s: World, bot: BotProcess, dataDir: string, ids: string[], trigger: 'request' | 'write', random: () => number): Promise<'request' | 'write' | undefined> {
  const seqAtStart = s.world.emulator.state.requests.at(-1)?.seq ?? 0;
  const patchesAtStart = patches(s);
  const k = 1 + Math.floor(random() * 15);
  const extraMs = Math.floor(random() * (trigger === 'write' ? 15 : 300));
  const started = Date.now();
  let fired: 'request' | 'write' | undefined;
  let lastCheck = 0;
  while (!fired) {
    if (bot.child.hasExited()) throw new Error(`the bot exited by itself: ${bot.lines.slice(-20).join('\n')}`);
    if (trigger === 'write' && patches(s) > patchesAtStart) fired = 'write';
    else if ((trigger === 'request' || Date.now() - started > 8000) && microsoftRequests(s).filter((r) => r.seq > seqAtStart).length >= k) fired = 'request';
    else if (Date.now() - lastCheck > 250) {
      lastCheck = Date.now();
      if ((await readJobs(dataDir)).filter((j) => ids.includes(j._id)).every(isFinished)) return undefined;
    }
    if (!fired) await sleep(1);
  }
  if (extraMs) await sleep(extraMs);
  return fired;
}

function label(run: JobRun, readWriteSubscription: string): string {
  return run.name === 'tags.sync' && run.data.subscriptionId === readWriteSubscription ? 'tags.sync (Read and Write Tags)' : run.name;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(100);
  }
  return check();
}

/** mulberry32: the kill points are the same on every run of the suite. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
