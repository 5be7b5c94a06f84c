import type { Deps } from '../../deps.js';
import type { DelegatedGrant } from '../../microsoft/index.js';
import type { CredentialStatus, Tenant } from '../../store/types.js';
import { credentialSealContext, REFRESH_TOKEN_LIFETIME_DAYS } from '../health/credentials.js';

/**
 * The partner's app+user refresh token (seed 004): kept on the partner tenant's record as credential
 * `partnerCenterRefreshToken`, sealed (context: credentialSealContext), with the time it was issued. Every use
 * returns a new one, which replaces it, so the 90 days of inactivity never run out while the nightly refresh works.
 */
export const PARTNER_CREDENTIAL = 'partnerCenterRefreshToken' as const;
const DAY_MS = 86_400_000;

export type CredentialDeps = Pick<Deps, 'store' | 'sealer' | 'now' | 'microsoft'>;

/** The stored token in the clear, for one exchange; throws a plain message when there is none or it cannot be read. */
export function unsealPartnerToken(deps: Pick<Deps, 'sealer'>, partner: Tenant): string {
  const status = partner.credentials[PARTNER_CREDENTIAL];
  if (!status?.sealed) throw new PartnerLinkMissing(`Partner Center is not linked for ${partner.displayName}: an admin types \`connect partner <Microsoft ID>\`.`);
  try {
    return deps.sealer.unseal(status.sealed, credentialSealContext(partner.workspaceId, partner.id, PARTNER_CREDENTIAL));
  } catch {
    throw new PartnerLinkMissing('The stored Partner Center token cannot be decrypted (the sealing key changed?): link Partner Center again with `connect partner`.');
  }
}

/** The credential status for a freshly issued refresh token (state ok, 90 days from now). */
export function freshPartnerCredential(deps: Pick<Deps, 'sealer' | 'now'>, partner: Pick<Tenant, 'workspaceId' | 'id'>, refreshToken: string, prev?: CredentialStatus, detail?: string): CredentialStatus {
  const at = deps.now();
  return {
    ...prev,
    state: 'ok',
    sealed: deps.sealer.seal(refreshToken, credentialSealContext(partner.workspaceId, partner.id, PARTNER_CREDENTIAL)),
    issuedAt: at.toISOString(),
    updatedAt: at.toISOString(),
    expiresAt: new Date(at.getTime() + REFRESH_TOKEN_LIFETIME_DAYS * DAY_MS).toISOString(),
    ...(detail ? { detail } : {}),
  };
}

/**
 * Replaces the stored refresh token with a rotated one, compare-and-set on `updatedAt` so that a concurrent writer
 * (another exchange, a new link) is not overwritten with stale fields; on a lost race the newer record wins, which
 * is fine: every refresh token issued stays valid until it is unused for 90 days.
 */
export async function storeRotatedToken(deps: Pick<Deps, 'store' | 'sealer' | 'now'>, partner: Tenant, refreshToken: string): Promise<Tenant> {
  const prev = partner.credentials[PARTNER_CREDENTIAL];
  const next: Tenant = {
    ...partner,
    credentials: { ...partner.credentials, [PARTNER_CREDENTIAL]: freshPartnerCredential(deps, partner, refreshToken, prev, prev?.detail) },
    updatedAt: deps.now().toISOString(),
  };
  const stored = await deps.store.tenants.replaceIf(next, { updatedAt: partner.updatedAt ?? null });
  return stored ? next : ((await deps.store.tenants.get(partner.workspaceId, partner.id)) ?? next);
}

/** The partner tenant record of the workspace (the one holding the Partner Center token), if linked. */
export async function findPartnerTenant(deps: Pick<Deps, 'store'>, workspaceId: string, partnerTenantId?: string): Promise<Tenant | undefined> {
  if (partnerTenantId) {
    const t = await deps.store.tenants.get(workspaceId, partnerTenantId);
    return t?.credentials[PARTNER_CREDENTIAL] ? t : undefined;
  }
  return (await deps.store.tenants.find(workspaceId)).find((t) => t.partnerCenter?.role === 'partner' && t.credentials[PARTNER_CREDENTIAL]);
}

/**
 * Exchanges the partner's refresh token for an access token to `scope` in `tenantId`: the partner tenant itself
 * (Partner Center) or a customer tenant (the CSP "double hop": `/{customer}/oauth2/v2.0/token`). The rotated refresh
 * token is stored. Errors are msal's (classify them with classifyMicrosoftError / classifyCredentialFailure).
 */
export async function exchangePartnerToken(deps: CredentialDeps, partner: Tenant, tenantId: string, scope: string): Promise<{ grant: DelegatedGrant; partner: Tenant }> {
  const refreshToken = unsealPartnerToken(deps, partner);
  const grant = await deps.microsoft.authCode.refresh({ tenant: tenantId, refreshToken, scopes: [scope] });
  const updated = grant.refreshToken && grant.refreshToken !== refreshToken ? await storeRotatedToken(deps, partner, grant.refreshToken) : partner;
  return { grant, partner: updated };
}

/** No usable Partner Center link: the message says what to do. */
export class PartnerLinkMissing extends Error {
  override name = 'PartnerLinkMissing';
}
