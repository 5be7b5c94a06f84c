/**
 * `npm run bench [-- --latency-ms N --only imports,tags,turns]`: every row of issue 9, measured side by side against
 * the emulator. Prints one table and writes the same rows to bench/results.json. Exits 1 when a target is missed
 * (the figures are still printed and written).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchContext, BenchRow, BenchSection } from './rows/types.js';

const SECTIONS: Record<string, () => Promise<BenchSection>> = {
  imports: async () => (await import('./rows/imports.js')).measureImports,
  tags: async () => (await import('./rows/tags.js')).measureTagSync,
  turns: async () => (await import('./rows/turns.js')).measureBotTurns,
};

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'latency-ms': { type: 'string', default: '20' }, only: { type: 'string' } }, strict: true });
  const latencyMs = Number(values['latency-ms']);
  if (!Number.isInteger(latencyMs) || latencyMs < 0) throw new Error('--latency-ms must be a non-negative integer');
  const names = values.only ? values.only.split(',') : Object.keys(SECTIONS);
  const unknown = names.filter((n) => !SECTIONS[n]);
  if (unknown.length) throw new Error(`--only: unknown section(s) ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}`);
  const ctx: BenchContext = { latencyMs, progress: (m) => process.stderr.write(`[bench] ${m}\n`) };
  const started = performance.now();
  const rows: BenchRow[] = [];
  for (const name of names) {
    ctx.progress(`${name}: starting`);
    const t0 = performance.now();
    rows.push(...(await (await SECTIONS[name]())(ctx)));
    ctx.progress(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const seconds = (performance.now() - started) / 1000;
  printTable(rows);
  const file = path.join(ROOT, 'bench/results.json');
  writeFileSync(file, `${JSON.stringify({ ranAt: new Date().toISOString(), latencyMs, seconds: round(seconds), rows }, null, 2)}\n`);
  const missed = rows.filter((r) => !r.pass);
  process.stdout.write(`\n${rows.length} rows in ${seconds.toFixed(0)} s; ${missed.length ? `${missed.length} missed their target` : 'every target met'}. Written to ${path.relative(process.cwd(), file)}.\n`);
  if (missed.length) process.exitCode = 1;
}

function printTable(rows: BenchRow[]): void {
  console.table(
    rows.map((r) => ({
      row: r.row,
      measure: r.measure,
      figure: `${fmt(r.figure)} ${r.unit}`,
      'floor / peer': `${fmt(r.against)} ${r.unit} (${r.againstLabel})`,
      ratio: `${fmt(r.ratio)}×`,
      target: r.target,
      pass: r.pass ? 'yes' : 'NO',
    })),
  );
  for (const r of rows.filter((x) => x.detail)) process.stdout.write(`  ${r.row} — ${r.measure}: ${Object.entries(r.detail!).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
}

const round = (n: number) => Math.round(n * 1000) / 1000;
const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

await main();
// The sections host product code in this process (the tags section's scheduler, Azure SDK clients); timers they
// leave behind (token refresh, HTTP keep-alive) would keep the process up for minutes after the figures are written.
process.exit();
