import type { CredentialState } from '../../store/types.js';

/**
 * What a stored credential's failure means, read from the AADSTS code Entra put in the error (design.md,
 * "Microsoft facts": 700082, 50173, 70043, 65001, 53003, 7000215/7000222). Works on @azure/identity,
 * msal-node and raw token-endpoint errors alike: each carries "AADSTS<code>" in its message or body.
 */
export interface CredentialFailure {
  state: Extract<CredentialState, 'expired' | 'revoked' | 'missing' | 'blocked' | 'error'>;
  /** The AADSTS code, when there was one. */
  code?: number;
  /** Plain words: "refresh token expired through inactivity (AADSTS700082)". */
  reason: string;
  /** What to do, in one sentence. */
  fix: string;
  /** The failure is our app's client secret, whatever credential was being used when it surfaced. */
  concernsClientSecret: boolean;
}

export const RECONNECT_FIX = 'Reconnect: an admin of this tenant presses Reconnect and signs in again.';
const SECRET_FIX = "Tenant Steward's operator must add a new client secret to its app registration and configure it (ENTRA_APP_CLIENT_SECRET).";

interface Meaning {
  state: CredentialFailure['state'];
  reason: string;
  fix: string;
  secret?: boolean;
}

const MEANINGS: Record<number, Meaning> = {
  700082: { state: 'expired', reason: 'the refresh token expired through inactivity', fix: RECONNECT_FIX },
  70008: { state: 'expired', reason: 'the refresh token or code expired', fix: RECONNECT_FIX },
  70043: { state: 'expired', reason: "the sign-in is older than Conditional Access' sign-in frequency allows", fix: RECONNECT_FIX },
  50173: { state: 'revoked', reason: "the grant was revoked (the user's sessions were revoked or the password changed)", fix: RECONNECT_FIX },
  65001: { state: 'missing', reason: 'consent is missing: nobody in the tenant has consented to Tenant Steward (or it was removed)', fix: RECONNECT_FIX },
  700016: { state: 'missing', reason: 'Tenant Steward is not installed in the tenant (its service principal is gone)', fix: RECONNECT_FIX },
  53003: {
    state: 'blocked',
    reason: 'a Conditional Access policy blocks the sign-in',
    fix: 'Ask an Entra admin to let Tenant Steward through the Conditional Access policy, then Reconnect.',
  },
  7000222: { state: 'expired', reason: "Tenant Steward's client secret has expired", fix: SECRET_FIX, secret: true },
  7000215: { state: 'revoked', reason: "Tenant Steward's client secret is not valid (deleted or wrong value)", fix: SECRET_FIX, secret: true },
  7000218: { state: 'missing', reason: "Tenant Steward's client secret is not configured", fix: SECRET_FIX, secret: true },
  50034: { state: 'revoked', reason: 'the user who connected no longer exists in the directory', fix: RECONNECT_FIX },
  50057: { state: 'revoked', reason: 'the user who connected is disabled', fix: RECONNECT_FIX },
};

/** The first AADSTS code found in an error (message, errorMessage, body, error_codes), if any. */
export function aadstsCodeOf(err: unknown): number | undefined {
  const seen = new Set<unknown>();
  const texts: string[] = [];
  const collect = (v: unknown, depth: number) => {
    if (depth > 3 || v === null || v === undefined || seen.has(v)) return;
    if (typeof v === 'string') return void texts.push(v);
    if (typeof v === 'number') return void texts.push(`AADSTS${v}`);
    if (typeof v !== 'object') return;
    seen.add(v);
    const o = v as Record<string, unknown>;
    for (const key of ['message', 'errorMessage', 'errorDescription', 'error_description', 'errorResponse', 'body']) collect(o[key], depth + 1);
    for (const key of ['error_codes', 'errorCodes']) if (Array.isArray(o[key])) for (const c of o[key] as unknown[]) if (typeof c === 'number' || typeof c === 'string') texts.push(`AADSTS${c}`);
  };
  collect(err, 0);
  for (const t of texts) {
    const match = /AADSTS(\d{5,7})/.exec(t);
    if (match) return Number(match[1]);
  }
  return undefined;
}

/** Classifies why a stored credential could not be used. Unknown failures are 'error' (recorded, not announced). */
export function classifyCredentialFailure(err: unknown): CredentialFailure {
  const code = aadstsCodeOf(err);
  const meaning = code === undefined ? undefined : MEANINGS[code];
  if (!meaning) {
    return {
      state: 'error',
      code,
      reason: code === undefined ? `the check failed: ${shortMessage(err)}` : `Entra refused with AADSTS${code}`,
      fix: 'Nothing to do yet: the next check retries; if it keeps failing, Reconnect.',
      concernsClientSecret: false,
    };
  }
  return { state: meaning.state, code, reason: `${meaning.reason} (AADSTS${code})`, fix: meaning.fix, concernsClientSecret: meaning.secret === true };
}

/** The first line of an error message, shortened; never the request that carried a secret. */
function shortMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const line = text.split('\n')[0].trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
