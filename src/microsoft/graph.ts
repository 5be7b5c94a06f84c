import type { TokenCredential } from '@azure/core-auth';
import { Client } from '@microsoft/microsoft-graph-client';
// Under native ESM the auth provider is only reachable by its explicit file path.
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import type { MicrosoftEndpoints } from './endpoints.js';

/**
 * The official Graph client for one credential. `baseUrl` is the Graph origin (the client appends the version,
 * `v1.0` by default), and `customHosts` holds its HOSTNAME: the client only sends the bearer token to Microsoft's
 * own hosts and to those, compared without the port.
 */
export function graphClient(endpoints: MicrosoftEndpoints, credential: TokenCredential): Client {
  const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: [endpoints.scopes.graph] });
  return Client.initWithMiddleware({
    authProvider,
    baseUrl: endpoints.graph,
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(endpoints.graph).hostname]),
  });
}

/** Our service principal's object id in the client's tenant (`servicePrincipals(appId='…')`, Application.Read.All). */
export async function servicePrincipalObjectId(client: Client, appId: string): Promise<string> {
  const sp = (await client.api(`/servicePrincipals(appId='${encodeURIComponent(appId)}')`).select(['id']).get()) as { id?: string };
  if (!sp.id) throw new Error(`Graph returned no id for the service principal of app ${appId}`);
  return sp.id;
}

/** The tenant's display name and default domain (`organization`, Organization.Read.All). */
export async function organizationOf(client: Client): Promise<{ id: string; displayName: string; defaultDomain?: string } | undefined> {
  const page = (await client.api('/organization').select(['id', 'displayName', 'verifiedDomains']).get()) as {
    value?: { id: string; displayName: string; verifiedDomains?: { name: string; isDefault?: boolean }[] }[];
  };
  const org = page.value?.[0];
  if (!org) return undefined;
  return { id: org.id, displayName: org.displayName, defaultDomain: org.verifiedDomains?.find((d) => d.isDefault)?.name };
}
