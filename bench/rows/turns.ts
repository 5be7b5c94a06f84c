/**
 * Row 5 of issue 9: bot turns. The bot runs as `npm start` runs it (src/main.ts in its own process, lowdb in a temp
 * dir, against the emulator); a local Bot Framework connector captures its replies. One workspace has a connected
 * tenant with 200 subscriptions, seeded through `connect` and the emulator's sign-in pages. Measured over HTTP POSTs to
 * /api/messages: `subscriptions` typed by an admin, and the modes card's Choose button (an Action.Execute invoke),
 * at 1, 10 and 50 concurrent conversations (each its own admin and personal chat, closed loop: the next turn is sent
 * when the previous one is answered).
 */
import os from 'node:os';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { startConnector } from '../../test/support/connector.js';
import type { BenchContext, BenchRow, BenchSection } from './types.js';
import { startBotProcess, type BotProcess } from './turns/bot-process.js';
import { modeChangeTurn, percentile, runClosedLoop, subscriptionsTurn, type ModeBook, type TurnKind, type TurnSample } from './turns/load.js';
import { modeTargets, seedWorkspace } from './turns/seed.js';

const ROW = '5. Bot turns (200 subscriptions)';
export const SUBSCRIPTIONS = 200;
export const LEVELS = [1, 10, 50] as const;
const TARGET_LEVEL = 50;
const TARGET_P95_MS = 100;
/** Samples per level: enough for a p99 (≥ 200), and a whole number of rounds for every worker. */
const SAMPLES: Record<(typeof LEVELS)[number], number> = { 1: 250, 10: 300, 50: 500 };
const WARM_UP = 40;

export interface TurnsOptions {
  /** Node flags for the bot process (profiling: ['--cpu-prof', '--cpu-prof-dir', dir]). */
  botNodeArgs?: string[];
}

export const measureBotTurns: BenchSection = (ctx) => measureBotTurnsWith(ctx, {});

export async function measureBotTurnsWith(ctx: BenchContext, opts: TurnsOptions): Promise<BenchRow[]> {
  const emulator: Emulator = await startEmulator({
    seed: 'bench-turns',
    latencyMs: ctx.latencyMs,
    size: { subscriptionsPerTenant: SUBSCRIPTIONS, usersPerTenant: 60, customer: { subscriptionsPerTenant: 2 } },
  });
  const connector = await startConnector();
  let bot: BotProcess | undefined;
  try {
    bot = await startBotProcess(emulator, { nodeArgs: opts.botNodeArgs });
    ctx.progress(`turns: bot pid ${bot.pid} at ${bot.url}; connecting ${SUBSCRIPTIONS} subscriptions and adding ${TARGET_LEVEL - 1} admins`);
    const t0 = performance.now();
    const seeded = await seedWorkspace(emulator, connector, bot.url, TARGET_LEVEL);
    if (seeded.connected !== SUBSCRIPTIONS || seeded.subscriptionIds.length !== SUBSCRIPTIONS) {
      throw new Error(`the subscriptions card shows ${seeded.connected} connected and ${seeded.subscriptionIds.length} rows; ${SUBSCRIPTIONS} expected`);
    }
    const offered = await modeTargets(connector, bot.url, seeded.admins[0], seeded.subscriptionIds[0]);
    if (!offered.some((t) => t.mode === 'noTags')) throw new Error(`the modes card offers no No Tags button: ${JSON.stringify(offered)}`);
    ctx.progress(`turns: seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const book: ModeBook = new Map();
    const kinds: { name: string; what: string; make(level: number): TurnKind }[] = [
      { name: '`subscriptions` message', what: 'POST → later of reply at connector / HTTP response', make: () => subscriptionsTurn(bot!.url, connector, seeded.admins, SUBSCRIPTIONS) },
      { name: 'Action.Execute mode change (No Tags ↔ Read Tags Only)', what: 'POST → invoke HTTP response', make: (level) => modeChangeTurn(bot!.url, connector, seeded.admins, seeded.subscriptionIds, level, book) },
    ];
    for (const kind of kinds) await runClosedLoop(kind.make(1), 1, WARM_UP);

    const rows: BenchRow[] = [];
    for (const level of LEVELS) {
      for (const kind of kinds) {
        // What the connector captured so far is no longer needed; its waitFor scans it all on every turn.
        connector.activities.length = 0;
        const load = os.loadavg()[0];
        const cpu0 = bot.cpuMs();
        const here0 = process.cpuUsage();
        const run = await runClosedLoop(kind.make(level), level, SAMPLES[level]);
        const here = process.cpuUsage(here0);
        rows.push(row(kind, level, { ...run, botCpuMs: bot.cpuMs() - cpu0, clientCpuMs: (here.user + here.system) / 1000 }, load));
        const r = rows[rows.length - 1];
        ctx.progress(`turns: ${kind.name} at ${level}: p95 ${r.figure} ms, ${Object.entries(r.detail!).filter(([k]) => k !== 'latency').map(([k, v]) => `${k} ${v}`).join(', ')}`);
      }
    }
    return rows;
  } catch (err) {
    if (bot) ctx.progress(`turns: the bot's last lines:\n${bot.recentOutput().join('\n')}`);
    throw err;
  } finally {
    await bot?.stop();
    await connector.close();
    await emulator.close();
  }
}

function row(kind: { name: string; what: string }, level: number, run: { samples: TurnSample[]; seconds: number; botCpuMs: number; clientCpuMs: number }, loadAvg: number): BenchRow {
  const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(run.samples, p));
  const judged = level === TARGET_LEVEL;
  const replyLast = run.samples.filter((s) => s.replyWasLast).length;
  return {
    row: ROW,
    measure: `${kind.name}, ${level} concurrent: p95`,
    figure: round(p95),
    unit: 'ms',
    against: TARGET_P95_MS,
    againstLabel: `target p95 at ${TARGET_LEVEL} concurrent`,
    ratio: round(p95 / TARGET_P95_MS),
    ratioMeaning: 'figure/against',
    target: judged ? `p95 < ${TARGET_P95_MS} ms` : `informative (target at ${TARGET_LEVEL})`,
    pass: judged ? p95 < TARGET_P95_MS : true,
    detail: {
      p50: `${round(p50)} ms`,
      p99: `${round(p99)} ms`,
      max: `${round(Math.max(...run.samples.map((s) => s.ms)))} ms`,
      samples: run.samples.length,
      'turns/s': round(run.samples.length / run.seconds),
      'bot CPU per turn': `${round(run.botCpuMs / run.samples.length)} ms`,
      // The load generator and the connector share this process: what the channel side costs, on the same 2 cores.
      'client+connector CPU per turn': `${round(run.clientCpuMs / run.samples.length)} ms`,
      latency: kind.what,
      ...(kind.name.startsWith('`subscriptions`') ? { 'reply after response': `${replyLast} of ${run.samples.length}` } : {}),
      'load avg (1 min) before': round(loadAvg),
    },
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
