import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import type { Emulator } from '../../emulator/index.js';
import { openLowdbStore, type Store } from '../../src/store/index.js';
import { graphPageReader, type GraphPageReaderOptions } from '../../src/microsoft/graph-pages.js';

/** A lowdb store in a fresh temp dir; `close()` also removes the dir. */
export async function tempStore(): Promise<{ store: Store; dataDir: string; close(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ts-m365-'));
  const store = await openLowdbStore({ dataDir });
  return {
    store,
    dataDir,
    async close() {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The official Graph client with our app's app-only token in `tenantId`, as the bot builds it for a direct tenant. */
export function appGraphClient(emu: Emulator, tenantId: string): Client {
  const credential = new ClientSecretCredential(tenantId, emu.demoApp.clientId, emu.demoApp.clientSecret, { authorityHost: emu.urls.authority, disableInstanceDiscovery: true });
  const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: ['https://graph.microsoft.com/.default'] });
  return Client.initWithMiddleware({ authProvider, baseUrl: emu.urls.graph, customHosts: new Set([new URL(emu.urls.graph).hostname]) });
}

export function appPageReader(emu: Emulator, tenantId: string, opts: GraphPageReaderOptions = {}) {
  return graphPageReader(appGraphClient(emu, tenantId), { baseDelayMs: 1, ...opts });
}

/** Requests the bot made to users/delta, in order. */
export function deltaRequests(emu: Emulator) {
  return emu.control.requests('graph').filter((r) => r.url.startsWith('/v1.0/users/delta'));
}
