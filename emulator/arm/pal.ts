import type { Reply, Router } from '../http/router.js';
import { json } from '../http/router.js';
import { armError } from '../http/errors.js';
import { addTenantRoute, type ArmContext, type TenantRequest } from './context.js';

/** A Partner Admin Link: one partner id per (tenant, user or service principal). */
export interface PalLink {
  partnerId: string;
  partnerName: string;
  tenantId: string;
  objectId: string;
  version: number;
  createdTime: string;
  updatedTime: string;
}

const ONE = /^\/+providers\/Microsoft\.ManagementPartner\/partners\/(?<partnerId>[^/]+)\/?$/i;
const ANY = /^\/+providers\/Microsoft\.ManagementPartner\/partners\/?$/i;

/** PAL links per caller. Only partner ids of the world's partner program (its MPN id) are valid. */
export class PalStore {
  readonly links = new Map<string, PalLink>();
  key(tenantId: string, objectId: string): string {
    return `${tenantId}:${objectId}`.toLowerCase();
  }
}

function palJson(l: PalLink, path: 'one' | 'any'): Record<string, unknown> {
  return {
    id: path === 'one' ? `/providers/microsoft.managementpartner/partners/${l.partnerId}` : '/providers/microsoft.managementpartner/partners',
    type: 'Microsoft.ManagementPartner/partner',
    name: l.partnerId,
    etag: l.version,
    properties: {
      partnerId: l.partnerId,
      partnerName: l.partnerName,
      tenantId: l.tenantId,
      objectId: l.objectId,
      version: String(l.version),
      updatedTime: l.updatedTime,
      createdTime: l.createdTime,
      state: 'Active',
    },
  };
}

/** `Microsoft.ManagementPartner/partners/{partnerId}` (api-version 2018-02-01): PUT, GET, PATCH, DELETE, and GET without an id. */
export function registerPal(router: Router, arm: ArmContext, store: PalStore): void {
  const knownName = (partnerId: string): string | undefined => {
    const p = arm.deps.world.partner;
    return partnerId === p.mpnId ? (arm.deps.world.tenant(p.tenantId)?.displayName ?? 'Partner') : undefined;
  };
  const current = (r: TenantRequest) => store.links.get(store.key(r.caller.tenantId, r.caller.oid));
  const notFound = () => armError(404, 'NotFound', 'No partner is linked to this user or service principal in this tenant.');
  const invalid = (id: string) => armError(400, 'BadRequest', `The partner id '${id}' is invalid. Use a valid Microsoft AI Cloud Partner Program (MPN) ID.`);

  addTenantRoute(router, arm, 'GET', ANY, (r) => {
    const link = current(r);
    return link ? json(200, palJson(link, 'any')) : notFound();
  });

  addTenantRoute(router, arm, 'GET', ONE, (r) => {
    const link = current(r);
    return link && link.partnerId === r.ctx.params.partnerId ? json(200, palJson(link, 'one')) : notFound();
  });

  addTenantRoute(router, arm, 'PUT', ONE, (r): Reply => {
    const partnerId = r.ctx.params.partnerId;
    const partnerName = knownName(partnerId);
    if (!partnerName) return invalid(partnerId);
    const link = current(r);
    if (link && link.partnerId === partnerId) return json(200, palJson(link, 'one'));
    if (link) return armError(409, 'Conflict', `A partner (${link.partnerId}) is already linked to this user or service principal. Update it with PATCH or delete it first.`);
    const at = new Date(arm.deps.state.now()).toISOString();
    const created: PalLink = { partnerId, partnerName, tenantId: r.caller.tenantId, objectId: r.caller.oid, version: 1, createdTime: at, updatedTime: at };
    store.links.set(store.key(r.caller.tenantId, r.caller.oid), created);
    arm.recordWrite(r.ctx, r.caller, 'pal.put', { partnerId }, 200);
    return json(200, palJson(created, 'one'));
  });

  addTenantRoute(router, arm, 'PATCH', ONE, (r) => {
    const partnerId = r.ctx.params.partnerId;
    const link = current(r);
    if (!link) return notFound();
    const partnerName = knownName(partnerId);
    if (!partnerName) return invalid(partnerId);
    const updated: PalLink = { ...link, partnerId, partnerName, version: link.version + 1, updatedTime: new Date(arm.deps.state.now()).toISOString() };
    store.links.set(store.key(r.caller.tenantId, r.caller.oid), updated);
    arm.recordWrite(r.ctx, r.caller, 'pal.patch', { partnerId, previousPartnerId: link.partnerId }, 200);
    return json(200, palJson(updated, 'one'));
  });

  addTenantRoute(router, arm, 'DELETE', ONE, (r) => {
    const link = current(r);
    if (!link || link.partnerId !== r.ctx.params.partnerId) return notFound();
    store.links.delete(store.key(r.caller.tenantId, r.caller.oid));
    arm.recordWrite(r.ctx, r.caller, 'pal.delete', { partnerId: link.partnerId }, 200);
    return { status: 200, body: '' };
  });
}
