/**
 * The process that runs SSO access for row 3, so its RSS is its own (the emulator runs in another process).
 * Started by sso.ts with an IPC channel and the emulator's CA in NODE_EXTRA_CA_CERTS. It opens the embedded lowdb
 * store in a fresh temp dir, connects the emulator's demo app as the customer app registration (SSO access only),
 * then answers `run` (one saas.discover run, exactly as the job runs it) and `check` messages.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../../src/config.js';
import { connectSaas } from '../../../src/features/saas/connect.js';
import { runSaasDiscovery, type SaasRunDeps } from '../../../src/features/saas/discover.js';
import { openSaasGraph, type SaasGraph } from '../../../src/features/saas/graph.js';
import { signInCheckpointId, signInsUrl } from '../../../src/features/saas/import/sso-access.js';
import { createLogger } from '../../../src/logging.js';
import { createSealer } from '../../../src/security/sealer.js';
import { openLowdbStore, scopedId } from '../../../src/store/index.js';
import type { SsoChildRequest, SsoChildReply, SsoChildStart } from './sso-protocol.js';

const WORKSPACE = 'bench-workspace';
const start = JSON.parse(process.argv[2]) as SsoChildStart;
const send = (reply: SsoChildReply) => process.send!(reply);

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ts-bench-sso-'));
const store = await openLowdbStore({ dataDir });
// Killed after a failure (sso.ts's finally): the temp store of a full pass is ~250 MB, so it goes too.
process.once('SIGTERM', () => void rm(dataDir, { recursive: true, force: true }).finally(() => process.exit(1)));
const endpoints = loadConfig({ AUTHORITY_HOST: start.urls.authority, GRAPH_ENDPOINT: start.urls.graph, ARM_ENDPOINT: start.urls.arm, PARTNER_CENTER_ENDPOINT: start.urls.partnerCenter }).microsoft;
const logs: string[] = [];
let signInPages = 0;
const deps: SaasRunDeps = {
  store,
  sealer: createSealer(randomBytes(32)),
  logger: createLogger({ level: 'warn', destination: new Writable({ write: (chunk, _e, cb) => (logs.push(String(chunk)), cb()) }) }),
  now: () => new Date(),
  // The product's Graph, counting the sign-in pages it asks for (the doctor's `$top=1` probe is not a page of the import).
  openGraph: (app): SaasGraph => {
    const graph = openSaasGraph(endpoints, app);
    return { ...graph, page: (url) => (url.includes('auditLogs/signIns') && !/[?&]\$top=1(&|$)/.test(url) && signInPages++, graph.page(url)) };
  },
};

const input = { clientId: start.clientId, clientSecret: start.clientSecret, tenantId: start.tenantId, domains: [], includeGuests: false, tasks: ['ssoAccess' as const] };
const connected = await connectSaas(deps, WORKSPACE, { aadObjectId: '00000000-0000-4000-8000-0000000000be', name: 'Bench' }, input);
if (!connected.ok) throw new Error(`connect saas failed: ${connected.reason}`);

process.on('message', (raw) => void handle(raw as SsoChildRequest).then(send, (err: unknown) => send({ kind: 'error', message: (err as Error).stack ?? String(err) })));
send({ kind: 'ready' });

async function handle(req: SsoChildRequest): Promise<SsoChildReply> {
  switch (req.kind) {
    case 'run': {
      signInPages = 0;
      const previous = (await store.checkpoints.get(WORKSPACE, signInCheckpointId(start.tenantId)))?.value;
      const t0 = performance.now();
      const outcome = await runSaasDiscovery(deps, { workspaceId: WORKSPACE, tenantId: start.tenantId });
      const ms = performance.now() - t0;
      const task = outcome?.summary.tasks.find((t) => t.task === 'ssoAccess');
      if (task?.state !== 'done') throw new Error(`ssoAccess ${task?.state ?? 'missing'}: ${task?.detail ?? ''} ${logs.join('')}`);
      const read = Number(/^(\d+) sign-in/.exec(task.detail ?? '')?.[1] ?? NaN);
      const watermark = (await store.checkpoints.get(WORKSPACE, signInCheckpointId(start.tenantId)))?.value;
      const records = await store.ssoSignins.count(WORKSPACE, { tenantId: start.tenantId });
      return { kind: 'ran', ms, pages: signInPages, read, stored: task.stored ?? 0, detail: task.detail ?? '', records, previous, since: signInsUrl(previous).since, watermark };
    }
    case 'check': {
      // Each new sign-in must now be (or be older than) the stored last login of its app and user.
      let missing = 0;
      for (const s of req.signIns) {
        const stored = await store.ssoSignins.get(WORKSPACE, scopedId(start.tenantId, `${s.appId}/${s.userId}`));
        if (!stored || stored.createdDateTime < s.createdDateTime) missing++;
      }
      return { kind: 'checked', missing };
    }
    case 'close':
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
      setImmediate(() => process.exit(0));
      return { kind: 'closed' };
  }
}
