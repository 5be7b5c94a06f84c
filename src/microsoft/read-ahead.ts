import type { GraphPage, GraphPageReader } from './graph-pages.js';

/**
 * Reads a paged Graph collection ahead of its consumer: each page is requested as soon as the previous page's
 * nextLink is known, whether or not the consumer is done with the pages before it, as long as fewer than `depth`
 * pages wait unconsumed. The requests stay sequential (a nextLink comes only with its page), so Microsoft sees the
 * same one-at-a-time paging; what changes is that storing a page no longer delays the next request. Memory is
 * bounded by `depth` pages plus the one being consumed.
 */
export class ReadAhead<T> {
  readonly #waiting: Promise<GraphPage<T>>[] = [];
  /** The last page requested; its nextLink is the next request. */
  #last: Promise<GraphPage<T>> | undefined;
  /** The next page's URL, known and not yet requested (the buffer was full). */
  #nextUrl: string | undefined;
  #stopped = false;

  constructor(private readonly readPage: GraphPageReader, firstUrl: string, private readonly depth = 2) {
    if (!(Number.isInteger(depth) && depth >= 1)) throw new Error(`read-ahead depth must be a positive integer, got ${depth}`);
    this.#request(firstUrl);
  }

  /** The next page, in order. A failed read rejects here, after the pages before it; nothing is read after it. */
  next(): Promise<GraphPage<T>> {
    const page = this.#waiting.shift();
    if (!page) return Promise.reject(new Error('read past the last page (it had no nextLink)'));
    this.#pump();
    return page;
  }

  /** Reads nothing more; a read still in flight is dropped (its failure is not reported). */
  stop(): void {
    this.#stopped = true;
    this.#nextUrl = undefined;
  }

  #request(url: string): void {
    const page = this.readPage<T>(url);
    page.catch(() => undefined); // surfaces where the page is taken; meanwhile it must not go unhandled
    this.#waiting.push(page);
    this.#last = page;
    page.then((p) => {
      if (this.#last !== page || !p.nextLink) return;
      this.#nextUrl = p.nextLink;
      this.#pump();
    }, () => undefined);
  }

  #pump(): void {
    if (this.#stopped || this.#nextUrl === undefined || this.#waiting.length >= this.depth) return;
    const url = this.#nextUrl;
    this.#nextUrl = undefined;
    this.#request(url);
  }
}
