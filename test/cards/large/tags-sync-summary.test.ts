import { newSummary, summaryCardData } from '../../../src/features/tags/summary.js';
import { MAX_CARD_BYTES } from '../../../src/teams/cards.js';
import { expandStrict } from '../expand-strict.js';
import { cardBytes, readTemplate } from '../templates.js';

/** ARM ids run to ~250 characters; tag names to 512 and values to 256. */
const armId = (i: number) => `/subscriptions/1f3b5d7f-0a2c-4e6a-8b0d-2f4a6c8e0b1d/resourceGroups/${'rg-'.padEnd(90, 'r')}/providers/Microsoft.Compute/virtualMachines/vm-${i}`;

test('a run with 200 conflicts and 200 errors: the summary lists a bounded part, counts the rest, under 28 KB', () => {
  const s = newSummary({ workspaceId: 'ws', tenantId: 't', subscriptionId: '1f3b5d7f-0a2c-4e6a-8b0d-2f4a6c8e0b1d', subscriptionName: 'Contoso Production', mode: 'readWriteTags', startedAt: '2025-03-04T03:00:00Z' });
  s.outcome = 'partial';
  s.conflicts = Array.from({ length: 200 }, (_, i) => ({ resource: armId(i), tag: `costCenter-${'t'.repeat(100)}`, wanted: 'w'.repeat(256), azure: 'a'.repeat(256), base: 'b'.repeat(256), requestedBy: 'Megan Bowen' }));
  s.errors = Array.from({ length: 200 }, (_, i) => `${armId(i)}: 409 Conflict: ${'the resource is locked; '.repeat(8)}`);
  const { card, problems } = expandStrict(readTemplate('tags-sync-summary'), summaryCardData(s, 'Read and Write Tags'));
  expect(problems).toEqual([]);
  expect(cardBytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
  expect(JSON.stringify(card)).toContain('and 185 more');
});
