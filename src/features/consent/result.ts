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

export function outcomeText(r: SubscriptionResult): string {
  return r.outcome === 'failed' ? `failed: ${r.reason ?? 'unknown reason'}` : OUTCOME_TEXT[r.outcome];
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
    subscriptions: results.map((r) => ({ title: r.displayName, value: outcomeText(r) })),
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
