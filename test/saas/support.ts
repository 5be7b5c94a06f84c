import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Emulator } from '../../emulator/index.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { createSealer } from '../../src/security/sealer.js';
import { openLowdbStore } from '../../src/store/index.js';
import type { SaasRunDeps } from '../../src/features/saas/discover.js';
import { openSaasGraph } from '../../src/features/saas/graph.js';
import type { SaasConnectInput } from '../../src/features/saas/validate.js';
import type { GraphPageReaderOptions } from '../../src/microsoft/graph-pages.js';

/** The endpoints the bot would read from config, pointed at the emulator. */
export function emulatorEndpoints(emu: Emulator) {
  return loadConfig({ AUTHORITY_HOST: emu.urls.authority, GRAPH_ENDPOINT: emu.urls.graph, ARM_ENDPOINT: emu.urls.arm, PARTNER_CENTER_ENDPOINT: emu.urls.partnerCenter }).microsoft;
}

/** SaasRunDeps on a lowdb store in a temp dir, Graph through the real facade against the emulator; logs captured. */
export async function saasHarness(emu: Emulator, now: () => Date = () => new Date(), graphOptions: GraphPageReaderOptions = {}) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ts-saas-'));
  const store = await openLowdbStore({ dataDir });
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', destination: new Writable({ write: (chunk, _e, cb) => (logs.push(String(chunk)), cb()) }) });
  const endpoints = emulatorEndpoints(emu);
  const deps: SaasRunDeps = {
    store,
    sealer: createSealer(randomBytes(32)),
    logger,
    now,
    openGraph: (app) => openSaasGraph(endpoints, app, { baseDelayMs: 1, ...graphOptions }),
  };
  return {
    deps,
    store,
    dataDir,
    logs,
    async close() {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** `connect saas` input with the emulator's demo app as the customer's own app registration. */
export function demoInput(emu: Emulator, extra: Partial<SaasConnectInput> = {}): SaasConnectInput {
  return {
    clientId: emu.demoApp.clientId,
    clientSecret: emu.demoApp.clientSecret,
    tenantId: emu.homeTenantId,
    domains: [],
    includeGuests: false,
    tasks: ['hrRoster', 'appDiscovery', 'ssoRoster', 'ssoAccess'],
    ...extra,
  };
}

export const WS = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const ADMIN = { aadObjectId: 'a1a1a1a1-0000-4000-8000-000000000001', name: 'Adele Vance' };
