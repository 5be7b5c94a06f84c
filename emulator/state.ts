/**
 * Cross-service mutable state of the emulator: what several services read or the control API changes.
 * Service-specific state (role assignments, tag overlays, delta tokens) lives in that service's module.
 */

/** One write made to "Microsoft", as the inspection API lists it. Tests assert on these. */
export interface WriteRecord {
  seq: number;
  at: string;
  service: 'login' | 'arm' | 'graph' | 'partnerCenter';
  /** e.g. 'roleAssignment.create', 'roleAssignment.delete', 'tags.patch', 'pal.put', 'consent.grant' */
  kind: string;
  method: string;
  path: string;
  /** Who made it: token oid/appid. */
  principal: { tenantId?: string; oid?: string; appId?: string };
  /** The request body or a summary of the change (never secrets). */
  detail: unknown;
  status: number;
}

export interface RequestRecord {
  seq: number;
  at: string;
  service: string;
  method: string;
  /** Path plus query, as sent. */
  url: string;
  status: number;
  /** Bytes of the response body actually sent. */
  bytes: number;
  ms: number;
  fault?: 'throttle' | 'unavailable' | 'reset' | 'truncate';
}

export interface FaultSettings {
  /** Every request is answered no sooner than this many ms after it arrived (the emulator works during the wait). */
  latencyMs: number;
  /** Probabilities 0..1, each rolled independently per request to arm/graph/partnerCenter. */
  throttleRate: number;
  unavailableRate: number;
  resetRate: number;
  truncateRate: number;
  /** Seconds sent in Retry-After with an injected 429 or 503. */
  retryAfterSeconds: number;
}

export const NO_FAULTS: FaultSettings = {
  latencyMs: 0,
  throttleRate: 0,
  unavailableRate: 0,
  resetRate: 0,
  truncateRate: 0,
  retryAfterSeconds: 1,
};

export interface ClientSecretState {
  appId: string;
  tenantId: string;
  secret: string;
  endDateTime: string;
}

export class EmulatorState {
  faults: FaultSettings;
  private seq = 0;
  readonly writes: WriteRecord[] = [];
  /** Bounded ring: the request log must not grow without limit under benchmarks. */
  readonly requests: RequestRecord[] = [];
  readonly maxRequests: number;

  /** appId -> its client secrets (more than one may be valid at once, as in Entra). */
  readonly clientSecrets = new Map<string, ClientSecretState[]>();
  /** `${tenantId}:${appId}` -> application permissions (Graph `roles`) granted by admin consent. */
  readonly appConsents = new Map<string, Set<string>>();
  /** `${tenantId}:${appId}` -> delegated scopes consented. */
  readonly delegatedConsents = new Map<string, Set<string>>();
  /** `${tenantId}:${userId}` -> time (ms) after which refresh tokens issued earlier are revoked. */
  readonly revokedBefore = new Map<string, number>();
  /** Tenants where Conditional Access blocks user (not app) sign-ins. */
  readonly conditionalAccessBlocked = new Set<string>();
  /** Tenants with "display concealed user, group, and site names in all reports" on. */
  readonly concealedNames = new Set<string>();
  /** Clock offset in ms, so tests can move time (token expiry, secret expiry) without waiting. */
  clockOffsetMs = 0;

  constructor(opts: { faults?: Partial<FaultSettings>; maxRequests?: number } = {}) {
    this.faults = { ...NO_FAULTS, ...opts.faults };
    this.maxRequests = opts.maxRequests ?? 10_000;
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  recordWrite(w: Omit<WriteRecord, 'seq' | 'at'>): WriteRecord {
    const rec = { ...w, seq: ++this.seq, at: new Date(this.now()).toISOString() };
    this.writes.push(rec);
    return rec;
  }

  recordRequest(r: Omit<RequestRecord, 'seq' | 'at'>): void {
    this.requests.push({ ...r, seq: ++this.seq, at: new Date(this.now()).toISOString() });
    if (this.requests.length > this.maxRequests) this.requests.splice(0, this.requests.length - this.maxRequests);
  }
}
