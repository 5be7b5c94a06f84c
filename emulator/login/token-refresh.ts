import type { Reply } from '../http/router.js';
import type { AppRegistration } from './apps.js';
import type { LoginEnv } from './env.js';
import { tokenErrors as E } from './errors.js';
import type { TokenResponse } from './issue.js';
import { issueDelegated } from './token-delegated.js';
import { isPartnerOf } from '../partner/relationships.js';
import type { TenantSegment } from './tenants.js';

/**
 * grant_type=refresh_token. Each use returns a new refresh token; the old one keeps working until it is revoked or
 * goes unused for the maximum inactive time, as in Entra. A partner-tenant user's refresh token may be redeemed at a
 * customer tenant of that partner (the CSP/GDAP double hop); any other cross-tenant use fails with AADSTS50020.
 */
export async function redeemRefreshToken(env: LoginEnv, seg: TenantSegment, app: AppRegistration, form: URLSearchParams): Promise<TokenResponse | Reply> {
  const token = form.get('refresh_token');
  if (!token) return E.missingParam('refresh_token');
  const grant = env.grants.findRefreshToken(token);
  if (!grant) return E.malformedGrant();
  if (grant.clientId !== app.appId) return E.grantForOtherClient();
  const { state, world } = env.deps;
  const now = state.now();
  const tokenTenantId = seg.kind === 'tenant' ? seg.tenant.id : grant.tenantId;
  if (tokenTenantId !== grant.tenantId && !isPartnerOf(world, grant.tenantId, tokenTenantId)) {
    const upn = world.user(grant.tenantId, grant.userId)?.userPrincipalName ?? grant.userId;
    return E.userNotInTenant(upn, world.tenant(tokenTenantId)?.displayName ?? tokenTenantId, app.appId);
  }
  const validFrom = state.revokedBefore.get(`${grant.tenantId}:${grant.userId}`);
  if (validFrom !== undefined && grant.authTime < validFrom) return E.grantRevoked(grant.authTime, validFrom);
  if (now - grant.issuedAt > env.refreshTokenMaxAgeMs) return E.refreshExpired(grant.issuedAt, env.refreshTokenMaxAgeMs);
  const frequency = env.signInFrequencyMs.get(tokenTenantId) ?? env.signInFrequencyMs.get(grant.tenantId);
  if (frequency !== undefined && now - grant.authTime > frequency) return E.signInFrequency(grant.authTime, frequency);
  return issueDelegated(env, {
    tokenTenantId,
    signIn: grant,
    app,
    scope: form.get('scope') ?? 'openid profile offline_access',
    multipleResources: 'reject',
  });
}
