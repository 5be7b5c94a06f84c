import { StoreClosedError } from './port.js';

/**
 * Tracks the operations in flight so that close() waits for them (no write lands after close resolves)
 * and refuses new ones.
 */
export class OpTracker {
  #closed = false;
  readonly #pending = new Set<Promise<unknown>>();

  run<T>(op: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new StoreClosedError('the store is closed'));
    const p = op();
    this.#pending.add(p);
    const forget = (): void => { this.#pending.delete(p); };
    p.then(forget, forget);
    return p;
  }

  /** Refuses new operations and waits for the running ones to settle. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#pending]);
  }

  get closed(): boolean {
    return this.#closed;
  }
}
