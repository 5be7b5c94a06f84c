import type { Ctx, Reply } from '../http/router.js';
import { partnerCenterError } from '../http/errors.js';
import { RESOURCE_IDS, type ServiceDeps } from '../deps.js';
import type { TokenClaims } from '../auth/tokens.js';

export interface PartnerCaller {
  claims: TokenClaims;
  /** App+user (delegated) rather than app-only. */
  delegated: boolean;
}

/** Partner Center rejects app+user calls whose token lacks the MFA claim with 401 and this code. */
export const MFA_REQUIRED_CODE = 900421;

/**
 * Partner Center's checks on the bearer token: signature, expiry and audience; the caller's tenant must be the
 * partner's; an app+user token must carry `amr` with `mfa` and come from a partner admin (Admin Agent).
 */
export async function authenticatePartner(ctx: Ctx, deps: ServiceDeps): Promise<PartnerCaller | Reply> {
  const m = /^Bearer\s+(\S+)$/i.exec(ctx.headers.authorization ?? '');
  const challenge = { 'WWW-Authenticate': 'Bearer' };
  if (!m) return partnerCenterError(401, 401, 'Unauthorized: Invalid Authorization header', challenge);
  const result = await deps.tokens.verify(m[1], [...RESOURCE_IDS.partnerCenter, deps.urls.partnerCenter]);
  if (!result.ok) {
    const why = result.reason === 'expired' ? 'Unauthorized: The access token has expired' : 'Unauthorized: Invalid Authorization header';
    return partnerCenterError(401, 401, why, challenge);
  }
  const c = result.claims;
  const { world } = deps;
  if (c.tid.toLowerCase() !== world.partner.tenantId.toLowerCase())
    return partnerCenterError(403, 403, `Forbidden: tenant '${c.tid}' is not a Partner Center partner account.`);
  const delegated = c.idtyp === 'user' || (c.idtyp !== 'app' && typeof c.scp === 'string');
  if (delegated) {
    if (!(c.amr ?? []).includes('mfa'))
      return partnerCenterError(401, MFA_REQUIRED_CODE, 'Multi-factor authentication is required. The access token does not contain the MFA claim; sign in with MFA and request a new token.', challenge);
    if (!world.admins(c.tid).some((u) => u.id.toLowerCase() === c.oid.toLowerCase()))
      return partnerCenterError(403, 403, 'Forbidden: the signed-in user does not have the Admin Agent role in Partner Center.');
  }
  return { claims: c, delegated };
}
