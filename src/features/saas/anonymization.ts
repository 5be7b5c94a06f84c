import type { SaasGraph } from './graph.js';

/**
 * Seed 003, Data Anonymization: while Microsoft 365 conceals user names in reports, imported activity cannot be
 * tied to users and "all activity data will end up in Suspicious SaaS Activities". So the setting is checked before
 * activity is imported, and activity is not imported while it is on.
 */

export const TURN_OFF_CONCEALED_NAMES_STEPS = [
  'Sign in to the Microsoft 365 admin center.',
  'In the menu, go to Settings > Org settings and click the Services link at the top.',
  'Scroll down and click Reports.',
  'In the window that is displayed, clear the "Display concealed user, group, and site names in all reports" box.',
];

export const CONCEALED_NAMES_REASON =
  'Concealed (anonymized) user names are on in Microsoft 365 reports, so SSO application access (activity) is not imported: anonymized activity cannot be tied to users and would all end up as suspicious SaaS activity.';

export interface ConcealedNamesCheck {
  state: 'on' | 'off' | 'unknown';
  /** How it was determined, in words. */
  detail: string;
}

const HASH = /^[0-9A-F]{32}$/i;

/** The cells of one CSV line (quotes and doubled quotes handled). */
export function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') cells.push(cell), (cell = '');
    else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/** Reads the Office 365 active user report: are its user principal names hashes rather than addresses? */
export function concealedInReport(csv: string): ConcealedNamesCheck {
  const lines = csv.replace(/^\ufeff/, '').split(/\r?\n/).filter((l) => l.trim().length > 0);
  const header = lines.length ? csvCells(lines[0]) : [];
  const column = header.findIndex((h) => h.trim().toLowerCase() === 'user principal name');
  if (column < 0) return { state: 'unknown', detail: 'the usage report has no User Principal Name column' };
  const names = lines.slice(1).map((l) => csvCells(l)[column]?.trim() ?? '').filter(Boolean);
  if (names.length === 0) return { state: 'unknown', detail: 'the usage report has no rows to look at' };
  const hashed = names.filter((n) => HASH.test(n)).length;
  return hashed * 2 >= names.length
    ? { state: 'on', detail: `${hashed} of ${names.length} user names in the Office 365 active user report are hashes` }
    : { state: 'off', detail: 'user names in the Office 365 active user report are readable' };
}

const statusOf = (err: unknown) => (err as { statusCode?: number }).statusCode;

/**
 * admin/reportSettings (ReportSettings.Read.All) says it directly; without that permission, the usage report
 * (Reports.Read.All) shows it: hashed names in place of user principal names. Neither readable: unknown.
 */
export async function checkConcealedNames(graph: SaasGraph): Promise<ConcealedNamesCheck> {
  const refused: string[] = [];
  try {
    const settings = await graph.get<{ displayConcealedNames?: boolean }>('/admin/reportSettings');
    if (typeof settings.displayConcealedNames === 'boolean') {
      return { state: settings.displayConcealedNames ? 'on' : 'off', detail: `admin/reportSettings says displayConcealedNames is ${settings.displayConcealedNames}` };
    }
  } catch (err) {
    if (statusOf(err) !== 403) throw err;
    refused.push('ReportSettings.Read.All');
  }
  try {
    return concealedInReport(await graph.text("/reports/getOffice365ActiveUserDetail(period='D7')"));
  } catch (err) {
    if (statusOf(err) !== 403) throw err;
    refused.push('Reports.Read.All');
  }
  return { state: 'unknown', detail: `could not check: the app has neither ${refused.join(' nor ')} (either one lets the check run)` };
}
