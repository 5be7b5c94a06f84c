import type { CredentialKind, CredentialState, CredentialStatus } from '../../store/types.js';
import { DAY_MS } from './duration.js';

/** What one health check found for one credential. */
export interface Observation {
  state: CredentialState;
  detail?: string;
  expiresAt?: string;
  /** A new sealed secret to keep (a rotated refresh token); absent keeps the stored one. */
  sealed?: string;
  /** The AADSTS code behind a failure, for the audit. */
  code?: number;
}

/** Reminders ahead of an expiry, in days, largest first (issue 4: "expiring in 30, 7 or 1 days"). */
export const EXPIRY_THRESHOLDS_DAYS = [30, 7, 1] as const;

/** States that are announced to the channel. `error` (a transient or unknown failure) and `incomplete` are not. */
const ANNOUNCED: ReadonlySet<CredentialState> = new Set<CredentialState>(['expired', 'revoked', 'blocked', 'missing', 'expiring']);

export type Notice =
  | { kind: 'problem'; credential: CredentialKind; state: CredentialState; detail?: string; expiresAt?: string; thresholdDays?: number }
  | { kind: 'recovered'; credential: CredentialKind; previous: CredentialState };

export interface Transition {
  next: CredentialStatus;
  /** Set when the state itself changed (this is what the audit records). */
  stateChanged: boolean;
  notice?: Notice;
}

/** The smallest reminder threshold that `msLeft` falls within, or undefined when further away than all of them. */
export function thresholdFor(msLeft: number): number | undefined {
  let hit: number | undefined;
  for (const days of EXPIRY_THRESHOLDS_DAYS) if (msLeft <= days * DAY_MS) hit = days;
  return hit;
}

/** ok / expiring / expired for something that ends at `expiresAt` (a client secret, a Partner Center token). */
export function stateByExpiry(expiresAt: Date, now: Date): CredentialState {
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) return 'expired';
  return thresholdFor(left) === undefined ? 'ok' : 'expiring';
}

/**
 * The threshold already announced for an 'expiring' credential. It is derived from when the reminder went out
 * (`notifiedAt`) and the expiry, so the store needs no extra field: a reminder sent 6.5 days ahead covered "7 days".
 */
function announcedThreshold(prev: CredentialStatus, expiresAt: string | undefined): number | undefined {
  if (prev.notifiedState !== 'expiring' || !prev.notifiedAt || !expiresAt) return undefined;
  return thresholdFor(Date.parse(expiresAt) - Date.parse(prev.notifiedAt));
}

/**
 * Folds an observation into the stored status and decides what to tell the channel: one notice per change to an
 * announced state (each expiry threshold once), nothing for a state already announced, and one recovery notice when
 * an announced problem is gone. `error` changes the state but neither announces nor forgets what was announced.
 */
export function applyObservation(kind: CredentialKind, prev: CredentialStatus | undefined, obs: Observation, now: Date): Transition {
  const at = now.toISOString();
  const next: CredentialStatus = {
    ...prev,
    state: obs.state,
    detail: obs.detail,
    expiresAt: obs.expiresAt ?? (obs.state === 'error' ? prev?.expiresAt : undefined),
    sealed: obs.sealed ?? prev?.sealed,
    updatedAt: prev?.updatedAt ?? at,
  };
  if (next.detail === undefined) delete next.detail;
  if (next.expiresAt === undefined) delete next.expiresAt;
  if (next.sealed === undefined) delete next.sealed;
  const stateChanged = prev?.state !== obs.state;
  if (stateChanged || prev?.detail !== next.detail || prev?.expiresAt !== next.expiresAt || obs.sealed !== undefined) next.updatedAt = at;

  const announced = prev?.notifiedState;
  const announce = (notice: Notice): Transition => ({ next: { ...next, notifiedState: obs.state, notifiedAt: at }, stateChanged, notice });

  if (obs.state === 'ok') {
    if (announced && ANNOUNCED.has(announced)) return announce({ kind: 'recovered', credential: kind, previous: announced });
    return { next, stateChanged };
  }
  if (!ANNOUNCED.has(obs.state)) return { next, stateChanged };
  if (obs.state === 'expiring') {
    const threshold = obs.expiresAt ? thresholdFor(Date.parse(obs.expiresAt) - now.getTime()) : undefined;
    const done = announcedThreshold(prev ?? next, obs.expiresAt);
    if (done !== undefined && (threshold === undefined || done <= threshold)) return { next, stateChanged };
    return announce({ kind: 'problem', credential: kind, state: 'expiring', detail: obs.detail, expiresAt: obs.expiresAt, thresholdDays: threshold });
  }
  if (announced === obs.state) return { next, stateChanged };
  return announce({ kind: 'problem', credential: kind, state: obs.state, detail: obs.detail, expiresAt: obs.expiresAt });
}
