import type { Deps } from '../../deps.js';
import { graphPageReader, type GraphPageReader } from '../../microsoft/graph-pages.js';
import type { RetryOptions } from '../../microsoft/retry.js';
import type { Tenant } from '../../store/types.js';
import { exchangePartnerToken, findPartnerTenant, PartnerLinkMissing } from '../partner/credential.js';

/** How the import reaches a tenant's Graph. */
export type ImportAccess =
  /** Our app's client credentials in that tenant (a tenant connected directly, with admin consent). */
  | { kind: 'app' }
  /** The CSP partner's app+user token, exchanged for the customer tenant (seed 002's "double hop"). */
  | { kind: 'partner'; partnerTenantId: string };

/**
 * Which access a tenant's import uses: app-only when the tenant consented to our app (the least-privilege path,
 * not subject to user Conditional Access), else the partner's token for a CSP customer. Undefined when neither
 * exists (e.g. a partner tenant linked only for Partner Center).
 */
export function importAccessOf(tenant: Tenant): ImportAccess | undefined {
  if (tenant.credentials.graphConsent || tenant.credentials.azureConsent) return { kind: 'app' };
  const partnerTenantId = tenant.partnerCenter?.partnerTenantId;
  if (tenant.partnerCenter?.role === 'customer' && partnerTenantId) return { kind: 'partner', partnerTenantId };
  return undefined;
}

export function describeAccess(access: ImportAccess | undefined): string {
  if (!access) return 'none';
  return access.kind === 'app' ? 'app-only (admin consent)' : 'Partner Center app+user token (CSP double hop)';
}

/**
 * A Graph page reader for the tenant. For a CSP customer it first exchanges the partner's refresh token at the
 * customer's token endpoint (and stores the rotated refresh token); a failure there is thrown as msal's error
 * (AADSTS53003 when Conditional Access blocks the partner's account).
 */
export async function graphReaderFor(deps: Deps, tenant: Tenant, access: ImportAccess, retry: RetryOptions & { maxPageSize?: number } = {}): Promise<GraphPageReader> {
  const options = { maxPageSize: 999, ...retry };
  if (access.kind === 'app') return graphPageReader(deps.microsoft.graph(deps.microsoft.appCredential(tenant.id)), options);
  const partner = await findPartnerTenant(deps, tenant.workspaceId, access.partnerTenantId);
  if (!partner) throw new PartnerLinkMissing('The CSP partner that reaches this customer is no longer linked: an admin types `connect partner <Microsoft ID>`.');
  const { grant } = await exchangePartnerToken(deps, partner, tenant.id, deps.microsoft.endpoints.scopes.graph);
  return graphPageReader(deps.microsoft.graph(deps.microsoft.delegatedCredential(grant.accessToken, grant.expiresOn)), options);
}
