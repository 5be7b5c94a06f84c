import type { SubscriptionResult } from '../../src/features/consent/assign.js';
import { MAX_ROWS, resultCardData } from '../../src/features/consent/result.js';
import { parseStateParam, stateParam } from '../../src/features/consent/states.js';
import type { Tenant } from '../../src/store/types.js';
import { createCardRenderer } from '../../src/teams/cards.js';

const tenant = { id: 't', workspaceId: 'ws', displayName: 'Contoso ${evil}', consentedBy: { aadObjectId: 'a' }, consentedAt: '', credentials: {} } as Tenant;

test('a result with 1000 subscriptions renders: failures listed first, the rest counted, under Teams’ size limit', () => {
  const results: SubscriptionResult[] = Array.from({ length: 1000 }, (_, i) => ({
    subscriptionId: `s${i}`, displayName: `Subscription ${i} ${'x'.repeat(70)}`, state: 'Enabled',
    outcome: i === 999 ? 'failed' : i % 3 ? 'assigned' : 'skippedNotOwner', reason: i === 999 ? 'AuthorizationFailed '.repeat(40) : undefined,
  }));
  const data = resultCardData({ mode: 'connect', role: 'Reader', windowClosesAt: new Date(), access: { tenant, results, graph: { state: 'ok', updatedAt: '' } } });
  expect(data.subscriptions).toHaveLength(MAX_ROWS + 1);
  expect(data.subscriptions[0].value).toMatch(/^failed: AuthorizationFailed/);
  expect(data.subscriptions.at(-1)).toEqual({ title: `…and ${1000 - MAX_ROWS} more`, value: expect.stringMatching(/^\d+ skipped \(not owner\), \d+ assigned$/) });
  expect(data.title).toBe('Connected: Contoso $ {evil}');
  expect(() => createCardRenderer().expand('consent-result', data)).not.toThrow();
});

test('state parameter: round-trips, and anything altered or oversized is rejected', () => {
  const id = 'A'.repeat(43);
  expect(parseStateParam(stateParam({ id, workspaceId: 'ws-1' }))).toEqual({ id, workspaceId: 'ws-1' });
  for (const bad of [undefined, ['x'], '', `${id}`, `${id}.`, `${id.slice(1)}.d3MtMQ`, `${id}.d3MtMQ==`, `${id}.!!`, `${id}.${'a'.repeat(150)}`, { $ne: null }]) {
    expect(parseStateParam(bad)).toBeUndefined();
  }
});
