/**
 * One classification for every error the Microsoft SDKs throw: @azure/identity AuthenticationError, msal-node
 * ServerError / InteractionRequiredAuthError / ClientAuthError, @azure/core-rest-pipeline RestError (ARM clients),
 * the Graph client's GraphError, and plain network errors. Also used for the `error` / `error_description` an
 * authorize redirect carries. Duck-typed on purpose: identity bundles its own copy of msal, so `instanceof` would
 * miss half of them.
 */

export type MicrosoftProblemKind =
  | 'expired'
  | 'revoked'
  | 'consentMissing'
  | 'conditionalAccess'
  | 'badSecret'
  | 'expiredSecret'
  | 'signInFrequency'
  | 'forbidden'
  | 'throttled'
  | 'network'
  /** The user pressed Cancel / declined consent (AADSTS65004, `access_denied` without another code). */
  | 'cancelled'
  /** The wrong tenant or account: unknown tenant, user not in tenant, a code for another tenant. */
  | 'wrongTenant'
  /** This one sign-in cannot be completed (code reused or expired, PKCE mismatch, redirect mismatch): start again. */
  | 'invalidGrant'
  | 'other';

export interface MicrosoftProblem {
  kind: MicrosoftProblemKind;
  /** The AADSTS number, when the error carried one. */
  aadsts?: number;
  /** HTTP status, when there was a response. */
  status?: number;
  /** Microsoft's error code (`invalid_grant`, `AuthorizationFailed`, `Authorization_RequestDenied`, …). */
  code?: string;
  /** What went wrong, in one line, with tokens and trace ids left out. */
  message: string;
  /** What to do about it, in one sentence. */
  fix: string;
}

const AADSTS_KIND: Record<number, MicrosoftProblemKind> = {
  700082: 'expired', // refresh token expired through inactivity
  70008: 'expired', // code or refresh token expired
  700084: 'expired', // SPA refresh token lifetime
  50173: 'revoked', // grant revoked (password change, revokeSignInSessions)
  50133: 'revoked', // session invalid after password change
  50132: 'revoked',
  50034: 'revoked', // the user no longer exists
  50057: 'revoked', // the user is disabled
  70043: 'signInFrequency',
  65001: 'consentMissing',
  65004: 'cancelled',
  90094: 'consentMissing', // admin consent required
  90095: 'consentMissing',
  500011: 'consentMissing', // resource principal not found in the tenant
  700016: 'consentMissing', // the app is not in the tenant
  53003: 'conditionalAccess',
  53000: 'conditionalAccess',
  53001: 'conditionalAccess',
  53002: 'conditionalAccess',
  7000215: 'badSecret',
  7000218: 'badSecret',
  7000222: 'expiredSecret',
  90002: 'wrongTenant',
  50020: 'wrongTenant',
  700005: 'wrongTenant',
  54005: 'invalidGrant',
  501481: 'invalidGrant',
  500112: 'invalidGrant',
  9002313: 'invalidGrant',
  70000: 'invalidGrant',
};

export const FIXES: Record<MicrosoftProblemKind, string> = {
  expired: 'The sign-in has expired: reconnect (type `connect`) to sign in again.',
  revoked: 'The sign-in was revoked (for example after a password reset or a session revocation): reconnect (type `connect`).',
  consentMissing: 'Consent is missing: a Global Administrator of that tenant must run `connect` and consent for the organisation.',
  conditionalAccess: 'A Conditional Access policy blocked the sign-in: ask your identity administrator to allow this app, or sign in from a compliant device or location.',
  badSecret: "The app's client secret is wrong: set ENTRA_APP_CLIENT_SECRET to the secret's value (not its id) and restart the bot.",
  expiredSecret: "The app's client secret has expired: create a new secret for the app registration, set ENTRA_APP_CLIENT_SECRET and restart the bot.",
  signInFrequency: 'A sign-in frequency policy requires a fresh sign-in: reconnect (type `connect`).',
  forbidden: 'The account or the app lacks a permission for this: check its Azure role or the consented Microsoft Graph permissions.',
  throttled: 'Microsoft is throttling requests: it will be retried shortly; nothing to do unless it keeps happening.',
  network: 'Microsoft could not be reached: check the network or proxy, then try again.',
  cancelled: 'The sign-in was cancelled, so nothing was granted or changed: type `connect` when you are ready.',
  wrongTenant: 'That sign-in was for another tenant or account: start again and sign in with an account of the tenant you mean.',
  invalidGrant: 'This sign-in could not be completed: start again from Teams with a fresh link.',
  other: 'Try again; if it keeps failing, an administrator should look at the bot log for this time.',
};

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'REQUEST_SEND_ERROR']);

interface Shaped {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  errorCode?: unknown;
  errorMessage?: unknown;
  errorNo?: unknown;
  statusCode?: unknown;
  status?: unknown;
  errorResponse?: { error?: unknown; errorDescription?: unknown };
  cause?: unknown;
}

/** Classifies any SDK error (or an authorize-redirect error, see {@link classifyAuthorizeError}). Never throws. */
export function classifyMicrosoftError(err: unknown): MicrosoftProblem {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as Shaped;
  const text = [e.errorResponse?.errorDescription, e.errorMessage, e.message].filter((t): t is string => typeof t === 'string' && t.length > 0).join(' ');
  const status = numberOf(e.statusCode) ?? numberOf(e.status);
  const code = stringOf(e.errorResponse?.error) ?? stringOf(e.errorCode) ?? stringOf(e.code);
  const aadsts = numberOf(e.errorNo) ?? aadstsOf(text);
  const message = cleanMessage(text) || (typeof e.name === 'string' ? e.name : 'Unknown error');
  if (/endpoints_resolution_error/.test(text) || code === 'endpoints_resolution_error') {
    // msal could not read the authority's metadata: an unknown tenant (AADSTS90002) or an unreachable login host.
    return { kind: 'wrongTenant', status, code: 'endpoints_resolution_error', message: 'The sign-in service could not resolve the tenant.', fix: 'Check the tenant id or domain, and that the login endpoint (AUTHORITY_HOST) is reachable.' };
  }
  const kind = kindOf({ aadsts, status, code, text, cause: e.cause });
  return { kind, aadsts, status, code, message, fix: FIXES[kind] };
}

/** Classifies the `error` / `error_description` query parameters of an authorize redirect. */
export function classifyAuthorizeError(error: string, description: string | undefined): MicrosoftProblem {
  const aadsts = aadstsOf(description ?? '');
  let kind: MicrosoftProblemKind = aadsts !== undefined ? AADSTS_KIND[aadsts] ?? 'other' : 'other';
  if (kind === 'other' && error === 'access_denied') kind = 'cancelled';
  if (kind === 'other' && error === 'consent_required') kind = 'consentMissing';
  if (kind === 'other' && error === 'interaction_required') kind = 'expired';
  // The redirect's text reaches our page and chat: links in it are dropped (it could be forged by the link holder),
  // scheme-relative and backslash forms too (`//evil.example`, `\\evil.example`, `/\evil.example`), which browsers resolve as links.
  const message = cleanMessage(description ?? '').replace(/(?:\b(?:https?|javascript|data|vbscript|file):|\/\/|\\\\|\/\\|\\\/)\S*/gi, '[link removed]');
  return { kind, aadsts, code: error.slice(0, 64), message: message || error.slice(0, 64), fix: FIXES[kind] };
}

function kindOf(p: { aadsts?: number; status?: number; code?: string; text: string; cause?: unknown }): MicrosoftProblemKind {
  if (p.aadsts !== undefined && AADSTS_KIND[p.aadsts]) return AADSTS_KIND[p.aadsts];
  if (p.status === 429 || p.code === 'TooManyRequests') return 'throttled';
  if (p.code && NETWORK_CODES.has(p.code)) return 'network';
  if (p.code === 'network_error' || p.code === 'ERR_TLS_CERT_ALTNAME_INVALID' || /fetch failed|socket hang up|network/i.test(p.text) && p.status === undefined) return 'network';
  if (p.status === 401) return /expired|lifetime/i.test(`${p.code ?? ''} ${p.text}`) ? 'expired' : 'revoked';
  if (p.status === 403) return 'forbidden';
  if (p.code === 'consent_required') return 'consentMissing';
  const cause = p.cause as Shaped | undefined;
  if (cause && typeof cause === 'object' && typeof cause.code === 'string' && NETWORK_CODES.has(cause.code)) return 'network';
  return 'other';
}

export function aadstsOf(text: string): number | undefined {
  const m = /AADSTS(\d{4,8})/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** First line, without the trace/correlation ids and timestamps Entra appends, and without anything token-like. */
function cleanMessage(text: string): string {
  return text
    .split(/\r?\n/)[0]
    .replace(/\s*Trace ID:.*$/i, '')
    .replace(/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[token]')
    .trim()
    .slice(0, 500);
}

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

function stringOf(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}
