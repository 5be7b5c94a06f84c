import { classifyMicrosoftError, type MicrosoftProblemKind } from '../../microsoft/index.js';
import type { CredentialState } from '../../store/types.js';

/**
 * What a stored credential's failure means for its health state. The AADSTS reading is src/microsoft's
 * classifyMicrosoftError (one mapping for the whole bot: 700082, 50173, 70043, 65001, 53003, 7000215/7000222, …);
 * this adds the credential state, plain words for the card, and whether the fault is our client secret.
 */
export interface CredentialFailure {
  state: Extract<CredentialState, 'expired' | 'revoked' | 'missing' | 'blocked' | 'error'>;
  /** The AADSTS code, when there was one. */
  code?: number;
  /** Plain words: "the refresh token expired (AADSTS700082)". */
  reason: string;
  /** What to do, in one sentence. */
  fix: string;
  /** The failure is our app's client secret, whatever credential was being used when it surfaced. */
  concernsClientSecret: boolean;
}

export const RECONNECT_FIX = 'Reconnect: an admin of this tenant presses Reconnect and signs in again.';
export const SECRET_FIX = "Tenant Steward's operator must add a new client secret to its app registration and configure it (ENTRA_APP_CLIENT_SECRET).";

interface Meaning {
  state: CredentialFailure['state'];
  reason: string;
  fix: string;
  secret?: true;
}

const MEANINGS: Partial<Record<MicrosoftProblemKind, Meaning>> = {
  expired: { state: 'expired', reason: 'the refresh token expired (unused for too long)', fix: RECONNECT_FIX },
  signInFrequency: { state: 'expired', reason: "the sign-in is older than Conditional Access' sign-in frequency allows", fix: RECONNECT_FIX },
  revoked: { state: 'revoked', reason: "the grant was revoked (the user's sessions were revoked, the password changed, or the user is gone)", fix: RECONNECT_FIX },
  consentMissing: { state: 'missing', reason: 'consent is missing: Tenant Steward is not (or no longer) consented in the tenant', fix: RECONNECT_FIX },
  conditionalAccess: {
    state: 'blocked',
    reason: 'a Conditional Access policy blocks the sign-in',
    fix: 'Ask an Entra admin to let Tenant Steward through the Conditional Access policy, then Reconnect.',
  },
  expiredSecret: { state: 'expired', reason: "Tenant Steward's client secret has expired", fix: SECRET_FIX, secret: true },
  badSecret: { state: 'revoked', reason: "Tenant Steward's client secret is not valid (deleted, wrong or missing)", fix: SECRET_FIX, secret: true },
};

/** Classifies why a stored credential could not be used. Other failures are 'error' (recorded, not announced). */
export function classifyCredentialFailure(err: unknown): CredentialFailure {
  const problem = classifyMicrosoftError(err);
  const code = problem.aadsts;
  const meaning = MEANINGS[problem.kind];
  if (!meaning) {
    return {
      state: 'error',
      code,
      reason: `the check failed (${problem.kind}): ${problem.message.slice(0, 200)}`,
      fix: 'Nothing to do yet: the next check retries; if it keeps failing, Reconnect.',
      concernsClientSecret: false,
    };
  }
  return { state: meaning.state, code, reason: `${meaning.reason}${code ? ` (AADSTS${code})` : ''}`, fix: meaning.fix, concernsClientSecret: meaning.secret === true };
}
