import type { Router } from '../http/router.js';
import { json } from '../http/router.js';
import { armError } from '../http/errors.js';
import type { AzureSubscription } from '../world/types.js';
import { addSubscriptionRoute, type ArmContext, type ArmRequest } from './context.js';
import type { CatalogResource } from './catalog.js';
import { parseResourceFilter } from './filter.js';
import { decodeSkipToken, encodeSkipToken } from './paging.js';

/** ARM returns at most 1000 resources per page, and 1000 when `$top` is absent. */
const MAX_PAGE = 1000;

/**
 * `GET /subscriptions/{id}/resources` and `.../resourceGroups/{rg}/resources`, with `$top`, `$filter`, `$expand`
 * and an absolute `nextLink` carrying `$skiptoken`. Pages are read by index from the lazy world; only a
 * `$filter` (or a resource group) makes a page scan further than the resources it returns.
 */
export function registerResources(router: Router, arm: ArmContext): void {
  addSubscriptionRoute(router, arm, 'GET', /^\/+subscriptions\/(?<subscriptionId>[^/]+)\/resources\/?$/i, (r) => {
    const denied = arm.authorize(r.caller, r.sub, 'Microsoft.Resources/subscriptions/resources/read', `/subscriptions/${r.sub.subscriptionId}`);
    return denied ?? listPage(arm, r, undefined);
  });

  addSubscriptionRoute(router, arm, 'GET', /^\/+subscriptions\/(?<subscriptionId>[^/]+)\/resourceGroups\/(?<resourceGroup>[^/]+)\/resources\/?$/i, (r) => {
    const rg = arm.catalog.resourceGroup(r.sub.subscriptionId, r.ctx.params.resourceGroup);
    if (!rg) return armError(404, 'ResourceGroupNotFound', `Resource group '${r.ctx.params.resourceGroup}' could not be found.`);
    const denied = arm.authorize(r.caller, r.sub, 'Microsoft.Resources/subscriptions/resourceGroups/resources/read', `/subscriptions/${r.sub.subscriptionId}/resourceGroups/${rg}`);
    return denied ?? listPage(arm, r, rg);
  });
}

function listPage(arm: ArmContext, { ctx, sub }: ArmRequest, resourceGroup: string | undefined) {
  const q = ctx.query;
  const filter = parseResourceFilter(q.get('$filter'));
  if ('error' in filter) return armError(400, 'InvalidFilterInQueryString', filter.error);
  const topRaw = q.get('$top');
  const top = topRaw === null ? MAX_PAGE : Number(topRaw);
  if (!Number.isInteger(top) || top < 1) return armError(400, 'InvalidQueryParameterValue', `The value '${topRaw}' of query parameter '$top' is not valid.`);
  const pageSize = Math.min(top, MAX_PAGE);
  const start = decodeSkipToken(q.get('$skiptoken'));
  if (start === undefined) return armError(400, 'InvalidSkipToken', 'The provided skip token is not valid.');
  const expand = new Set((q.get('$expand') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));

  const total = arm.catalog.count(sub.subscriptionId);
  const value: Record<string, unknown>[] = [];
  let i = start;
  const rgLower = resourceGroup?.toLowerCase();
  while (i < total && value.length < pageSize) {
    const res = arm.catalog.at(sub.subscriptionId, i++);
    if (!res) continue;
    if (rgLower && res.resourceGroup.toLowerCase() !== rgLower) continue;
    if (!filter.matches(res)) continue;
    value.push(resourceJson(res, expand, filter.hidesTags));
  }
  const body: Record<string, unknown> = { value };
  if (i < total) body.nextLink = nextLink(arm, ctx.path, q, sub, i);
  return json(200, body);
}

function resourceJson(r: CatalogResource, expand: Set<string>, hideTags: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { id: r.id, name: r.name, type: r.type, location: r.location };
  if (!hideTags && Object.keys(r.tags).length > 0) out.tags = r.tags;
  if (expand.has('createdtime')) out.createdTime = r.createdTime;
  if (expand.has('changedtime')) out.changedTime = r.changedTime;
  if (expand.has('provisioningstate')) out.provisioningState = 'Succeeded';
  return out;
}

function nextLink(arm: ArmContext, path: string, q: URLSearchParams, sub: AzureSubscription, index: number): string {
  const next = new URLSearchParams();
  for (const key of ['api-version', '$filter', '$expand', '$top']) {
    const v = q.get(key);
    if (v !== null) next.set(key, v);
  }
  next.set('$skiptoken', encodeSkipToken(index));
  const normalized = `/${path.replace(/^\/+/, '')}`.replace(/^\/subscriptions\/[^/]+/i, `/subscriptions/${sub.subscriptionId}`);
  return `${arm.deps.urls.arm}${normalized}?${next.toString().replace(/\+/g, '%20')}`;
}
