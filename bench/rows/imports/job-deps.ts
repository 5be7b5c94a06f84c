/**
 * The Deps an `m365.import` run gets in the embedded default, built as src/main.ts builds them (config from the
 * launcher's emulator settings, the lowdb store, the real Microsoft facade, adapter, proactive sender), minus the HTTP
 * server and a started scheduler, which an import run does not touch.
 */
import path from 'node:path';
import { loadConfig } from '../../../src/config.js';
import type { Deps } from '../../../src/deps.js';
import { createLogger } from '../../../src/logging.js';
import { createMicrosoft } from '../../../src/microsoft/index.js';
import { createLowdbJobsBackend } from '../../../src/jobs/lowdb-backend/index.js';
import { createScheduler } from '../../../src/jobs/scheduler.js';
import { botEnvOverrides } from '../../../src/launcher/embedded.js';
import { createSealer } from '../../../src/security/sealer.js';
import { openLowdbStore } from '../../../src/store/lowdb/store.js';
import { createCardRenderer } from '../../../src/teams/cards.js';
import { CommandCatalog } from '../../../src/teams/commands.js';
import { createProactive } from '../../../src/teams/proactive.js';
import { createAdapter } from '../../../src/app.js';
import type { EmulatorInfo } from './processes.js';

export async function jobDeps(info: EmulatorInfo, dataDir: string): Promise<Deps> {
  const emulator = { caPath: info.caPath, urls: info.urls, homeTenantId: info.homeTenantId, demoApp: { clientId: info.clientId, clientSecret: info.clientSecret } };
  const config = loadConfig({ ...botEnvOverrides(emulator, { host: '127.0.0.1', port: 3978, dataDir }), LOG_LEVEL: 'warn' });
  const logger = createLogger({ level: 'warn' });
  const store = await openLowdbStore({ dataDir });
  return {
    config,
    logger,
    store,
    scheduler: createScheduler({ backend: createLowdbJobsBackend(path.join(dataDir, 'jobs.json')), logger }),
    sealer: createSealer(Buffer.alloc(32, 7)),
    cards: createCardRenderer(),
    proactive: createProactive({ adapter: createAdapter(config), botAppId: config.bot.appId, store, logger }),
    commands: new CommandCatalog(),
    microsoft: createMicrosoft(config, logger),
    now: () => new Date(),
  };
}
