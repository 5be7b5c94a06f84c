import type { Ctx, Reply } from '../http/router.js';
import { json } from '../http/router.js';
import { partnerCenterError } from '../http/errors.js';
import type { PartnerCustomer } from '../world/types.js';

const DEFAULT_SIZE = 200;
const MAX_SIZE = 500;

const link = (uri: string, headers: { key: string; value: string }[] = []) => ({ uri, method: 'GET', headers });

export function customerJson(c: PartnerCustomer): Record<string, unknown> {
  return {
    id: c.id,
    companyProfile: {
      ...c.companyProfile,
      links: { self: link(`/customers/${c.id}/profiles/company`) },
      attributes: { objectType: 'CustomerCompanyProfile' },
    },
    relationshipToPartner: c.relationshipToPartner,
    links: { self: link(`/customers/${c.id}`) },
    attributes: { objectType: 'Customer' },
  };
}

/**
 * `GET /v1/customers?size=N`, then `?seekOperation=Next` with the `MS-ContinuationToken` header that
 * `links.next` carries, as Partner Center pages its seek-based collections.
 */
export function listCustomers(ctx: Ctx, all: PartnerCustomer[]): Reply {
  const sizeRaw = ctx.query.get('size');
  const size = sizeRaw === null ? DEFAULT_SIZE : Number(sizeRaw);
  if (!Number.isInteger(size) || size < 1 || size > MAX_SIZE) return partnerCenterError(400, 400, `The size '${sizeRaw}' is invalid. It must be between 1 and ${MAX_SIZE}.`);
  let offset = 0;
  if ((ctx.query.get('seekOperation') ?? '').toLowerCase() === 'next') {
    const token = ctx.headers['ms-continuationtoken'];
    const decoded = typeof token === 'string' ? decodeToken(token) : undefined;
    if (decoded === undefined) return partnerCenterError(400, 400, 'The continuation token is missing or invalid.');
    offset = decoded;
  }
  const items = all.slice(offset, offset + size);
  const links: Record<string, unknown> = { self: link(`/customers?size=${size}`) };
  if (offset + size < all.length) links.next = link(`/customers?size=${size}&seekOperation=Next`, [{ key: 'MS-ContinuationToken', value: encodeToken(offset + size) }]);
  return json(200, { totalCount: items.length, items: items.map(customerJson), links, attributes: { objectType: 'Collection' } });
}

function encodeToken(offset: number): string {
  return Buffer.from(`customers:${offset}`).toString('base64');
}

function decodeToken(token: string): number | undefined {
  const m = /^customers:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}
