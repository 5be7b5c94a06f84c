import { subscriptionsCardData } from '../../../src/features/subscriptions/list-view.js';
import type { Approval, Subscription, Tenant } from '../../../src/store/index.js';
import { MAX_CARD_BYTES } from '../../../src/teams/cards.js';
import { expandStrict } from '../expand-strict.js';
import { cardBytes, readTemplate } from '../templates.js';

const now = '2025-03-04T03:00:00Z';
const tenants = Array.from({ length: 3 }, (_, i) => ({ id: `tenant-${i}`, workspaceId: 'ws', displayName: `Tenant ${i} ${'n'.repeat(70)}`, consentedBy: { aadObjectId: 'a' }, consentedAt: now, credentials: {} })) as Tenant[];

/** 200 subscriptions over three tenants; Azure names take up to 64 characters. Every one has an open request. */
const subscriptions: Subscription[] = Array.from({ length: 200 }, (_, i) => ({
  id: `tenant-${i % 3}/sub-${i}`, workspaceId: 'ws', tenantId: `tenant-${i % 3}`, subscriptionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  displayName: `Subscription ${String(i).padStart(3, '0')} ${'s'.repeat(64)}`.slice(0, 64), state: 'Enabled', role: 'Reader', syncMode: 'readTags',
  roleAssignmentIds: [], lastSyncAt: now, lastSyncOutcome: 'partial', counts: { resources: 12345, tagged: 12000 },
}));
const open = subscriptions.map((s) => ({ tenantId: s.tenantId, subscriptionId: s.subscriptionId, status: 'pending', requestedBy: { aadObjectId: 'a', name: 'Megan Bowen' }, request: { toMode: 'readWriteTags' } })) as unknown as Approval[];

const page = (n: number) => {
  const data = subscriptionsCardData(subscriptions, tenants, open, n, 'admin');
  return { data, ...expandStrict(readTemplate('subscriptions'), data) };
};
const buttons = (card: unknown) => ((card as { body: { type: string; actions?: { title: string }[] }[] }).body.at(-1)?.actions ?? []).map((a) => a.title);
const names = (card: unknown) => [...JSON.stringify(card).matchAll(/Subscription (\d{3})/g)].map((m) => Number(m[1]));

test('200 subscriptions page: every page is under 28 KB, each subscription is on exactly one page, buttons fit the page', () => {
  const pages = Number(/of (\d+)/.exec(page(0).data.summary)?.[1]);
  expect(pages).toBeGreaterThan(1);
  const seen: number[] = [];
  for (let n = 0; n < pages; n++) {
    const { card, problems } = page(n);
    expect(problems).toEqual([]);
    expect(cardBytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(buttons(card)).toEqual([...(n > 0 ? ['Previous page'] : []), ...(n < pages - 1 ? ['Next page'] : []), 'Refresh']);
    seen.push(...names(card));
  }
  expect(seen.sort((a, b) => a - b)).toEqual(subscriptions.map((_, i) => i));
});
