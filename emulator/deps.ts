import type { World } from './world/types.js';
import type { EmulatorState } from './state.js';
import type { TokenService } from './auth/tokens.js';

/** Base URLs of the emulated services; each is its own HTTPS origin, as Microsoft's are. */
export interface EmulatorUrls {
  /** Entra ID authority host, e.g. https://127.0.0.1:PORT (tenant goes in the path). */
  authority: string;
  arm: string;
  graph: string;
  partnerCenter: string;
}

/**
 * Public-cloud resource identifiers. Tokens carry these as `aud`, because clients ask for
 * `https://management.azure.com/.default` etc. whatever host they send requests to.
 */
export const RESOURCE_IDS = {
  arm: ['https://management.azure.com', 'https://management.azure.com/', 'https://management.core.windows.net/'],
  graph: ['https://graph.microsoft.com', 'https://graph.microsoft.com/', '00000003-0000-0000-c000-000000000000'],
  partnerCenter: ['https://api.partnercenter.microsoft.com', 'https://api.partnercenter.microsoft.com/', 'fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd'],
} as const;

/** What every service module receives. */
export interface ServiceDeps {
  world: World;
  state: EmulatorState;
  tokens: TokenService;
  urls: EmulatorUrls;
}
