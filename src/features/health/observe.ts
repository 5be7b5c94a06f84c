import type { Sealer } from '../../security/sealer.js';
import type { CredentialKind, CredentialStatus, Tenant } from '../../store/types.js';
import { classifyCredentialFailure, type CredentialFailure } from './credential-errors.js';
import { stateByExpiry, type Observation } from './credential-state.js';
import { credentialSealContext, REFRESH_TOKEN_LIFETIME_DAYS } from './credentials.js';
import { DAY_MS, humanDuration, utcTime } from './duration.js';
import type { HealthProbes } from './probes.js';

export type Observations = Partial<Record<CredentialKind, Observation>>;

export interface ObserveResult {
  observations: Observations;
  /** The sealed refresh token the delegated check redeemed: a concurrent writer may have replaced it since. */
  redeemedSealed?: string;
}

const failed = (f: CredentialFailure, prev?: CredentialStatus): Observation => ({
  state: f.state,
  detail: f.reason,
  code: f.code,
  // A failure says nothing new about when the credential ends; keep what was known.
  ...(prev?.expiresAt ? { expiresAt: prev.expiresAt } : {}),
});

/**
 * Checks each credential the tenant has stored, for real: app-only tokens for ARM and Graph, the delegated refresh
 * (rotating and resealing the refresh token), our client secret's end date, the Partner Center token's age.
 * A failure caused by our client secret is counted against `clientSecret` alone, so an expired secret is one
 * problem (one card), not one per credential that needed it.
 */
export async function observeTenant(tenant: Tenant, probes: HealthProbes, sealer: Sealer, now: Date): Promise<ObserveResult> {
  const creds = tenant.credentials;
  const observations: Observations = {};
  const secretFailures: CredentialFailure[] = [];
  let appOnlyWorked = false;
  let redeemedSealed: string | undefined;

  const record = (kind: CredentialKind, err: unknown) => {
    const f = classifyCredentialFailure(err);
    if (f.concernsClientSecret) secretFailures.push(f);
    else observations[kind] = failed(f, creds[kind]);
  };

  if (probes.appConfigured) {
    for (const [kind, resource] of [['azureConsent', 'arm'], ['graphConsent', 'graph']] as const) {
      if (!creds[kind]) continue;
      try {
        const { roles } = await probes.appOnlyToken(tenant.id, resource);
        appOnlyWorked = true;
        observations[kind] = resource === 'graph' && roles.length === 0
          ? { state: 'missing', detail: 'consent missing: the app-only Graph token carries no application permissions' }
          : { state: 'ok' };
      } catch (err) {
        record(kind, err);
      }
    }
  }

  const delegated = creds.delegatedRefreshToken;
  if (delegated?.sealed && probes.appConfigured) {
    const context = credentialSealContext(tenant.workspaceId, tenant.id, 'delegatedRefreshToken');
    let refreshToken: string | undefined;
    try {
      refreshToken = sealer.unseal(delegated.sealed, context);
    } catch {
      observations.delegatedRefreshToken = { state: 'missing', detail: 'the stored refresh token cannot be decrypted (the sealing key changed?)' };
    }
    if (refreshToken !== undefined) {
      redeemedSealed = delegated.sealed;
      try {
        const rotated = await probes.refreshDelegated(tenant.id, refreshToken);
        observations.delegatedRefreshToken = {
          state: 'ok',
          sealed: sealer.seal(rotated.refreshToken, context),
          expiresAt: new Date(now.getTime() + REFRESH_TOKEN_LIFETIME_DAYS * DAY_MS).toISOString(),
        };
      } catch (err) {
        record('delegatedRefreshToken', err);
      }
    }
  }

  const secret = await observeClientSecret(creds.clientSecret, probes, secretFailures, appOnlyWorked, now);
  if (secret) observations.clientSecret = secret;

  const partner = creds.partnerCenterRefreshToken;
  if (partner) observations.partnerCenterRefreshToken = partnerCenterAge(partner, now);

  const saasSecret = creds.saasClientSecret;
  if (saasSecret) observations.saasClientSecret = saasSecretObservation(saasSecret, now);

  return { observations, redeemedSealed };
}

async function observeClientSecret(prev: CredentialStatus | undefined, probes: HealthProbes, failures: CredentialFailure[], appOnlyWorked: boolean, now: Date): Promise<Observation | undefined> {
  if (!probes.appConfigured) return undefined;
  if (failures.length) return failed(failures[0], prev);
  let endsAt: Date | undefined;
  try {
    endsAt = await probes.clientSecretEndsAt();
  } catch (err) {
    const f = classifyCredentialFailure(err);
    if (f.concernsClientSecret) return failed(f, prev);
  }
  const known = endsAt ?? (prev?.expiresAt ? new Date(prev.expiresAt) : undefined);
  if (known) {
    const state = stateByExpiry(known, now);
    const left = known.getTime() - now.getTime();
    const detail = state === 'expired' ? `expired on ${utcTime(known)}` : state === 'expiring' ? `expires on ${utcTime(known)}, in ${humanDuration(left)}` : undefined;
    return { state, expiresAt: known.toISOString(), ...(detail ? { detail } : {}) };
  }
  return appOnlyWorked ? { state: 'ok' } : undefined;
}

/**
 * The client secret of the customer's own SaaS-discovery app registration (`connect saas`). saas.discover (daily) and
 * `saas check` request a token with it and read its end date from Graph `applications`; here that stored result is
 * re-read hourly, so each expiry reminder (30, 7, 1 days) goes out on time.
 */
function saasSecretObservation(status: CredentialStatus, now: Date): Observation {
  const byExpiry = status.state === 'ok' || status.state === 'expiring' || status.state === 'expired';
  if (!byExpiry || !status.expiresAt) return { state: status.state, ...(status.detail ? { detail: status.detail } : {}), ...(status.expiresAt ? { expiresAt: status.expiresAt } : {}) };
  const known = new Date(status.expiresAt);
  const state = stateByExpiry(known, now);
  const detail = state === 'expired' ? `expired on ${utcTime(known)}` : state === 'expiring' ? `expires on ${utcTime(known)}, in ${humanDuration(known.getTime() - now.getTime())}` : undefined;
  return { state, expiresAt: status.expiresAt, ...(detail ? { detail } : {}) };
}

/** States only partner.refresh sets on the Partner Center token (the age check alone never finds them). */
const REFRESH_FAILURES: ReadonlySet<CredentialStatus['state']> = new Set(['expired', 'revoked', 'missing', 'blocked']);

/**
 * Partner Center refresh tokens last 90 days from issue (`issuedAt`, set by whoever stores the token); without it,
 * the stored `expiresAt`, and failing that the time the credential was last written.
 */
function partnerCenterAge(status: CredentialStatus, now: Date): Observation {
  const lifetime = REFRESH_TOKEN_LIFETIME_DAYS * DAY_MS;
  const expiresAt = status.issuedAt
    ? new Date(Date.parse(status.issuedAt) + lifetime)
    : status.expiresAt ? new Date(status.expiresAt) : new Date(Date.parse(status.updatedAt) + lifetime);
  const state = stateByExpiry(expiresAt, now);
  const age = now.getTime() - (expiresAt.getTime() - lifetime);
  // A failure found by the nightly partner.refresh (revoked, consent or MFA missing, blocked) is not undone by the
  // token's age looking fine: only a successful refresh or a new link (which store state 'ok') clears it.
  if (state !== 'expired' && REFRESH_FAILURES.has(status.state)) return { state: status.state, expiresAt: expiresAt.toISOString(), ...(status.detail ? { detail: status.detail } : {}) };
  const detail = state === 'ok' ? undefined : `issued ${humanDuration(age)} ago; Partner Center refresh tokens last ${REFRESH_TOKEN_LIFETIME_DAYS} days (${state === 'expired' ? 'ended' : 'ends'} ${utcTime(expiresAt)})`;
  return { state, expiresAt: expiresAt.toISOString(), ...(detail ? { detail } : {}) };
}
