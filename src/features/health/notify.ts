import type { Attachment } from 'botbuilder';
import type { CredentialKind, CredentialState, Tenant } from '../../store/types.js';
import type { CardRenderer } from '../../teams/cards.js';
import { RECONNECT_FIX, SECRET_FIX } from './credential-errors.js';
import type { Notice } from './credential-state.js';
import { CREDENTIAL_LABELS } from './credentials.js';
import { humanDuration, utcTime } from './duration.js';

/**
 * The Action.Execute verb of the Reconnect button, with data `{ tenantId }`. The connect feature (helper 7) owns
 * the handler that starts a new sign-in for that tenant.
 */
export const RECONNECT_VERB = 'connect';

/** One message to post: a card for a group of problems that share a state, or one recovery card. */
export interface HealthMessage {
  kind: 'problem' | 'recovered';
  credentials: CredentialKind[];
  attachment: Attachment;
}

const STATE_WORDS: Partial<Record<CredentialState, string>> = {
  expired: 'expired',
  revoked: 'was revoked',
  blocked: 'is blocked by Conditional Access',
  missing: 'is missing (consent missing)',
};

function fixFor(kinds: CredentialKind[], state: CredentialState): string {
  if (kinds.includes('saasClientSecret')) return 'Add a new client secret to the SaaS discovery app registration (Certificates & secrets), then paste its Value with `connect saas`.';
  if (kinds.includes('clientSecret')) return SECRET_FIX;
  if (state === 'blocked') return 'Ask an Entra admin to let Tenant Steward through the Conditional Access policy, then press Reconnect.';
  if (kinds.includes('partnerCenterRefreshToken')) return 'A partner admin links Partner Center again (a new sign-in with MFA), which stores a fresh refresh token.';
  return RECONNECT_FIX;
}

const GROUP_TITLES: Partial<Record<CredentialState, string>> = {
  expired: 'Expired',
  revoked: 'Revoked',
  blocked: 'Blocked by Conditional Access',
  missing: 'Consent missing',
  expiring: 'Expiring soon',
};

function headline(kinds: CredentialKind[], notice: Extract<Notice, { kind: 'problem' }>, now: Date): string {
  if (kinds.length > 1) return `${GROUP_TITLES[notice.state] ?? notice.state}: ${kinds.map((k) => CREDENTIAL_LABELS[k]).join(' and ')}`;
  const subject = CREDENTIAL_LABELS[kinds[0]];
  if (notice.state === 'expiring' && notice.expiresAt) {
    return `${subject} expires in ${humanDuration(Date.parse(notice.expiresAt) - now.getTime())}`;
  }
  if (notice.state === 'missing' && kinds.includes('clientSecret')) return `${subject} is not configured`;
  return `${subject} ${STATE_WORDS[notice.state] ?? notice.state}`;
}

/**
 * Turns one run's notices into messages: problems that share a state (and expiry threshold) make one card, so an
 * event that breaks two credentials at once is one alert; every recovery of the run makes one message.
 */
export function healthMessages(cards: CardRenderer, tenant: Pick<Tenant, 'id' | 'displayName'>, notices: Notice[], now: Date): HealthMessage[] {
  const messages: HealthMessage[] = [];
  const groups = new Map<string, Extract<Notice, { kind: 'problem' }>[]>();
  for (const n of notices) {
    if (n.kind !== 'problem') continue;
    const key = `${n.state}:${n.thresholdDays ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  const common = { tenantName: tenant.displayName || tenant.id, tenantId: tenant.id, checkedAt: utcTime(now) };
  for (const group of groups.values()) {
    const kinds = group.map((n) => n.credential);
    const first = group[0];
    messages.push({
      kind: 'problem',
      credentials: kinds,
      attachment: cards.attachment('health-alert', {
        ...common,
        headline: headline(kinds, first, now),
        color: first.state === 'expiring' ? 'Warning' : 'Attention',
        credentials: group.map((n) => ({ label: CREDENTIAL_LABELS[n.credential], detail: n.detail ?? first.state })),
        fix: fixFor(kinds, first.state),
        reconnectVerb: RECONNECT_VERB,
      }),
    });
  }
  const recovered = notices.filter((n): n is Extract<Notice, { kind: 'recovered' }> => n.kind === 'recovered');
  if (recovered.length) {
    messages.push({
      kind: 'recovered',
      credentials: recovered.map((n) => n.credential),
      attachment: cards.attachment('health-recovered', {
        ...common,
        credentials: recovered.map((n) => ({ label: CREDENTIAL_LABELS[n.credential], detail: `working again (was ${n.previous})` })),
      }),
    });
  }
  return messages;
}
