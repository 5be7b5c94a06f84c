import type { GraphPageReader } from '../../microsoft/graph-pages.js';
import type { Store } from '../../store/port.js';
import { scopedId, type Licence } from '../../store/types.js';
import { diffLicences, type LicenceChange } from './licence-report.js';
import { friendlySkuName } from './sku-names.js';

/** A subscribedSku as Graph returns it (the fields seed 002 lists, and the unit counts). */
export interface GraphSubscribedSku {
  skuId: string;
  skuPartNumber: string;
  capabilityStatus?: string;
  appliesTo?: string;
  consumedUnits?: number;
  prepaidUnits?: { enabled?: number; suspended?: number; warning?: number; lockedOut?: number };
  servicePlans?: { servicePlanId: string; servicePlanName: string; provisioningStatus?: string }[];
}

export interface LicenceImportResult {
  licences: Licence[];
  /** Against what the previous import stored; empty on the first import. */
  changes: LicenceChange[];
  first: boolean;
}

/** The stored record of a subscribedSku: purchased is prepaidUnits.enabled, assigned is consumedUnits. */
export function toLicence(workspaceId: string, tenantId: string, sku: GraphSubscribedSku, seenAt: string): Licence {
  return {
    id: scopedId(tenantId, sku.skuId),
    workspaceId,
    tenantId,
    skuId: sku.skuId,
    skuPartNumber: sku.skuPartNumber,
    displayName: friendlySkuName(sku.skuPartNumber),
    capabilityStatus: sku.capabilityStatus,
    appliesTo: sku.appliesTo,
    purchased: sku.prepaidUnits?.enabled ?? 0,
    assigned: sku.consumedUnits ?? 0,
    suspended: sku.prepaidUnits?.suspended ?? 0,
    warning: sku.prepaidUnits?.warning ?? 0,
    lockedOut: sku.prepaidUnits?.lockedOut ?? 0,
    servicePlans: (sku.servicePlans ?? []).map((p) => ({ servicePlanId: p.servicePlanId, servicePlanName: p.servicePlanName, provisioningStatus: p.provisioningStatus })),
    lastSeenAt: seenAt,
  };
}

/** Reads subscribedSkus (following nextLinks, though Graph sends one page), stores them and reports the changes. */
export async function importLicences(opts: { store: Store; workspaceId: string; tenantId: string; readPage: GraphPageReader; now: () => Date }): Promise<LicenceImportResult> {
  const { store, workspaceId, tenantId } = opts;
  const skus: GraphSubscribedSku[] = [];
  for (let url: string | undefined = '/subscribedSkus'; url; ) {
    const page: Awaited<ReturnType<GraphPageReader>> = await opts.readPage<GraphSubscribedSku>(url);
    skus.push(...(page.value as GraphSubscribedSku[]));
    url = page.nextLink;
  }
  const seenAt = opts.now().toISOString();
  const licences = skus.map((s) => toLicence(workspaceId, tenantId, s, seenAt));
  const before = await store.licences.find(workspaceId, { tenantId });
  if (licences.length) await store.licences.bulkUpsert(licences);
  const present = new Set(licences.map((l) => l.id));
  for (const gone of before.filter((l) => !present.has(l.id))) await store.licences.delete(workspaceId, gone.id);
  return { licences, changes: before.length ? diffLicences(before, licences) : [], first: before.length === 0 };
}
