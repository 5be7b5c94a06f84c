/**
 * Runs the product's `m365.import` job (runM365Import: users/delta into the lowdb store, then subscribedSkus) in this
 * process, on command, so its RSS is the import's own. stdin: `full` | `delta` | `exit`; stdout: one JSON line each.
 * argv: <emulator info JSON> <data dir>.
 */
import { createInterface } from 'node:readline';
import { runM365Import } from '../../../src/features/m365/import-job.js';
import { jobDeps } from './job-deps.js';
import { rssMb, type EmulatorInfo } from './processes.js';

export interface ImportRunReport {
  phase: 'full' | 'delta';
  ms: number;
  status: string;
  round?: string;
  pages?: number;
  added?: number;
  updated?: number;
  total?: number;
  rssMb: { now: number; peak: number };
  /** Users to change before the delta round (from the store, so they exist). */
  sampleUserIds?: string[];
}

const [infoJson, dataDir] = process.argv.slice(2);
const info = JSON.parse(infoJson) as EmulatorInfo;
const deps = await jobDeps(info, dataDir);
const workspaceId = 'bench-workspace';
const tenantId = info.homeTenantId;
const at = new Date().toISOString();
await deps.store.tenants.upsert({
  id: tenantId, workspaceId, displayName: 'Bench tenant', consentedBy: { aadObjectId: 'bench-admin' }, consentedAt: at,
  credentials: { graphConsent: { state: 'ok', updatedAt: at } },
});
const say = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
say({ phase: 'ready', rssMb: rssMb('self') });

for await (const line of createInterface({ input: process.stdin })) {
  const command = line.trim();
  if (command === 'exit') break;
  if (command !== 'full' && command !== 'delta') throw new Error(`unknown command ${command}`);
  const t0 = performance.now();
  const outcome = await runM365Import(deps, { workspaceId, tenantId });
  const ms = performance.now() - t0;
  const rss = rssMb('self');
  const users = outcome.status === 'done' ? outcome.summary.users : undefined;
  const report: ImportRunReport = {
    phase: command, ms, status: outcome.status === 'failed' ? `failed: ${outcome.failure.headline} (${outcome.failure.microsoftSaid})` : outcome.status,
    round: users?.round, pages: users?.pages, added: users?.added, updated: users?.updated, total: users?.total, rssMb: rss,
  };
  if (command === 'full') report.sampleUserIds = (await deps.store.directoryUsers.find(workspaceId, { tenantId }, { limit: 1000 })).map((u) => u.userId);
  say(report);
}
await deps.store.close();
process.exit(0);
