import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Server } from 'restify';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './logging.js';
import { openLowdbStore, openMongoStore, type Store } from './store/index.js';
import { createLowdbJobsBackend, createMongoJobsBackend, createScheduler } from './jobs/index.js';
import { createSealer, loadOrCreateLocalKey } from './security/sealer.js';
import { createCardRenderer } from './teams/cards.js';
import { createProactive } from './teams/proactive.js';
import { CommandCatalog } from './teams/commands.js';
import { createAdapter, createBotApp } from './app.js';
import { createInboundAuthenticator } from './teams/inbound-auth.js';
import { createServer, listen } from './server.js';
import type { Deps } from './deps.js';
import type { SchedulerOptions } from './jobs/scheduler-types.js';
import { createMicrosoft } from './microsoft/index.js';
import { authCallbackRoute } from './features/consent/index.js';

export interface RunningBot {
  deps: Deps;
  server: Server;
  url: string;
  /** Graceful stop: stop taking requests, let running jobs finish (or release them), close the store. */
  close(): Promise<void>;
}

/** Composition root: config → store → scheduler → adapter → app → server. Every dependency is built here. */
export async function startBot(
  config: Config,
  opts: {
    logger?: Logger;
    now?: () => Date;
    /** Tests: poll often, short default locks (Agenda keeps a lockLifetime/2 timer after each run). */
    scheduler?: Pick<SchedulerOptions, 'processEvery' | 'defaultLockLifetime'>;
    /** Where inbound Bot Framework tokens' signing keys are published (default: the Bot Framework's own). */
    openIdMetadataUrl?: string;
    /**
     * Tests: opens the store instead of the one config names (e.g. lowdb behind a wrapper that records the calls it
     * gets); the bot closes it. Jobs then use the lowdb backend in config.dataDir.
     */
    openStore?: (config: Config) => Promise<Store>;
  } = {},
): Promise<RunningBot> {
  const logger =
    opts.logger ?? createLogger({ level: config.logLevel, knownSecrets: [config.bot.appPassword, config.entraApp.clientSecret ?? '', config.sealingKey ?? ''] });
  // MongoDB: Agenda shares the store's database, so that several bot processes share one job queue.
  const opened = opts.openStore ? { store: await opts.openStore(config), db: undefined } : config.store.kind === 'mongo' ? await openMongoStore({ uri: config.store.uri, dbName: config.store.dbName }) : { store: await openLowdbStore({ dataDir: config.dataDir }), db: undefined };
  const store = opened.store;
  const key = config.sealingKey ? Buffer.from(config.sealingKey, 'base64') : await loadOrCreateLocalKey(config.dataDir);
  const backend = opened.db ? createMongoJobsBackend(opened.db) : createLowdbJobsBackend(path.join(config.dataDir, 'jobs.json'));
  const scheduler = createScheduler({ backend, logger, ...(opts.scheduler ?? { processEvery: config.jobs.pollMs, defaultLockLifetime: config.jobs.lockLifetimeMs }) });
  const adapter = createAdapter(config, { openIdMetadataUrl: opts.openIdMetadataUrl });
  const deps: Deps = {
    config,
    logger,
    store,
    scheduler,
    sealer: createSealer(key),
    cards: createCardRenderer(),
    proactive: createProactive({ adapter, botAppId: config.bot.appId, store, logger }),
    commands: new CommandCatalog(),
    microsoft: createMicrosoft(config, logger),
    now: opts.now ?? (() => new Date()),
  };
  const app = createBotApp(adapter, deps);
  const server = createServer({
    adapter,
    authenticate: createInboundAuthenticator(config, { openIdMetadataUrl: opts.openIdMetadataUrl }, adapter.authentication),
    app,
    logger,
    readiness: [
      { name: 'store', check: () => store.ping() },
      { name: 'scheduler', check: () => scheduler.ping() },
    ],
    routes: [authCallbackRoute(deps)],
  });
  await scheduler.start();
  await listen(server, config.port, config.host);
  const address = server.address();
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${address.port}`;
  logger.info({ url, store: store.kind, production: config.production }, 'Tenant Steward is listening');
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const stopped = await scheduler.stop();
      if (stopped.released.length) logger.warn({ released: stopped.released }, 'released running jobs to the next start');
      // The lowdb jobs file may still be mid-write (a job scheduled at start-up): let it land before we are "closed".
      if (!opened.db) await backend.disconnect();
      await store.close();
      logger.info('stopped');
    })());
  return { deps, server, url, close };
}

/** `npm run serve`: the bot alone, configured by .env. A bad setting prints one line and exits 1. */
async function runFromCommandLine(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(err.message + '\n');
      process.exit(1);
    }
    throw err;
  }
  const bot = await startBot(config);
  const shutdown = (signal: string) => {
    bot.deps.logger.info({ signal }, 'shutting down');
    bot.close().then(
      () => process.exit(0),
      (err: unknown) => {
        bot.deps.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runFromCommandLine().catch((err: unknown) => {
    process.stderr.write(`Tenant Steward failed to start: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
