import type { Config } from './config.js';
import type { Logger } from './logging.js';
import type { Store } from './store/port.js';
import type { Scheduler } from './jobs/scheduler-types.js';
import type { Sealer } from './security/sealer.js';
import type { CardRenderer } from './teams/cards.js';
import type { Proactive } from './teams/proactive.js';
import type { CommandCatalog } from './teams/commands.js';
import type { Microsoft } from './microsoft/index.js';

/** Everything a feature may use. Built once in main.ts (or a test) and passed to each feature's register(). */
export interface Deps {
  config: Config;
  logger: Logger;
  store: Store;
  scheduler: Scheduler;
  sealer: Sealer;
  cards: CardRenderer;
  proactive: Proactive;
  commands: CommandCatalog;
  /** Microsoft's login, ARM and Graph (or the emulator), as configured in config.microsoft. */
  microsoft: Microsoft;
  /** The clock: injected so that expiry logic can be tested without waiting. */
  now: () => Date;
}
