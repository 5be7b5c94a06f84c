import type { Licence } from '../../store/types.js';
import { friendlySkuName } from './sku-names.js';

/** One row of the `licences` card. */
export interface LicenceRow {
  skuId: string;
  name: string;
  skuPartNumber: string;
  purchased: number;
  assigned: number;
  /** Purchased minus assigned, never below zero (an over-assigned SKU has none free). */
  unassigned: number;
  suspended: number;
  warning: number;
  capabilityStatus: string;
  servicePlans: string[];
  nothingAssigned: boolean;
  overAssigned: boolean;
}

export interface LicenceTotals {
  skus: number;
  purchased: number;
  assigned: number;
  unassigned: number;
  suspended: number;
  warning: number;
  nothingAssigned: number;
  overAssigned: number;
}

export interface LicenceReport {
  rows: LicenceRow[];
  totals: LicenceTotals;
}

/** The report: one row per SKU, sorted by friendly name, plus totals and the two flags' counts. */
export function buildLicenceReport(licences: Licence[]): LicenceReport {
  const rows = licences
    .map((l): LicenceRow => ({
      skuId: l.skuId,
      name: l.displayName ?? friendlySkuName(l.skuPartNumber),
      skuPartNumber: l.skuPartNumber,
      purchased: l.purchased,
      assigned: l.assigned,
      unassigned: Math.max(0, l.purchased - l.assigned),
      suspended: l.suspended ?? 0,
      warning: l.warning ?? 0,
      capabilityStatus: l.capabilityStatus ?? 'Enabled',
      servicePlans: (l.servicePlans ?? []).map((p) => p.servicePlanName),
      nothingAssigned: l.assigned === 0 && l.purchased > 0,
      overAssigned: l.assigned > l.purchased,
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.skuPartNumber.localeCompare(b.skuPartNumber));
  const sum = (f: (r: LicenceRow) => number) => rows.reduce((n, r) => n + f(r), 0);
  return {
    rows,
    totals: {
      skus: rows.length,
      purchased: sum((r) => r.purchased),
      assigned: sum((r) => r.assigned),
      unassigned: sum((r) => r.unassigned),
      suspended: sum((r) => r.suspended),
      warning: sum((r) => r.warning),
      nothingAssigned: rows.filter((r) => r.nothingAssigned).length,
      overAssigned: rows.filter((r) => r.overAssigned).length,
    },
  };
}

/** A change of one SKU between two imports. */
export interface LicenceChange {
  skuId: string;
  name: string;
  kind: 'added' | 'removed' | 'changed';
  assignedDelta: number;
  purchasedDelta: number;
}

/** What changed between the stored SKUs and the new ones (unchanged SKUs are left out). */
export function diffLicences(before: Licence[], after: Licence[]): LicenceChange[] {
  const old = new Map(before.map((l) => [l.skuId, l]));
  const changes: LicenceChange[] = [];
  for (const l of after) {
    const prev = old.get(l.skuId);
    old.delete(l.skuId);
    const name = friendlySkuName(l.skuPartNumber);
    if (!prev) changes.push({ skuId: l.skuId, name, kind: 'added', assignedDelta: l.assigned, purchasedDelta: l.purchased });
    else if (prev.assigned !== l.assigned || prev.purchased !== l.purchased)
      changes.push({ skuId: l.skuId, name, kind: 'changed', assignedDelta: l.assigned - prev.assigned, purchasedDelta: l.purchased - prev.purchased });
  }
  for (const prev of old.values())
    changes.push({ skuId: prev.skuId, name: friendlySkuName(prev.skuPartNumber), kind: 'removed', assignedDelta: -prev.assigned, purchasedDelta: -prev.purchased });
  return changes.sort((a, b) => a.name.localeCompare(b.name));
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** Lines such as "+12 assigned Office 365 E3", "-5 purchased Visio Plan 2", "New SKU: …", "SKU gone: …". */
export function describeLicenceChange(c: LicenceChange): string[] {
  if (c.kind === 'added') return [`New SKU: ${c.name} (${c.purchasedDelta} purchased, ${c.assignedDelta} assigned)`];
  if (c.kind === 'removed') return [`SKU gone: ${c.name} (had ${-c.purchasedDelta} purchased, ${-c.assignedDelta} assigned)`];
  const lines: string[] = [];
  if (c.assignedDelta) lines.push(`${signed(c.assignedDelta)} assigned ${c.name}`);
  if (c.purchasedDelta) lines.push(`${signed(c.purchasedDelta)} purchased ${c.name}`);
  return lines;
}
