import { SKUS } from '../../emulator/world/licences.js';
import { buildLicenceReport, describeLicenceChange, diffLicences } from '../../src/features/m365/licence-report.js';
import { friendlySkuName } from '../../src/features/m365/sku-names.js';
import { retryAfterMs, retryReason, withRetries } from '../../src/microsoft/retry.js';
import type { Licence } from '../../src/store/types.js';

const sku = (skuPartNumber: string, purchased: number, assigned: number, extra: Partial<Licence> = {}): Licence => ({
  id: `t/${skuPartNumber}`, workspaceId: 'w', tenantId: 't', skuId: `id-${skuPartNumber}`, skuPartNumber, purchased, assigned, ...extra,
});

describe('licence report', () => {
  test('friendly names match Microsoft product names for every SKU the emulator sells; unknown ones keep the part number', () => {
    for (const def of Object.values(SKUS)) expect(friendlySkuName(def.skuPartNumber)).toBe(def.productName);
    expect(friendlySkuName('SOMETHING_NEW')).toBe('SOMETHING_NEW');
  });

  test('rows, unassigned never negative, totals, and the nothing-assigned / over-assigned flags', () => {
    const report = buildLicenceReport([
      sku('VISIOCLIENT', 10, 0),
      sku('ENTERPRISEPACK', 24, 17, { suspended: 2, warning: 1, servicePlans: [{ servicePlanId: 'a', servicePlanName: 'TEAMS1' }] }),
      sku('SPE_E5', 5, 7),
    ]);
    expect(report.rows.map((r) => [r.name, r.unassigned, r.nothingAssigned, r.overAssigned])).toEqual([
      ['Microsoft 365 E5', 0, false, true],
      ['Office 365 E3', 7, false, false],
      ['Visio Plan 2', 10, true, false],
    ]);
    expect(report.rows[1].servicePlans).toEqual(['TEAMS1']);
    expect(report.totals).toEqual({ skus: 3, purchased: 39, assigned: 24, unassigned: 17, suspended: 2, warning: 1, nothingAssigned: 1, overAssigned: 1 });
  });

  test('changes since the previous import read as "+12 assigned Office 365 E3"', () => {
    const before = [sku('ENTERPRISEPACK', 24, 17), sku('VISIOCLIENT', 10, 3), sku('EMS', 5, 5)];
    const after = [sku('ENTERPRISEPACK', 30, 29), sku('VISIOCLIENT', 10, 3), sku('SPE_E5', 20, 4)];
    const lines = diffLicences(before, after).flatMap(describeLicenceChange);
    expect(lines).toEqual([
      'SKU gone: Enterprise Mobility + Security E3 (had 5 purchased, 5 assigned)',
      'New SKU: Microsoft 365 E5 (20 purchased, 4 assigned)',
      '+12 assigned Office 365 E3',
      '+6 purchased Office 365 E3',
    ]);
  });
});

describe('retries', () => {
  test('429 waits what Retry-After says; 500, resets and cut bodies back off; 403 is thrown at once', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => void waits.push(ms);
    const errors: unknown[] = [
      { statusCode: 429, headers: new Headers({ 'Retry-After': '7' }) },
      { statusCode: 500 },
      { statusCode: -1, body: new TypeError('fetch failed') },
      { statusCode: 200, body: new TypeError('terminated') },
    ];
    let calls = 0;
    const value = await withRetries(async () => {
      const err = errors[calls++];
      if (err) throw err;
      return 'page';
    }, { sleep, baseDelayMs: 100 });
    expect(value).toBe('page');
    expect(waits).toEqual([7000, 200, 400, 800]);

    const forbidden = { statusCode: 403, code: 'Authorization_RequestDenied' };
    await expect(withRetries(async () => { throw forbidden; }, { sleep })).rejects.toBe(forbidden);
    expect(retryReason(forbidden)).toBeUndefined();
    expect(retryAfterMs({ headers: { 'retry-after': 'Wed, 21 Oct 2015 07:28:10 GMT' } }, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
  });

  test('gives up after the attempts and throws the last error', async () => {
    let calls = 0;
    await expect(withRetries(async () => { calls++; throw { statusCode: 503 }; }, { attempts: 3, sleep: async () => undefined })).rejects.toEqual({ statusCode: 503 });
    expect(calls).toBe(3);
  });
});

describe('licences card paging', () => {
  test('many SKUs with long service-plan lists are cut into pages that each stay under Teams\' limit, with Previous/Next', async () => {
    const { createCardRenderer, MAX_CARD_BYTES } = await import('../../src/teams/cards.js');
    const { licencesCard } = await import('../../src/features/m365/cards.js');
    const cards = createCardRenderer();
    const plans = Array.from({ length: 90 }, (_, i) => ({ servicePlanId: `p${i}`, servicePlanName: `SERVICE_PLAN_NUMBER_${i}_WITH_A_LONG_NAME` }));
    const licences = Array.from({ length: 25 }, (_, i) => sku(`SKU_${String(i).padStart(2, '0')}`, 100 + i, i === 3 ? 200 : i, { servicePlans: plans, lastSeenAt: '2025-01-01T00:00:00.000Z' }));
    const first = licencesCard(cards, { id: 't', displayName: 'Contoso' }, licences, 1);
    expect(first.pages).toBeGreaterThan(2);
    const seen: string[] = [];
    for (let page = 1; page <= first.pages; page++) {
      const { attachment } = licencesCard(cards, { id: 't', displayName: 'Contoso' }, licences, page);
      const json = JSON.stringify(attachment.content);
      expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_CARD_BYTES - 2048);
      const content = attachment.content as { body: { type: string; items?: { text?: string }[] }[]; actions?: { title: string; data: { page: number } }[] };
      seen.push(...content.body.filter((b) => b.type === 'Container').map((b) => b.items![0].text!));
      const titles = (content.actions ?? []).map((a) => `${a.title}:${a.data.page}`);
      expect(titles).toEqual([...(page > 1 ? [`Previous page:${page - 1}`] : []), ...(page < first.pages ? [`Next page:${page + 1}`] : [])]);
      expect(json).toContain('Attention: 1 over-assigned SKU; 1 SKU with nothing assigned.');
    }
    expect(seen).toEqual(licences.map((l) => l.skuPartNumber).sort());
    // A page number out of range shows the last page rather than failing.
    expect(licencesCard(cards, { id: 't', displayName: 'Contoso' }, licences, 99).page).toBe(first.pages);
  });
});
