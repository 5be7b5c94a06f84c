/**
 * Row 4 of issue 9: tag sync over 50k resources in 20 subscriptions (the emulator's bench world, in its own process),
 * then 5,000 tag edits written back. Both runs are the product's `tags.sync` job (runTagSync), queued for every
 * subscription at once and run by the product's scheduler with its own bound on parallel runs, on lowdb in a temp dir.
 */
import { RESOURCE_PAGE_SIZE } from '../../src/microsoft/tags.js';
import { TAG_SYNC_JOB } from '../../src/features/tags/sync.js';
import { BENCH_SIZES } from '../../emulator/world/sizes.js';
import type { BenchContext, BenchRow, BenchSection } from './types.js';
import { spawnEmulator } from './tags/emulator.js';
import { startBenchBot } from './tags/bot.js';
import { queueEdits, syncAll } from './tags/runs.js';
import { account429s, accountEdits } from './tags/checks.js';
import { listingFloor, writeFloor } from './tags/floors.js';
import { timelines } from './tags/timeline.js';

const ROW = '4. Tag sync (50k resources, 20 subscriptions)';
const SEED = 'bench-tags';
const EDITS_PER_SUBSCRIPTION = 250;
/** Resources that get a second edit (a different tag), so two edits of one resource must be written in order. */
const SECOND_EDITS_PER_SUBSCRIPTION = 50;
const TARGET = 1.15;

export const measureTagSync: BenchSection = async (ctx: BenchContext) => {
  const emu = await spawnEmulator({ seed: SEED, latencyMs: ctx.latencyMs, maxRequests: 200_000 });
  try {
    const bot = await startBenchBot(emu, SEED);
    try {
      const parallel = bot.deps.scheduler.definedJobs().find((j) => j.name === TAG_SYNC_JOB)?.concurrency ?? 5;
      const subs = bot.subs.length;
      const resources = BENCH_SIZES.resourcesPerSubscription;

      ctx.progress(`tags: reads — ${subs} subscriptions × ${resources} resources, ${parallel} at a time`);
      await emu.event('clearLogs');
      let cpu = cpuMark(emu);
      const reads = await syncAll(bot);
      const readCpu = cpu();
      const readFloor = listingFloor({ subscriptions: subs, resourcesEach: resources, pageSize: RESOURCE_PAGE_SIZE, parallel, latencyMs: ctx.latencyMs });
      const seen = reads.reports.reduce((n, r) => n + r.seen, 0);
      const readPages = reads.reports.reduce((n, r) => n + r.pages, 0);
      ctx.progress(`tags: reads took ${reads.seconds.toFixed(2)} s (floor ${readFloor.seconds.toFixed(2)} s), ${seen} resources in ${readPages} pages`);

      ctx.progress(`tags: queueing ${subs * EDITS_PER_SUBSCRIPTION} edits`);
      const planned = await queueEdits(bot, EDITS_PER_SUBSCRIPTION, SECOND_EDITS_PER_SUBSCRIPTION);
      await emu.event('resetArmThrottle');
      await emu.event('clearLogs');
      ctx.progress('tags: writes');
      cpu = cpuMark(emu);
      const writes = await syncAll(bot);
      const writeCpu = cpu();
      ctx.progress(`tags: writes took ${writes.seconds.toFixed(2)} s`);
      const perSub = bot.subs.map((s) => planned.filter((p) => p.scope.toLowerCase().startsWith(`/subscriptions/${s.subscriptionId.toLowerCase()}/`)).length);
      const floor = writeFloor(perSub);
      const edits = accountEdits(planned, await bot.deps.store.tagEdits.find(bot.workspaceId), await emu.writes('tags.patch'));
      const armRequests = await emu.requests('arm');
      const spans = timelines(armRequests, writes.startedAt);
      const lastListing = Math.max(...spans.map((t) => t.listLast)) / 1000;
      const firstPatch = Math.min(...spans.map((t) => t.patchFirst ?? Infinity)) / 1000;
      const lastPatch = Math.max(...spans.map((t) => t.patchLast ?? 0)) / 1000;
      const throttle = account429s(armRequests);
      const stillPending = writes.reports.reduce((n, r) => n + r.stillPending, 0);
      const errors = writes.reports.flatMap((r) => r.errors);

      const rows: BenchRow[] = [
        {
          row: ROW,
          measure: `reads: sync all ${subs} subscriptions vs paging floor`,
          figure: round(reads.seconds),
          unit: 's',
          against: round(readFloor.seconds),
          againstLabel: readFloor.label,
          ratio: round(reads.seconds / readFloor.seconds),
          ratioMeaning: 'figure/against',
          target: `≤ ${TARGET}× floor`,
          pass: reads.seconds <= TARGET * readFloor.seconds && seen === subs * resources,
          detail: { resources: seen, pages: readPages, 'subscriptions at a time': parallel, 'scheduler pickup (not counted)': `${reads.pickupSeconds.toFixed(2)} s`, outcomes: outcomes(reads.reports), ...readCpu },
        },
        {
          row: ROW,
          measure: `writes: ${planned.length} edits vs ARM write-throttle floor`,
          figure: round(writes.seconds),
          unit: 's',
          against: round(floor.seconds),
          againstLabel: floor.label,
          ratio: round(writes.seconds / floor.seconds),
          ratioMeaning: 'figure/against',
          target: `≤ ${TARGET}× floor`,
          pass: writes.seconds <= TARGET * floor.seconds,
          detail: { 'ARM requests': armRequests.length, PATCHes: armRequests.filter((r) => r.method === 'PATCH').length, 'tag GETs': armRequests.filter((r) => r.method === 'GET' && r.url.includes('/tags/default')).length, 'listing pages': writes.reports.reduce((n, r) => n + r.pages, 0), 'scheduler pickup (not counted)': `${writes.pickupSeconds.toFixed(2)} s`, 'first PATCH at': `${firstPatch.toFixed(2)} s`, 'last listing page at': `${lastListing.toFixed(2)} s`, 'last PATCH at': `${lastPatch.toFixed(2)} s`, outcomes: outcomes(writes.reports), ...writeCpu },
        },
        {
          row: ROW,
          measure: 'writes: edits applied with exactly one PATCH (zero lost)',
          figure: edits.writtenOnce,
          unit: 'edits',
          against: edits.edits,
          againstLabel: 'edits queued',
          ratio: round(edits.writtenOnce / edits.edits),
          ratioMeaning: 'figure/against',
          target: 'every edit applied, one PATCH each',
          pass: edits.applied === edits.edits && edits.writtenOnce === edits.edits && edits.strayWrites === 0 && stillPending === 0,
          detail: { applied: edits.applied, 'not applied': edits.notApplied, 'written twice': edits.writtenTwice, 'never written': edits.neverWritten, 'stray writes': edits.strayWrites, 'still pending': stillPending },
        },
        {
          row: ROW,
          measure: 'writes: 429s followed by a successful retry (zero unretried)',
          figure: throttle.retriedOk,
          unit: '429s',
          against: throttle.throttled,
          againstLabel: "429s ARM's buckets sent",
          ratio: throttle.throttled === 0 ? 1 : round(throttle.retriedOk / throttle.throttled),
          ratioMeaning: 'figure/against',
          target: 'every 429 retried; none surfaced',
          pass: throttle.unretried === 0 && errors.length === 0 && stillPending === 0,
          detail: { unretried: throttle.unretried, 'run errors': errors.length, ...(errors.length ? { 'first error': errors[0] } : {}) },
        },
      ];
      return rows;
    } finally {
      await bot.close();
    }
  } finally {
    await emu.close();
  }
};

/** CPU seconds used by this process (the bot) and by the emulator from now until the returned function is called. */
function cpuMark(emu: { cpuSeconds(): number }): () => Record<string, string> {
  const bot = process.cpuUsage();
  const emulator = emu.cpuSeconds();
  return () => {
    const used = process.cpuUsage(bot);
    return { 'bot CPU': `${((used.user + used.system) / 1e6).toFixed(1)} s`, 'emulator CPU': `${(emu.cpuSeconds() - emulator).toFixed(1)} s` };
  };
}

function outcomes(reports: { outcome: string }[]): string {
  const counts = new Map<string, number>();
  for (const r of reports) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  return [...counts].map(([k, v]) => `${v} ${k}`).join(', ');
}

const round = (n: number) => Math.round(n * 1000) / 1000;
