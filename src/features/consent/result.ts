import type { AzureRole } from '../../store/types.js';
import { defuseTemplateText } from '../status/view.js';
import type { AssignmentOutcome, SubscriptionResult } from './assign.js';
import type { AccessResult } from './grant-access.js';
import type { CallbackPage } from './pages.js';
import { DEFAULT_SYNC_MODE } from './record.js';

export const OUTCOME_TEXT: Record<AssignmentOutcome, string> = {
  assigned: 'assigned',
  alreadyAssigned: 'already assigned',
  skippedNotOwner: 'skipped (not owner)',
  failed: 'failed',
};

/** Rows on one card: Teams refuses cards over ~28 KB, and an admin may own hundreds of subscriptions. */
export const MAX_ROWS = 50;
const ORDER: AssignmentOutcome[] = ['failed', 'skippedNotOwner', 'assigned', 'alreadyAssigned'];

export function outcomeText(r: SubscriptionResult): string {
  return r.outcome === 'failed' ? `failed: ${(r.reason ?? 'unknown reason').slice(0, 300)}` : OUTCOME_TEXT[r.outcome];
}

/** The rows to show: failures first (they need action), then skipped, then the rest; the remainder counted. */
function rows(results: SubscriptionResult[]): { title: string; value: string }[] {
  const sorted = [...results].sort((a, b) => ORDER.indexOf(a.outcome) - ORDER.indexOf(b.outcome));
  const shown = sorted.slice(0, MAX_ROWS).map((r) => ({ title: r.displayName.slice(0, 80), value: outcomeText(r) }));
  const rest = sorted.slice(MAX_ROWS);
  if (rest.length === 0) return shown;
  const counts = ORDER.map((o) => [OUTCOME_TEXT[o], rest.filter((r) => r.outcome === o).length] as const).filter(([, n]) => n > 0);
  return [...shown, { title: `…and ${rest.length} more`, value: counts.map(([label, n]) => `${n} ${label}`).join(', ') }];
}

export interface ResultView {
  mode: 'connect' | 'addSubscriptions';
  role: AzureRole;
  signedInAs?: string;
  windowClosesAt: Date;
  access: AccessResult;
}

/** Card data for cards/consent-result.json. */
export function resultCardData(v: ResultView) {
  const { tenant, results, graph } = v.access;
  const held = results.filter((r) => r.outcome === 'assigned' || r.outcome === 'alreadyAssigned').length;
  const skipped = results.filter((r) => r.outcome === 'skippedNotOwner').length;
  const failed = results.filter((r) => r.outcome === 'failed').length;
  const who = v.signedInAs ? `Signed in as ${v.signedInAs}. ` : '';
  const summary = results.length === 0
    ? `${who}That account holds no role on any Azure subscription of this tenant, so no Azure access was granted.`
    : `${who}**${v.role}** is held on ${held} of ${results.length} subscription(s)${skipped ? `; ${skipped} skipped (not owner)` : ''}${failed ? `; ${failed} failed` : ''}.`;
  const graphLine = graph.state === 'ok' ? 'Microsoft 365 read permissions: granted.' : `Microsoft 365 read permissions: ${graph.state}. ${graph.detail ?? ''}`;
  return defuseTemplateText({
    title: `${v.mode === 'connect' ? 'Connected' : 'Subscriptions added'}: ${tenant.displayName}`,
    summary,
    subscriptions: rows(results),
    details: [
      graphLine,
      held ? `New subscriptions sync in Read Tags Only mode (${DEFAULT_SYNC_MODE}): resources and tags are read, never written.` : '',
      `The sign-in may be used until ${v.windowClosesAt.toISOString().slice(11, 16)} UTC; \`add subscriptions\` uses it until then, then asks you to sign in again.`,
    ].filter(Boolean).join(' '),
  });
}

/** The browser page after a successful sign-in. */
export function resultPage(v: ResultView): CallbackPage {
  const data = resultCardData(v);
  return { status: 200, title: data.title, lines: [data.summary.replace(/\*\*/g, ''), 'The result is also posted in the Teams conversation where you started.'], rows: data.subscriptions.map((s) => ({ name: s.title, outcome: s.value })) };
}
