import { ArmWritePacer } from './arm-write-pacer.js';

/** A fake clock the pacer reads; its timers are real but short (refill rates are scaled up to keep tests fast). */
function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

test('before ARM has said anything, at most `concurrency` writes are in flight', async () => {
  const pacer = new ArmWritePacer({ concurrency: 3 });
  let started = 0;
  for (let i = 0; i < 5; i++) void pacer.acquire().then(() => started++);
  await tick();
  expect(started).toBe(3);
  pacer.settle({ remaining: 150 });
  await tick();
  expect(started).toBe(4);
});

test('an empty bucket holds writes until the copy has refilled a token, then lets one through per token', async () => {
  const c = clock();
  const pacer = new ArmWritePacer({ concurrency: 10, refillPerSecond: 10, now: c.now });
  await pacer.acquire();
  pacer.settle({ remaining: 0 });
  let started = 0;
  void pacer.acquire().then(() => started++);
  void pacer.acquire().then(() => started++);
  await tick();
  expect(started).toBe(0);
  c.advance(100); // one token at 10/s
  await new Promise((resolve) => setTimeout(resolve, 120));
  expect(started).toBe(1);
  c.advance(100);
  await new Promise((resolve) => setTimeout(resolve, 120));
  expect(started).toBe(2);
});

test('the header lowers an optimistic copy (someone else writes as the same principal) and raises a pessimistic one', async () => {
  const c = clock();
  const pacer = new ArmWritePacer({ concurrency: 10, now: c.now });
  await pacer.acquire();
  pacer.settle({ remaining: 100 });
  await pacer.acquire();
  // ARM says 2 left where the copy expected 99: another writer spent them. Two more writes may go, not a third.
  pacer.settle({ remaining: 2 });
  let started = 0;
  for (let i = 0; i < 3; i++) void pacer.acquire().then(() => started++);
  await tick();
  expect(started).toBe(2);
  // ARM refilled more than the copy thought (e.g. a larger bucket): the waiting write goes at once.
  pacer.settle({ remaining: 50 });
  await tick();
  expect(started).toBe(3);
});

test("a 429's Retry-After holds every write of the subscription until it has passed", async () => {
  const c = clock();
  const pacer = new ArmWritePacer({ concurrency: 10, now: c.now });
  await pacer.acquire();
  pacer.settle({ remaining: 0, retryAfterMs: 1000 });
  let started = false;
  void pacer.acquire().then(() => (started = true));
  c.advance(900);
  await tick();
  expect(started).toBe(false);
  c.advance(100);
  await new Promise((resolve) => setTimeout(resolve, 1050));
  expect(started).toBe(true);
});
