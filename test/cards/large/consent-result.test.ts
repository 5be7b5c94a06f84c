import type { SubscriptionResult } from '../../../src/features/consent/assign.js';
import { resultCardData } from '../../../src/features/consent/result.js';
import type { Tenant } from '../../../src/store/index.js';
import { MAX_CARD_BYTES } from '../../../src/teams/cards.js';
import { expandStrict } from '../expand-strict.js';
import { cardBytes, readTemplate } from '../templates.js';

const now = new Date('2025-03-04T14:00:00Z');
const tenant = { id: '72f988bf-86f1-41af-91ab-2d7cd011db47', workspaceId: 'ws', displayName: 'Contoso Ltd', consentedBy: { aadObjectId: 'a' }, consentedAt: now.toISOString(), credentials: {} } as Tenant;

/** An admin who owns 200 subscriptions connects; Azure names take up to 64 characters, failure reasons a sentence. */
function results(count: number): SubscriptionResult[] {
  return Array.from({ length: count }, (_, i) => ({
    subscriptionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    displayName: `Contoso subscription ${i} ${'x'.repeat(64)}`.slice(0, 64),
    state: 'Enabled',
    outcome: i % 4 === 0 ? 'failed' : 'assigned',
    reason: i % 4 === 0 ? 'AuthorizationFailed: the client does not have authorization to perform action Microsoft.Authorization/roleAssignments/write. Ask an Owner.' : undefined,
  }));
}

function consentCard(count: number) {
  const data = resultCardData({ mode: 'connect', role: 'Reader', signedInAs: 'megan@contoso.example', windowClosesAt: now, access: { tenant, results: results(count), graph: { state: 'ok', updatedAt: now.toISOString() } } });
  return expandStrict(readTemplate('consent-result'), data);
}

test('a handful of subscriptions: the consent result lists each one', () => {
  const { card, problems } = consentCard(5);
  expect(problems).toEqual([]);
  expect(JSON.stringify(card)).toContain('Contoso subscription 4');
});

// Measured: ~135 bytes per listed subscription with a failure reason every fourth; 200 come to ~27 KB, so an admin
// owning ~215 or more would get a card the renderer refuses (resultCardData lists every subscription, unbounded).
test('200 subscriptions: the consent result card stays under 28 KB', () => {
  const { card, problems } = consentCard(200);
  expect(problems).toEqual([]);
  expect(cardBytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
});
