import type { CredentialState } from '../../store/types.js';
import { MicrosoftRestError } from '../../microsoft/rest.js';
import { PARTNER_CENTER_MFA_REQUIRED } from '../../microsoft/partner-center.js';
import { classifyCredentialFailure } from '../health/credential-errors.js';
import { PartnerLinkMissing } from './credential.js';

/** Why the partner's Partner Center token failed, and whether a person must link it again. */
export interface PartnerProblem {
  state: Extract<CredentialState, 'expired' | 'revoked' | 'missing' | 'blocked' | 'error'>;
  /** What happened, in plain words, with the Microsoft code. */
  reason: string;
  /** A partner admin must sign in again (`connect partner`): nothing else brings the token back. */
  reconsent: boolean;
  fix: string;
  /** A passing failure (network, throttling, outage): retried, not announced. */
  transient: boolean;
}

export const RELINK_FIX = 'A partner admin types `connect partner <Microsoft ID>` and signs in again with MFA (Privileged Role Administrator with the Admin Agent role); the new token replaces the old one.';

/**
 * Classifies a failure of the partner's token: the 90-day expiry (AADSTS700082), a revoked grant (50173), a
 * permission change (65001 consent missing, or Partner Center's 403 when the account lost the Admin Agent role),
 * a missing MFA claim (Partner Center 401, code 900421), Conditional Access (53003), our client secret; anything
 * else is transient.
 */
export function classifyPartnerFailure(err: unknown): PartnerProblem {
  if (err instanceof PartnerLinkMissing) return { state: 'missing', reason: err.message, reconsent: true, fix: RELINK_FIX, transient: false };
  if (err instanceof MicrosoftRestError && (err.statusCode === 401 || err.statusCode === 403)) {
    if (err.statusCode === 401 && Number(err.code) === PARTNER_CENTER_MFA_REQUIRED) {
      return { state: 'missing', reason: `missing MFA claim: Partner Center requires multi-factor authentication for app+user calls, and the token was issued without it (Partner Center ${PARTNER_CENTER_MFA_REQUIRED})`, reconsent: true, fix: RELINK_FIX, transient: false };
    }
    if (err.statusCode === 403) {
      return { state: 'missing', reason: `permission change: Partner Center refused the account (${err.message}); it needs the Admin Agent role in the partner's tenant`, reconsent: true, fix: RELINK_FIX, transient: false };
    }
    return { state: 'revoked', reason: `Partner Center refused the token (${err.message})`, reconsent: true, fix: RELINK_FIX, transient: false };
  }
  const f = classifyCredentialFailure(err);
  if (f.state === 'error') return { state: 'error', reason: f.reason, reconsent: false, fix: 'Nothing to do yet: it is retried, and tomorrow night again.', transient: true };
  if (f.concernsClientSecret) return { state: f.state, reason: f.reason, reconsent: false, fix: f.fix, transient: false };
  if (f.code === 700082) return { state: 'expired', reason: `90-day expiry: the refresh token was not used for 90 days and has expired (AADSTS700082)`, reconsent: true, fix: RELINK_FIX, transient: false };
  if (f.code === 65001) return { state: 'missing', reason: 'permission change: consent for the permissions Tenant Steward asks for is missing or was removed (AADSTS65001)', reconsent: true, fix: RELINK_FIX, transient: false };
  if (f.state === 'blocked') {
    return { state: 'blocked', reason: f.reason, reconsent: false, fix: "Ask the partner's Entra admin to exclude the partner service account (or Tenant Steward) from the Conditional Access policy that blocks it; the token works again once allowed.", transient: false };
  }
  return { state: f.state, reason: f.reason, reconsent: true, fix: RELINK_FIX, transient: false };
}
