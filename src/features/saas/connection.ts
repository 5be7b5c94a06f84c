import type { Sealer } from '../../security/sealer.js';
import type { Store } from '../../store/port.js';
import type { CredentialStatus, SaasConnection, Tenant } from '../../store/types.js';
import type { SaasAppCredentials } from './graph.js';

/** A tenant that has SaaS discovery connected. */
export type SaasTenant = Tenant & { saas: SaasConnection };

/**
 * The sealing context of the customer's client secret: the workspace, the tenant and the purpose, so a sealed
 * secret copied onto another record (or another credential of this one) fails to unseal.
 */
export function saasSecretSealContext(workspaceId: string, tenantId: string): string {
  return `saas-client-secret/${workspaceId}/${tenantId}`;
}

export function hasSaas(tenant: Tenant | undefined): tenant is SaasTenant {
  return Boolean(tenant?.saas);
}

export async function saasTenants(store: Store, workspaceId: string): Promise<SaasTenant[]> {
  return (await store.tenants.find(workspaceId)).filter(hasSaas);
}

/** The state of the customer's client secret (the tenant's `saasClientSecret` credential). */
export function saasSecretOf(tenant: Tenant): CredentialStatus {
  return tenant.credentials.saasClientSecret ?? { state: 'missing', updatedAt: tenant.updatedAt ?? tenant.consentedAt, detail: 'no client secret stored' };
}

/** The app registration's credentials, the secret unsealed in memory only for the calls that need it. */
export function saasCredentials(sealer: Sealer, tenant: SaasTenant): SaasAppCredentials {
  const sealed = tenant.credentials.saasClientSecret?.sealed;
  if (!sealed) throw new Error('the SaaS connection holds no client secret: run `connect saas` again');
  return { tenantId: tenant.id, clientId: tenant.saas.clientId, clientSecret: sealer.unseal(sealed, saasSecretSealContext(tenant.workspaceId, tenant.id)) };
}

/**
 * Read-modify-write of a tenant record with compare-and-set on `updatedAt`, so that a concurrent writer (connect,
 * health) is never overwritten with a stale copy. `change` gets the latest record; it returns undefined to skip.
 */
export async function updateTenant(store: Store, workspaceId: string, tenantId: string, change: (tenant: Tenant) => Tenant | undefined, now: () => Date): Promise<Tenant | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await store.tenants.get(workspaceId, tenantId);
    if (!current) return undefined;
    const next = change(structuredClone(current));
    if (!next) return current;
    const written = { ...next, updatedAt: now().toISOString() };
    if (written.updatedAt === current.updatedAt) written.updatedAt = new Date(Date.parse(written.updatedAt) + 1).toISOString();
    if (await store.tenants.replaceIf(written, { updatedAt: current.updatedAt ?? null })) return written;
  }
  throw new Error(`tenant ${tenantId} kept changing under us; try again`);
}
