import { registerArm, ROLE_IDS, type ArmControl } from '../../emulator/arm/index.js';
import { mintToken, startTestService, staticCredential, type TestService } from '../../emulator/arm/testkit.js';
import { patchHolds, ResourceTags } from './tags.js';

let t: TestService<ArmControl>;

beforeAll(async () => {
  t = await startTestService('arm', registerArm);
});
afterAll(() => t.close());

/**
 * ARM's write bucket is 200 with 10 a second of refill. 215 PATCHes issued at once must spend the burst, then wait for
 * the refill (≈1.5 s for the last 15) instead of drawing 429s that each cost a whole Retry-After second.
 */
test('parallel tag writes spend the write burst, then follow the refill: no 429, each PATCH once', async () => {
  const retries: number[] = [];
  const arm = await tagContributorOn(0, { onRetry: (r) => retries.push(r.delayMs) });
  const [page] = await collect(arm.pages({ pageSize: 45 }));
  t.control.resetArmThrottle();
  t.deps.state.requests.length = 0;
  const writesBefore = t.deps.state.writes.length;

  const started = Date.now();
  const targets = Array.from({ length: 215 }, (_, i) => page.resources[i % page.resources.length]);
  const results = await Promise.all(targets.map((r, i) => arm.patch(r.id, 'Merge', { [`pacer${i}`]: 'x' })));
  const elapsed = Date.now() - started;

  expect(results.every((r) => r.tags[`pacer${results.indexOf(r)}`] === 'x')).toBe(true);
  expect(t.deps.state.requests.filter((r) => r.status === 429)).toEqual([]);
  expect(retries).toEqual([]);
  expect(t.deps.state.writes.length - writesBefore).toBe(215);
  // 15 writes beyond the burst at 10/s: paced, not sent into an empty bucket.
  expect(elapsed).toBeGreaterThanOrEqual(1300);
}, 20_000);

/**
 * A cut answer to a PATCH leaves the client not knowing whether ARM applied it (the emulator cuts the body after
 * applying, as a dropped connection can). The retry must look first and not write the edit a second time.
 */
test('a PATCH whose answer was cut is not sent again when Azure already holds it', async () => {
  const arm = await tagContributorOn(1, {
    sleep: async () => undefined,
    // The cut happens once: the retry (and its look) get whole answers.
    onRetry: () => void (t.deps.state.faults.truncateRate = 0),
  });
  const [page] = await collect(arm.pages({ pageSize: 5 }));
  const target = page.resources[0].id;
  const writesBefore = t.deps.state.writes.length;
  t.deps.state.faults.truncateRate = 1;
  try {
    const merged = await arm.patch(target, 'Merge', { cut: 'once' });
    expect(merged.tags.cut).toBe('once');
    expect(t.deps.state.writes.length - writesBefore).toBe(1);

    t.deps.state.faults.truncateRate = 1;
    const deleted = await arm.patch(target, 'Delete', { cut: 'once' });
    expect(deleted.tags.cut).toBeUndefined();
    expect(t.deps.state.writes.length - writesBefore).toBe(2);
  } finally {
    t.deps.state.faults.truncateRate = 0;
  }
});

test('patchHolds: Merge needs every value, Delete needs each named value gone (names case-insensitive)', () => {
  expect(patchHolds({ Env: 'prod', a: '1' }, 'Merge', { env: 'prod' })).toBe(true);
  expect(patchHolds({ env: 'dev' }, 'Merge', { env: 'prod' })).toBe(false);
  expect(patchHolds({}, 'Merge', { env: 'prod' })).toBe(false);
  expect(patchHolds({ env: 'dev' }, 'Delete', { env: 'prod' })).toBe(true);
  expect(patchHolds({ ENV: 'prod' }, 'Delete', { env: 'prod' })).toBe(false);
  expect(patchHolds({}, 'Delete', { env: 'prod' })).toBe(true);
});

/** ResourceTags for the home tenant's n-th subscription, our service principal holding Tag Contributor there. */
async function tagContributorOn(n: number, retry: ConstructorParameters<typeof ResourceTags>[3]): Promise<ResourceTags> {
  const home = t.world.home.id;
  const sub = t.world.azureSubscriptions(home)[n];
  const sp = t.world.demoApp.servicePrincipalIdIn(home);
  t.control.assignRole(sub.subscriptionId, sp, ROLE_IDS.tagContributor);
  const token = await mintToken(t.tokens, 'arm', { tenantId: home, oid: sp, appId: t.world.demoApp.appId });
  const endpoints = { arm: t.url, scopes: { arm: 'https://management.azure.com/.default' } } as ConstructorParameters<typeof ResourceTags>[0];
  return new ResourceTags(endpoints, staticCredential(token), sub.subscriptionId, retry);
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
