import type { JobRunSummary } from '../../jobs/scheduler-types.js';
import type { CredentialKind, CredentialState, CredentialStatus, Subscription, SyncMode, Tenant } from '../../store/types.js';

export interface Fact {
  title: string;
  value: string;
}

/** One connected tenant as the status card shows it. Every field is a string: the card leaves nothing unresolved. */
export interface TenantStatusView {
  id: string;
  heading: string;
  consented: string;
  credentials: Fact[];
  subscriptionsSummary: string;
  subscriptions: Fact[];
  jobs: Fact[];
}

/** Subscriptions listed by name on the card; the rest are counted (Teams refuses cards over ~28 KB). */
export const MAX_LISTED_SUBSCRIPTIONS = 10;

const CREDENTIAL_LABELS: Record<CredentialKind, string> = {
  azureConsent: 'Azure consent',
  graphConsent: 'Microsoft 365 consent',
  clientSecret: 'Client secret',
  delegatedRefreshToken: 'Delegated sign-in',
  partnerCenterRefreshToken: 'Partner Center token',
  saasClientSecret: 'SaaS discovery client secret',
};

const STATE_LABELS: Record<CredentialState, string> = {
  ok: '✅ OK',
  missing: '⚪ Not set up',
  incomplete: '⚠️ Incomplete',
  expiring: '⚠️ Expiring',
  expired: '❌ Expired',
  revoked: '❌ Revoked',
  blocked: '❌ Blocked by Conditional Access',
  error: '❌ Error',
};

export const SYNC_MODE_LABELS: Record<SyncMode, string> = {
  none: 'No Resources',
  noTags: 'No Tags',
  readTags: 'Read Tags Only',
  readWriteTags: 'Read and Write Tags',
};

const RESULT_LABELS: Record<JobRunSummary['result'], string> = {
  never: 'not run yet',
  running: 'running',
  succeeded: '✅ succeeded',
  failed: '❌ failed',
  interrupted: '⚠️ interrupted (will run again)',
};

/** `2025-01-31 14:05 UTC`: unambiguous for every reader of a shared channel. */
export const utc = (at: Date | string): string => new Date(at).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

export function credentialFacts(credentials: Tenant['credentials']): Fact[] {
  const entries = Object.entries(credentials) as [CredentialKind, CredentialStatus | undefined][];
  const facts = entries
    .filter((e): e is [CredentialKind, CredentialStatus] => Boolean(e[1]))
    .map(([kind, c]) => ({
      title: CREDENTIAL_LABELS[kind] ?? kind,
      value: [STATE_LABELS[c.state] ?? c.state, c.expiresAt && `expires ${utc(c.expiresAt)}`, c.detail, `checked ${utc(c.updatedAt)}`].filter(Boolean).join(' · '),
    }));
  return facts.length ? facts : [{ title: 'Credentials', value: 'none stored yet' }];
}

export function subscriptionFacts(subscriptions: Subscription[]): { summary: string; facts: Fact[] } {
  if (subscriptions.length === 0) return { summary: 'No subscriptions connected yet.', facts: [{ title: 'Subscriptions', value: 'none' }] };
  const groups = new Map<string, number>();
  for (const s of subscriptions) {
    const key = `${s.role ?? 'no role'}, ${SYNC_MODE_LABELS[s.syncMode] ?? s.syncMode}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  const summary = `${subscriptions.length} connected: ${[...groups].map(([key, n]) => `${n} × ${key}`).join('; ')}.`;
  const facts = subscriptions.slice(0, MAX_LISTED_SUBSCRIPTIONS).map((s) => ({
    title: s.displayName || s.subscriptionId,
    value: [s.role ?? 'no role', SYNC_MODE_LABELS[s.syncMode] ?? s.syncMode, s.state, s.lastSyncAt && `synced ${utc(s.lastSyncAt)} (${s.lastSyncOutcome ?? 'unknown'})`].filter(Boolean).join(' · '),
  }));
  const more = subscriptions.length - facts.length;
  return { summary, facts: more > 0 ? [...facts, { title: '…', value: `and ${more} more` }] : facts };
}

export function jobFacts(runs: JobRunSummary[]): Fact[] {
  if (runs.length === 0) return [{ title: 'Jobs', value: 'none defined' }];
  return runs.map((r) => ({
    title: r.name,
    value:
      r.jobs === 0
        ? 'not scheduled for this tenant'
        : [RESULT_LABELS[r.result], r.lastRunAt && utc(r.lastRunAt), r.result === 'failed' && r.failReason, r.nextRunAt && `next ${utc(r.nextRunAt)}`].filter(Boolean).join(' · '),
  }));
}

export function tenantView(tenant: Tenant, subscriptions: Subscription[], runs: JobRunSummary[]): TenantStatusView {
  const subs = subscriptionFacts(subscriptions);
  return {
    id: tenant.id,
    heading: `${tenant.displayName || tenant.id}${tenant.defaultDomain ? ` (${tenant.defaultDomain})` : ''}`,
    consented: `Connected by ${tenant.consentedBy.name ?? tenant.consentedBy.aadObjectId} on ${utc(tenant.consentedAt)}`,
    credentials: credentialFacts(tenant.credentials),
    subscriptionsSummary: subs.summary,
    subscriptions: subs.facts,
    jobs: jobFacts(runs),
  };
}

/**
 * Names and details come from Microsoft tenants and job errors; a literal `${` in them would read as an unresolved
 * template field and fail the card. A space defuses it without hiding anything.
 */
export function defuseTemplateText<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? v.replace(/\$\{/g, '$ {') : v))) as T;
}
