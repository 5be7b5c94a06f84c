import { ResponseType } from '@microsoft/microsoft-graph-client';
import { appCredential } from '../../microsoft/credentials.js';
import type { MicrosoftEndpoints } from '../../microsoft/endpoints.js';
import { graphClient } from '../../microsoft/graph.js';
import { graphPageReader, type GraphPage, type GraphPageReaderOptions } from '../../microsoft/graph-pages.js';
import { withRetries } from '../../microsoft/retry.js';

/** The customer's own app registration (seed 003: client ID, client secret, tenant ID). */
export interface SaasAppCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

/** What SaaS discovery asks of Graph, app-only, in the customer's tenant. */
export interface SaasGraph {
  /** A fresh app-only Graph access token (the doctor decodes its `roles`). Rejects with Entra's AADSTS error. */
  token(): Promise<string>;
  /** One page of a collection (a path, or a nextLink as Graph gave it), retried on throttling and resets. */
  page<T>(url: string): Promise<GraphPage<T>>;
  /** One JSON resource, retried likewise. */
  get<T>(url: string): Promise<T>;
  /** A text download (the usage report's CSV, reached through Graph's redirect). */
  text(url: string): Promise<string>;
}

/**
 * Graph for one SaaS connection, through the facade's credential and client (customHosts = Graph's hostname).
 * A new credential each time it is opened, so a secret that was revoked is noticed at once, not after an hour.
 */
export function openSaasGraph(endpoints: MicrosoftEndpoints, app: SaasAppCredentials, opts: GraphPageReaderOptions = {}): SaasGraph {
  const credential = appCredential(endpoints, { clientId: app.clientId, clientSecret: app.clientSecret }, app.tenantId);
  const client = graphClient(endpoints, credential);
  const reader = graphPageReader(client, { maxPageSize: 999, ...opts });
  return {
    async token() {
      const token = await credential.getToken(endpoints.scopes.graph);
      if (!token) throw new Error('Entra returned no token');
      return token.token;
    },
    page: <T>(url: string) => reader<T>(url),
    get: <T>(url: string) => withRetries(async () => (await client.api(url).get()) as T, opts),
    text: (url: string) => withRetries(async () => String(await client.api(url).responseType(ResponseType.TEXT).get()), opts),
  };
}
