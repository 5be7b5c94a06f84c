/**
 * Serialises the writes of one file. Callers change the in-memory data first, then `request()` a write:
 * a write that has not started yet will include every change made before it starts, so requests made
 * while one is waiting share it. 200 concurrent upserts cost two or three file writes, and none is lost.
 */
export class CoalescingWriter {
  #last: Promise<void> = Promise.resolve();
  #waiting: Promise<void> | undefined;

  /** `write` must capture the data synchronously, before its first await. */
  constructor(private readonly write: () => Promise<void>) {}

  /** Resolves after a write that started after this call has finished (rejects if that write fails). */
  request(): Promise<void> {
    if (this.#waiting) return this.#waiting;
    const next = this.#last.catch(() => undefined).then(() => {
      this.#waiting = undefined;
      return this.write();
    });
    this.#waiting = next;
    this.#last = next;
    return next;
  }

  /** Resolves once no write is running or waiting. */
  async idle(): Promise<void> {
    for (;;) {
      const last = this.#last;
      await last.catch(() => undefined);
      if (last === this.#last) return;
    }
  }
}
