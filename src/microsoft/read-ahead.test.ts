import type { GraphPage, GraphPageReader } from './graph-pages.js';
import { ReadAhead } from './read-ahead.js';

/** A paged collection of `count` pages whose reads the test answers one by one. */
function pagedCollection(count: number, failAt?: number) {
  const requested: string[] = [];
  const answers: (() => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const readPage = (<T>(url: string) => {
    requested.push(url);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const n = Number(/page=(\d+)/.exec(url)?.[1] ?? 0);
    return new Promise<GraphPage<T>>((resolve, reject) => {
      answers.push(() => {
        inFlight--;
        if (n === failAt) reject(Object.assign(new Error(`page ${n} failed`), { statusCode: 503 }));
        else resolve({ value: [n as T], nextLink: n + 1 < count ? `/items?page=${n + 1}` : undefined, deltaLink: n + 1 < count ? undefined : '/delta' });
      });
    });
  }) as GraphPageReader;
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { readPage, requested, answerNext: async () => { answers.shift()!(); await settle(); }, settle, maxInFlight: () => maxInFlight };
}

describe('ReadAhead', () => {
  it('requests the next page as soon as the previous one arrives, before the consumer takes it, up to the depth', async () => {
    const c = pagedCollection(5);
    const pages = new ReadAhead<number>(c.readPage, '/items?page=0', 2);
    await c.answerNext(); // page 0 arrives: page 1 is requested although nobody took page 0
    expect(c.requested).toEqual(['/items?page=0', '/items?page=1']);
    await c.answerNext(); // page 1 arrives: two pages wait unconsumed, so page 2 waits for the consumer
    expect(c.requested).toHaveLength(2);
    expect((await pages.next()).value).toEqual([0]); // taking page 0 makes room
    expect(c.requested).toEqual(['/items?page=0', '/items?page=1', '/items?page=2']);
    expect((await pages.next()).value).toEqual([1]);
    const rest: GraphPage<number>[] = [];
    for (let i = 2; i < 5; i++) {
      const next = pages.next();
      await c.answerNext();
      rest.push(await next);
    }
    expect(rest.map((p) => p.value[0])).toEqual([2, 3, 4]);
    expect(rest[2].deltaLink).toBe('/delta');
    expect(c.requested).toHaveLength(5); // nothing after the page without a nextLink
    expect(c.maxInFlight()).toBe(1); // the paging itself stays one request at a time
  });

  it('hands out the pages before a failed read, then the failure, and reads nothing after it', async () => {
    const c = pagedCollection(5, 1);
    const pages = new ReadAhead<number>(c.readPage, '/items?page=0', 3);
    await c.answerNext();
    await c.answerNext();
    expect((await pages.next()).value).toEqual([0]);
    await expect(pages.next()).rejects.toThrow('page 1 failed');
    await c.settle();
    expect(c.requested).toEqual(['/items?page=0', '/items?page=1']);
  });

  it('reads nothing more once stopped, and a read dropped in flight fails silently', async () => {
    const c = pagedCollection(5, 0);
    const pages = new ReadAhead<number>(c.readPage, '/items?page=0');
    pages.stop();
    await c.answerNext(); // the dropped read fails: no unhandled rejection
    expect(c.requested).toEqual(['/items?page=0']);
    const ok = pagedCollection(5);
    const more = new ReadAhead<number>(ok.readPage, '/items?page=0');
    more.stop();
    await ok.answerNext();
    expect(ok.requested).toEqual(['/items?page=0']);
  });
});
