import { humanDuration, utcTime } from './duration.js';

/**
 * Diagnosis of an Azure access token someone pasted (issue 4, "Token diagnosis"; seed 001). Decoding only: the
 * bot does not verify the signature, so "valid" means well-formed and in date, not "Azure will accept it".
 * Nothing here logs or returns the token itself: {@link TokenDiagnosis.hint} is a short, safe prefix.
 */
export type TokenDiagnosis = IncompleteToken | ExpiredToken | ValidToken;

interface Common {
  /** What to do, in one sentence. */
  fix: string;
  /** First characters and length ("eyJ0eXAiOi… (1 482 characters)"), so the user knows which token was read. */
  hint: string;
}

export interface IncompleteToken extends Common {
  verdict: 'incomplete';
  /** Why it is not a whole token, in plain words. */
  reason: string;
}

/** Claims read from a token that decoded cleanly. */
export interface TokenClaims {
  tenantId?: string;
  audience?: string;
  /** upn, unique_name or preferred_username for a user; the app id for an app-only token. */
  who?: string;
  whoKind?: 'user' | 'app';
  issuedAt?: Date;
  notBefore?: Date;
  expiresAt: Date;
}

export interface ExpiredToken extends Common, TokenClaims {
  verdict: 'expired';
  /** "3 hours 12 minutes". */
  expiredFor: string;
}

export interface ValidToken extends Common, TokenClaims {
  verdict: 'valid';
  /** "45 minutes". */
  expiresIn: string;
  /** Set when `nbf` is still in the future. */
  notYetValid?: boolean;
}

export const FIXES = {
  incomplete: 'Copy the token again, in full: sign in to the Azure portal (or rerun the command that printed it) and copy the whole value.',
  expired: 'Generate a new token: this one cannot be renewed.',
  valid: 'Nothing to fix in the token itself; if Azure still rejects it, it was revoked: generate a new token, or reconnect the tenant.',
} as const;

/** Shown with every diagnosis: the token is now in the chat history. */
export const PASTED_TOKEN_WARNING =
  'A token pasted into a chat message stays in the chat history, where anyone in this chat can read it until it expires: delete your message now.';

/** Signature sizes in bytes per JWS algorithm; a shorter (or odd) signature means the copy was cut off. */
const SIGNATURE_BYTES: Record<string, readonly number[]> = {
  RS256: [256, 384, 512], RS384: [256, 384, 512], RS512: [256, 384, 512],
  PS256: [256, 384, 512], PS384: [256, 384, 512], PS512: [256, 384, 512],
  ES256: [64], ES384: [96], ES512: [132], HS256: [32], HS384: [48], HS512: [64],
};

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Cleans what a chat turns a pasted token into: a `Bearer ` prefix, quotes, HTML the client added, line breaks
 * inserted by wrapping. A JWT holds none of these characters, so removing them cannot damage a real token.
 */
export function normaliseTokenInput(raw: string): string {
  return raw
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/gi, '')
    .replace(/\s+/g, '')
    .replace(/^["'`]+|["'`]+$/g, '')
    .replace(/^bearer(?=ey)/i, '');
}

export function tokenHint(token: string): string {
  return token.length === 0 ? '(empty)' : `${token.slice(0, 10)}${token.length > 10 ? '…' : ''} (${token.length} characters)`;
}

/** Classifies a pasted token as incomplete, expired or valid at `now`. */
export function diagnoseToken(raw: string, now: Date): TokenDiagnosis {
  const token = normaliseTokenInput(raw);
  const hint = tokenHint(token);
  const incomplete = (reason: string): IncompleteToken => ({ verdict: 'incomplete', reason, fix: FIXES.incomplete, hint });
  if (!token) return incomplete('There is no token in the message.');
  const parts = token.split('.');
  if (parts.length === 5) return incomplete('This is an encrypted token (JWE, five parts), not an Azure access token, which has three.');
  if (parts.length !== 3) {
    return incomplete(parts.length < 3
      ? `A token has three parts separated by dots; this one has ${parts.length}: the end is missing.`
      : `A token has three parts separated by dots; this one has ${parts.length}: it is not one token.`);
  }
  const [headerPart, payloadPart, signaturePart] = parts;
  if (!signaturePart) return incomplete('The signature (the part after the second dot) is missing: the copy stopped short.');
  for (const [name, part] of [['header', headerPart], ['payload', payloadPart], ['signature', signaturePart]] as const) {
    if (!BASE64URL.test(part) || part.length % 4 === 1) return incomplete(`The ${name} is not valid base64url: characters are missing or foreign ones crept in.`);
  }
  const header = decodeJson(headerPart);
  if (!header || typeof header.alg !== 'string') return incomplete('The header does not decode to a token header: the start is damaged or missing.');
  const payload = decodeJson(payloadPart);
  if (!payload) return incomplete('The payload does not decode to JSON: part of the middle is missing.');
  const expected = SIGNATURE_BYTES[header.alg];
  const signatureBytes = Buffer.from(signaturePart, 'base64url').length;
  if (expected && !expected.includes(signatureBytes)) {
    return incomplete(`The signature is ${signatureBytes} bytes where ${header.alg} makes ${expected.join(' or ')}: the end was cut off.`);
  }
  if (typeof payload.exp !== 'number') return incomplete('The token has no expiry (exp claim), so it is not an Azure access token.');
  const claims = readClaims(payload, payload.exp);
  const remaining = claims.expiresAt.getTime() - now.getTime();
  if (remaining <= 0) return { verdict: 'expired', ...claims, expiredFor: humanDuration(remaining), fix: FIXES.expired, hint };
  const notYetValid = claims.notBefore !== undefined && claims.notBefore.getTime() > now.getTime();
  return { verdict: 'valid', ...claims, expiresIn: humanDuration(remaining), ...(notYetValid ? { notYetValid } : {}), fix: FIXES.valid, hint };
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function readClaims(payload: Record<string, unknown>, exp: number): TokenClaims {
  const text = (key: string) => (typeof payload[key] === 'string' && payload[key] ? (payload[key] as string) : undefined);
  const time = (key: string) => (typeof payload[key] === 'number' ? new Date((payload[key] as number) * 1000) : undefined);
  const audience = Array.isArray(payload.aud) ? payload.aud.filter((a) => typeof a === 'string').join(', ') : text('aud');
  const user = text('upn') ?? text('unique_name') ?? text('preferred_username');
  const app = text('appid') ?? text('azp');
  const who = user ?? (app ? `app ${app}${text('app_displayname') ? ` (${text('app_displayname')})` : ''}` : undefined);
  return {
    tenantId: text('tid'),
    audience: audience || undefined,
    who,
    whoKind: user ? 'user' : app ? 'app' : undefined,
    issuedAt: time('iat'),
    notBefore: time('nbf'),
    expiresAt: new Date(exp * 1000),
  };
}

/** One-line summaries for a plain-text reply (the card shows the same facts). */
export function describeDiagnosis(d: TokenDiagnosis): string[] {
  if (d.verdict === 'incomplete') return [`**Incomplete token.** ${d.reason}`, `Fix: ${d.fix}`];
  const facts = [
    d.tenantId && `tenant ${d.tenantId}`,
    d.audience && `audience ${d.audience}`,
    d.who && `for ${d.who}`,
  ].filter(Boolean).join(', ');
  if (d.verdict === 'expired') return [`**Expired** ${d.expiredFor} ago (at ${utcTime(d.expiresAt)}); ${facts}.`, `Fix: ${d.fix}`];
  return [`**Valid** until ${utcTime(d.expiresAt)} (in ${d.expiresIn}); ${facts}.`, 'The bot only decodes the token; it does not verify its signature.', `Fix: ${d.fix}`];
}
