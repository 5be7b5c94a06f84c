import { registerArm, ROLE_IDS, type ArmControl } from '../../emulator/arm/index.js';
import { mintToken, startTestService, staticCredential, type TestService } from '../../emulator/arm/testkit.js';
import { ResourceTags } from './tags.js';

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
  const home = t.world.home.id;
  const sub = t.world.azureSubscriptions(home)[0];
  const sp = t.world.demoApp.servicePrincipalIdIn(home);
  t.control.assignRole(sub.subscriptionId, sp, ROLE_IDS.tagContributor);
  const token = await mintToken(t.tokens, 'arm', { tenantId: home, oid: sp, appId: t.world.demoApp.appId });
  const endpoints = { arm: t.url, scopes: { arm: 'https://management.azure.com/.default' } } as ConstructorParameters<typeof ResourceTags>[0];
  const retries: number[] = [];
  const arm = new ResourceTags(endpoints, staticCredential(token), sub.subscriptionId, { onRetry: (r) => retries.push(r.delayMs) });
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

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
