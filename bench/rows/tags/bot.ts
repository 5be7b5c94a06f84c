/**
 * The product's pieces that `tags.sync` uses, built as src/main.ts builds them (config from the embedded default's
 * settings, lowdb store and lowdb Agenda backend in a fresh temp dir, the real Microsoft facade, proactive sender and
 * card renderer), with only the `tags.sync` job defined, so a run is the job's run. Seeds the workspace and the
 * home tenant's subscriptions in Read and Write Tags, as an approved change leaves them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config.js';
import { createLogger } from '../../../src/logging.js';
import { openLowdbStore } from '../../../src/store/index.js';
import { createLowdbJobsBackend, createScheduler } from '../../../src/jobs/index.js';
import { createSealer } from '../../../src/security/sealer.js';
import { createCardRenderer } from '../../../src/teams/cards.js';
import { createProactive } from '../../../src/teams/proactive.js';
import { CommandCatalog } from '../../../src/teams/commands.js';
import { createAdapter } from '../../../src/app.js';
import { createMicrosoft, ROLE_IDS } from '../../../src/microsoft/index.js';
import { botEnvOverrides } from '../../../src/launcher/embedded.js';
import type { Deps } from '../../../src/deps.js';
import { scopedId, type Subscription } from '../../../src/store/types.js';
import { defineTagSyncJob } from '../../../src/features/tags/job.js';
import { createWorld } from '../../../emulator/world/index.js';
import type { EmulatorProcess } from './emulator.js';

export interface BenchBot {
  deps: Deps;
  workspaceId: string;
  subs: Subscription[];
  close(): Promise<void>;
}

/** The home tenant's subscriptions as ARM lists them to our app (ids and names). */
interface ArmSubscription {
  subscriptionId: string;
  displayName: string;
}

export async function startBenchBot(emu: EmulatorProcess, seed: string): Promise<BenchBot> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-tags-'));
  const { info } = emu;
  const env = botEnvOverrides({ caPath: info.caPath, urls: info.urls, demoApp: { clientId: info.clientId, clientSecret: info.clientSecret }, homeTenantId: info.homeTenantId }, { host: '127.0.0.1', port: 3978, dataDir });
  const config = loadConfig({ ...env, LOG_LEVEL: 'warn' });
  const logger = createLogger({ level: 'warn' });
  const store = await openLowdbStore({ dataDir: config.dataDir });
  const backend = createLowdbJobsBackend(path.join(dataDir, 'jobs.json'));
  const scheduler = createScheduler({ backend, logger });
  const adapter = createAdapter(config);
  const deps: Deps = {
    config,
    logger,
    store,
    scheduler,
    sealer: createSealer(randomBytes(32)),
    cards: createCardRenderer(),
    proactive: createProactive({ adapter, botAppId: config.bot.appId, store, logger }),
    commands: new CommandCatalog(),
    microsoft: createMicrosoft(config, logger),
    now: () => new Date(),
  };
  const workspaceId = info.homeTenantId;
  const tenantId = info.homeTenantId;
  const at = new Date().toISOString();
  const admin = { aadObjectId: 'bench-admin', name: 'Bench Admin' };
  await store.workspaces.upsert({ id: workspaceId, workspaceId, admins: [{ ...admin, role: 'owner' }], settings: {}, createdAt: at });
  await store.tenants.upsert({ id: tenantId, workspaceId, displayName: 'Bench tenant', consentedBy: admin, consentedAt: at, credentials: {} });

  // Our service principal holds Tag Contributor on each subscription (what an approved Read and Write change leaves).
  const sp = await deps.microsoft.servicePrincipalId(tenantId);
  const armSubs = listSubscriptions(seed, tenantId);
  const subs: Subscription[] = [];
  for (const s of armSubs) {
    await emu.event('assignRole', s.subscriptionId, sp, ROLE_IDS['Tag Contributor']);
    const sub: Subscription = {
      id: scopedId(tenantId, s.subscriptionId), workspaceId, tenantId, subscriptionId: s.subscriptionId, displayName: s.displayName,
      state: 'Enabled', role: 'Tag Contributor', syncMode: 'readWriteTags', roleAssignmentIds: [], updatedAt: at,
    };
    await store.subscriptions.upsert(sub);
    subs.push(sub);
  }
  defineTagSyncJob(deps);
  await scheduler.start();
  return {
    deps,
    workspaceId,
    subs,
    close: async () => {
      await scheduler.stop();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The tenant's subscriptions, from the same seeded world the emulator process built (the world is a pure function of
 * seed and size, and lazy, so this costs milliseconds). The connect flow would list them with an Owner's token.
 */
function listSubscriptions(seed: string, tenantId: string): ArmSubscription[] {
  return createWorld({ seed, size: 'bench', clock: () => Date.now() }).azureSubscriptions(tenantId);
}
