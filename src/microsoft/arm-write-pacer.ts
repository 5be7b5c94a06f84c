/**
 * ARM limits writes with a token bucket per subscription and principal: 200 writes of burst, refilled at 10 a second
 * (learn.microsoft.com, "Understand how Azure Resource Manager throttles requests"). Each write's answer says what is
 * left (`x-ms-ratelimit-remaining-subscription-writes`); a write sent to an empty bucket is refused with 429 and
 * `Retry-After`, and costs at least that long. This pacer keeps a conservative copy of that bucket so writes spend the
 * burst with bounded concurrency, then go out at the refill rate, without meeting a 429 when this process is the only
 * writer; when another writer drains the bucket, ARM's header and Retry-After correct the copy.
 */
export interface WritePacerOptions {
  /** Writes in flight at once. Default 10. */
  concurrency?: number;
  /** ARM's bucket: capacity and refill per second (documented 200 and 10). */
  capacity?: number;
  refillPerSecond?: number;
  now?: () => number;
}

/** What one write's answer (or error) said about the bucket. */
export interface WriteAnswer {
  /** `x-ms-ratelimit-remaining-subscription-writes`, when present. */
  remaining?: number;
  /** A 429's Retry-After, in ms. */
  retryAfterMs?: number;
}

export class ArmWritePacer {
  readonly concurrency: number;
  private readonly capacity: number;
  private readonly refillPerSecond: number;
  private readonly now: () => number;
  /** Tokens left once every write sent so far is counted; undefined until ARM has said. */
  private tokens: number | undefined;
  private tokensAt = 0;
  private inFlight = 0;
  private blockedUntil = 0;
  private readonly waiting: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(opts: WritePacerOptions = {}) {
    this.concurrency = opts.concurrency ?? 10;
    this.capacity = opts.capacity ?? 200;
    this.refillPerSecond = opts.refillPerSecond ?? 10;
    this.now = opts.now ?? Date.now;
  }

  /** Resolves when one write may be sent (first come, first served). Call {@link settle} once its answer is in. */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
  }

  /** Records the answer of a write that {@link acquire} let through (success or failure). */
  settle(answer: WriteAnswer = {}): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    const now = this.now();
    if (answer.retryAfterMs !== undefined) this.blockedUntil = Math.max(this.blockedUntil, now + answer.retryAfterMs);
    if (answer.remaining !== undefined) {
      // Writes still in flight may not be counted in the header yet: assume they are not (a lower bound).
      const told = answer.remaining - this.inFlight;
      const mine = this.level(now);
      // Raise the copy when ARM has more than it thought; lower it when ARM has less than the copy can explain
      // (another writer, or a slower refill than documented). The header is a whole number: allow 1 of rounding.
      if (mine === undefined || told > mine || mine + this.inFlight > answer.remaining + 1) this.set(told, now);
    }
    this.pump();
  }

  private level(now: number): number | undefined {
    if (this.tokens === undefined) return undefined;
    return Math.min(this.capacity, this.tokens + ((now - this.tokensAt) / 1000) * this.refillPerSecond);
  }

  private set(tokens: number, at: number): void {
    this.tokens = tokens;
    this.tokensAt = at;
  }

  private pump(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const now = this.now();
    while (this.waiting.length > 0 && this.inFlight < this.concurrency && now >= this.blockedUntil) {
      const level = this.level(now);
      if (level !== undefined && level < 1) break;
      if (level !== undefined) this.set(level - 1, now);
      this.inFlight++;
      this.waiting.shift()!();
    }
    if (this.waiting.length === 0 || this.inFlight >= this.concurrency) return; // a settle() will pump again
    const level = this.level(now);
    const refillMs = level === undefined ? 0 : ((1 - level) / this.refillPerSecond) * 1000;
    const waitMs = Math.max(this.blockedUntil - now, refillMs, 1);
    this.timer = setTimeout(() => this.pump(), Math.ceil(waitMs));
  }
}
