import { licencesCard } from '../../../src/features/m365/cards.js';
import type { Licence } from '../../../src/store/index.js';
import { MAX_CARD_BYTES, createCardRenderer } from '../../../src/teams/cards.js';
import { cardBytes } from '../templates.js';

const tenant = { id: '72f988bf-86f1-41af-91ab-2d7cd011db47', displayName: 'Contoso Ltd' };
const cards = createCardRenderer();

/** 200 SKUs, some with long service-plan lists (the E5 family lists ~90), names as long as Microsoft's. */
const licences: Licence[] = Array.from({ length: 200 }, (_, i) => ({
  id: `${tenant.id}/sku-${i}`, workspaceId: 'ws', tenantId: tenant.id, lastSeenAt: '2025-03-04T02:12:00Z',
  skuId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, skuPartNumber: `SKU_PART_NUMBER_${i}`,
  displayName: `Microsoft 365 E5 (no Teams) with a long product name number ${i}`, capabilityStatus: i % 7 ? 'Enabled' : 'Warning',
  purchased: 100 + i, assigned: i % 5 ? 50 + i : 150 + i, suspended: 0, warning: i % 7 ? 0 : 3,
  servicePlans: Array.from({ length: i % 3 ? 8 : 90 }, (_, p) => ({ servicePlanId: `plan-${p}`, servicePlanName: `SERVICE_PLAN_NAME_${p}_${'X'.repeat(12)}` })),
}));

const skuNames = (card: unknown) => [...new Set([...JSON.stringify(card).matchAll(/SKU_PART_NUMBER_(\d+)/g)].map((m) => Number(m[1])))];

// Each licencesCard call expands the template once per row to find the page cuts (~1.5 s for 200 SKUs here), so
// this checks the first, second and last pages rather than all twenty.
test('200 SKUs page: each page is under 28 KB with the right buttons, and no SKU shows twice', () => {
  const first = licencesCard(cards, tenant, licences, 1);
  expect(first.pages).toBeGreaterThanOrEqual(20); // at most ten SKUs a page
  const second = licencesCard(cards, tenant, licences, 2);
  const last = licencesCard(cards, tenant, licences, 999); // past the end: the last page
  expect([first.page, second.page, last.page]).toEqual([1, 2, first.pages]);
  const buttons = (card: unknown) => (card as { actions?: { title: string }[] }).actions?.map((a) => a.title) ?? [];
  expect(buttons(first.attachment.content)).toEqual(['Next page']);
  expect(buttons(second.attachment.content)).toEqual(['Previous page', 'Next page']);
  expect(buttons(last.attachment.content)).toEqual(['Previous page']);
  for (const { attachment } of [first, second, last]) expect(cardBytes(attachment.content)).toBeLessThanOrEqual(MAX_CARD_BYTES);
  const [a, b, z] = [first, second, last].map((r) => skuNames(r.attachment.content));
  expect(a.length).toBeGreaterThan(0);
  expect(new Set([...a, ...b, ...z]).size).toBe(a.length + b.length + z.length); // no SKU on two pages
});
