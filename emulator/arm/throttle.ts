/** ARM's token-bucket limits per (scope, principal): reads 250 refilled at 25/s, writes 200 refilled at 10/s. */
export const ARM_LIMITS = {
  read: { capacity: 250, perSecond: 25 },
  write: { capacity: 200, perSecond: 10 },
} as const;

export type RequestKind = keyof typeof ARM_LIMITS;

interface Bucket {
  tokens: number;
  at: number;
}

export type TakeResult = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

/** Lazy token buckets: refilled on use from the injected clock, so tests can move time instead of waiting. */
export class ThrottleBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number) {}

  take(key: string, kind: RequestKind): TakeResult {
    const { capacity, perSecond } = ARM_LIMITS[kind];
    const id = `${kind}:${key.toLowerCase()}`;
    const now = this.now();
    const b = this.buckets.get(id) ?? { tokens: capacity, at: now };
    b.tokens = Math.min(capacity, b.tokens + (Math.max(0, now - b.at) / 1000) * perSecond);
    b.at = now;
    this.buckets.set(id, b);
    if (b.tokens < 1) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / perSecond)) };
    b.tokens -= 1;
    return { ok: true, remaining: Math.floor(b.tokens) };
  }

  reset(): void {
    this.buckets.clear();
  }
}
