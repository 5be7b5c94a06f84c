import type { Attachment } from 'botbuilder';
import type { Deps } from '../../deps.js';
import type { SaasRunSummary } from '../../store/types.js';
import type { CardRenderer } from '../../teams/cards.js';
import { defuseTemplateText } from '../status/view.js';
import { TURN_OFF_CONCEALED_NAMES_STEPS } from './anonymization.js';
import { saasSecretOf } from './connection.js';
import type { DiscoveryOutcome } from './discover.js';
import { TASK_INFO } from './tasks.js';

export const SAAS_TOPIC = 'saas';
const MAX_LINES = 20;
const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
const STATE_COLOR = { done: 'Good', skipped: 'Warning', failed: 'Attention' } as const;

/** The summary of one discovery run: each task, newly discovered apps, users who lost access, and warnings. */
export function runCard(cards: CardRenderer, outcome: DiscoveryOutcome): Attachment {
  const { tenant, summary, doctor } = outcome;
  const warnings: string[] = [];
  if (outcome.tokenProblem) warnings.push(`No token for the app registration: ${outcome.tokenProblem.message} Paste a working secret with \`connect saas\`.`);
  if (doctor.concealedNames === 'on') warnings.push('Concealed user names are ON in Microsoft 365 reports, so no activity was imported (it would all end up as suspicious SaaS activity). To turn them off:', ...TURN_OFF_CONCEALED_NAMES_STEPS.map((s, i) => `${i + 1}. ${s}`));
  const secret = saasSecretOf(tenant);
  if (secret.state === 'expiring' && secret.expiresAt) warnings.push(`The app registration's client secret ends ${utc(secret.expiresAt)}: add a new one and paste it with \`connect saas\`.`);
  const lost = outcome.lostAccess.map((a) => `${[a.givenName, a.surname].filter(Boolean).join(' ') || a.principalDisplayName || a.principalId}${a.email ? ` (${a.email})` : ''} lost access to ${a.appDisplayName ?? a.appId}`);
  const newApps = outcome.newApps.map((a) => `${a.displayName}${a.publisher ? ` (${a.publisher})` : ''} · open access: ${a.openAccess ? 'yes' : 'no'}`);
  const hidden = Math.max(0, newApps.length - MAX_LINES) + Math.max(0, lost.length - MAX_LINES);
  return cards.attachment('saas-run', defuseTemplateText({
    title: `SaaS discovery: ${tenant.displayName || tenant.id}`,
    subtitle: `${summary.outcome === 'success' ? 'Completed' : summary.outcome === 'partial' ? 'Partly completed' : 'Failed'} ${utc(summary.finishedAt)}`,
    tasks: summary.tasks.map((t) => ({ label: TASK_INFO[t.task].label, state: t.state, detail: t.detail ?? '', color: STATE_COLOR[t.state] })),
    warnings,
    newAppsTitle: `Newly discovered apps (${newApps.length})`,
    newApps: newApps.slice(0, MAX_LINES),
    lostTitle: `Users who lost access (${lost.length})`,
    lost: lost.slice(0, MAX_LINES),
    more: hidden ? `…and ${hidden} more: type \`apps\` or \`apps <name>\`.` : '',
    tenantId: tenant.id,
  }));
}

/** Subscribers hear of new apps, lost access, or a change of outcome; a quiet daily run posts nothing. */
export function worthPosting(outcome: DiscoveryOutcome, previous: SaasRunSummary | undefined): boolean {
  return outcome.newApps.length > 0 || outcome.lostAccess.length > 0 || outcome.summary.outcome !== previous?.outcome;
}

/**
 * Posts the run card to the `saas` subscribers (when worth it) and, always, to the conversation that typed
 * `sync saas` (once, if it is also a subscriber). Resolves how many conversations got it.
 */
export async function postOutcome(deps: Pick<Deps, 'proactive' | 'cards' | 'store'>, outcome: DiscoveryOutcome, previous: SaasRunSummary | undefined, requestedIn?: string): Promise<number> {
  const card = runCard(deps.cards, outcome);
  const workspaceId = outcome.tenant.workspaceId;
  let sent = 0;
  let reachedRequester = false;
  if (worthPosting(outcome, previous)) {
    const subscribers = await deps.store.conversations.find(workspaceId, { topics: SAAS_TOPIC });
    for (const c of subscribers) {
      if ((await deps.proactive.send(workspaceId, c.id, { attachments: [card] })) === 'sent') sent++;
      if (c.id === requestedIn) reachedRequester = true;
    }
  }
  if (requestedIn && !reachedRequester && (await deps.proactive.send(workspaceId, requestedIn, { attachments: [card] })) === 'sent') sent++;
  return sent;
}
