import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REQUIRED = ['faults survived', 'restarts survived', 'forged requests refused', 'hostile inputs', 'lost records'];

/** Prints the summary issue 10 asks for, and fails the run when a record was lost or a suite recorded nothing. */
export default function globalTeardown() {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '.figures');
  const totals = Object.fromEntries(REQUIRED.map((k) => [k, 0]));
  const seen = new Set();
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  for (const file of files) {
    for (const [k, v] of Object.entries(JSON.parse(readFileSync(path.join(dir, file), 'utf8')))) {
      totals[k] = (totals[k] ?? 0) + v;
      seen.add(k);
    }
  }
  const width = Math.max(...Object.keys(totals).map((k) => k.length));
  process.stdout.write(`\nReliability summary (${files.length} suites):\n`);
  for (const [k, v] of Object.entries(totals)) process.stdout.write(`  ${k.padEnd(width)}  ${v}${seen.has(k) ? '' : '  (not measured in this run)'}\n`);
  process.stdout.write('\n');
  if (totals['lost records'] !== 0) throw new Error(`lost records: ${totals['lost records']} (must be 0)`);
}
