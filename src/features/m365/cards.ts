import type { Attachment } from 'botbuilder';
import { CardFactory } from 'botbuilder';
import type { CardRenderer } from '../../teams/cards.js';
import { MAX_CARD_BYTES } from '../../teams/cards.js';
import type { Licence, Tenant } from '../../store/types.js';
import { defuseTemplateText } from '../status/view.js';
import { buildLicenceReport, describeLicenceChange, type LicenceChange, type LicenceRow, type LicenceTotals } from './licence-report.js';
import type { ImportFailure } from './failure.js';
import type { UserImportResult } from './user-import.js';

/** Room left for the activity around the card: Teams' 28 KB limit is for the whole message. */
const CARD_BUDGET = MAX_CARD_BYTES - 2048;
const ROWS_PER_PAGE = 10;
const MAX_PLANS_CHARS = 1200;

const tenantLabel = (t: Pick<Tenant, 'displayName' | 'id'>) => t.displayName || t.id;
const utc = (d: Date | string) => `${new Date(d).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function plansText(plans: string[]): string {
  if (plans.length === 0) return '(no service plans listed)';
  let text = '';
  for (let i = 0; i < plans.length; i++) {
    const next = text ? `${text}, ${plans[i]}` : plans[i];
    if (next.length > MAX_PLANS_CHARS) return `${text} and ${plans.length - i} more`;
    text = next;
  }
  return text;
}

function rowData(r: LicenceRow) {
  const flag = r.overAssigned ? `Over-assigned: ${r.assigned - r.purchased} more assigned than purchased` : r.nothingAssigned ? 'Nothing assigned: all purchased licences are unused' : '';
  return {
    name: r.name, skuPartNumber: r.skuPartNumber, capabilityStatus: r.capabilityStatus,
    purchased: String(r.purchased), assigned: String(r.assigned), unassigned: String(r.unassigned), suspended: String(r.suspended), warning: String(r.warning),
    hasFlag: flag !== '', flag, plans: plansText(r.servicePlans),
  };
}

function flagsText(t: LicenceTotals): string {
  const parts: string[] = [];
  if (t.overAssigned) parts.push(`${t.overAssigned} over-assigned SKU${t.overAssigned === 1 ? '' : 's'}`);
  if (t.nothingAssigned) parts.push(`${t.nothingAssigned} SKU${t.nothingAssigned === 1 ? '' : 's'} with nothing assigned`);
  return parts.length ? `Attention: ${parts.join('; ')}.` : '';
}

/**
 * The `licences` card for one page. Pages are cut so that each card stays under Teams' size limit (rows with long
 * service-plan lists make smaller pages) and at most ten SKUs long; the cut depends only on the data, so page n is
 * the same page every time it is asked for.
 */
export function licencesCard(cards: CardRenderer, tenant: Pick<Tenant, 'displayName' | 'id'>, licences: Licence[], page: number): { attachment: Attachment; page: number; pages: number } {
  const report = buildLicenceReport(licences);
  const importedAt = licences.map((l) => l.lastSeenAt ?? '').sort().at(-1);
  const data = (rows: LicenceRow[], n: number, of: number) =>
    defuseTemplateText({
      tenantName: tenantLabel(tenant), tenantId: tenant.id,
      subtitle: `${importedAt ? `Imported ${utc(importedAt)}` : 'Not imported yet'}${of > 1 ? ` · page ${n} of ${of}` : ''}`,
      totals: Object.fromEntries(Object.entries(report.totals).map(([k, v]) => [k, String(v)])),
      hasFlags: flagsText(report.totals) !== '', flagsText: flagsText(report.totals),
      rows: rows.map(rowData), isEmpty: report.rows.length === 0,
      hasPrevious: n > 1, hasNext: n < of, previousPage: n - 1, nextPage: n + 1,
    });
  // Each row adds the same bytes whatever page it is on, so one expansion per row (and one without rows) is enough.
  const size = (rows: LicenceRow[]) => Buffer.byteLength(JSON.stringify(cards.expand('m365-licences', data(rows, 2, 3))));
  const base = size([]);
  const pages: LicenceRow[][] = [];
  let current: LicenceRow[] = [];
  let bytes = base;
  for (const row of report.rows) {
    const rowBytes = size([row]) - base + 1; // + the comma between rows
    if (current.length && (current.length >= ROWS_PER_PAGE || bytes + rowBytes > CARD_BUDGET)) {
      pages.push(current);
      current = [];
      bytes = base;
    }
    current.push(row);
    bytes += rowBytes;
  }
  if (current.length || pages.length === 0) pages.push(current);
  const n = Math.min(Math.max(1, Math.trunc(page) || 1), pages.length);
  return { attachment: CardFactory.adaptiveCard(cards.expand('m365-licences', data(pages[n - 1], n, pages.length))), page: n, pages: pages.length };
}

export interface SyncSummary {
  tenant: Pick<Tenant, 'displayName' | 'id'>;
  via: string;
  users: UserImportResult;
  licences: Licence[];
  licenceChanges: LicenceChange[];
  firstLicenceImport: boolean;
  finishedAt: Date;
}

/** The lines under "Changes since the previous import", e.g. "10 users added", "+10 assigned Office 365 E3". */
export function changeLines(s: SyncSummary): string[] {
  const lines: string[] = [];
  const u = s.users;
  if (u.round === 'changes') {
    if (u.added) lines.push(`${u.added} user${u.added === 1 ? '' : 's'} added`);
    if (u.updated) lines.push(`${u.updated} user${u.updated === 1 ? '' : 's'} changed`);
    if (u.removed) lines.push(`${u.removed} user${u.removed === 1 ? '' : 's'} removed`);
  } else if (u.removed) lines.push(`${u.removed} user${u.removed === 1 ? '' : 's'} no longer in the directory`);
  return [...lines, ...s.licenceChanges.flatMap(describeLicenceChange)];
}

export function syncCard(cards: CardRenderer, s: SyncSummary): Attachment {
  const totals = buildLicenceReport(s.licences).totals;
  const u = s.users;
  const usersLine = u.round === 'full'
    ? `Full import: ${u.total} users read${u.resumed ? ' (resumed after an interruption)' : ''}`
    : `Changes only: ${u.added} added, ${u.updated} changed, ${u.removed} removed${u.resumed ? ' (resumed after an interruption)' : ''}`;
  const lines = changeLines(s);
  const first = u.round === 'full' && s.firstLicenceImport;
  return CardFactory.adaptiveCard(cards.expand('m365-sync', defuseTemplateText({
    tenantName: tenantLabel(s.tenant), tenantId: s.tenant.id,
    subtitle: `Finished ${utc(s.finishedAt)}`,
    usersTotal: String(u.total), usersLine,
    licencesLine: `${totals.purchased} purchased, ${totals.assigned} assigned, ${totals.unassigned} unassigned (${totals.skus} SKUs)`,
    via: s.via,
    changes: lines.map((line) => ({ line })),
    noChanges: lines.length === 0,
    noChangesText: first ? 'This was the first import: later imports list what changed.' : 'Nothing changed since the previous import.',
  })));
}

export function failureCard(cards: CardRenderer, tenant: Pick<Tenant, 'displayName' | 'id'>, failure: ImportFailure, via: string, at: Date): Attachment {
  return CardFactory.adaptiveCard(cards.expand('m365-failure', defuseTemplateText({
    headline: failure.headline, tenantName: tenantLabel(tenant), tenantId: tenant.id, detail: failure.detail, fix: failure.fix,
    stage: failure.stageWords, via, microsoftSaid: failure.microsoftSaid, at: utc(at),
    progressNote: 'Users and licences already imported are kept; the next import continues from the last page stored.',
  })));
}
