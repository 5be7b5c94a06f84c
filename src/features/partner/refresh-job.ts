import { CardFactory } from 'botbuilder';
import type { Deps } from '../../deps.js';
import { PartnerCenterClient } from '../../microsoft/partner-center.js';
import type { CredentialStatus, Tenant } from '../../store/types.js';
import { applyObservation, type Observation } from '../health/credential-state.js';
import { defuseTemplateText } from '../status/view.js';
import { freshPartnerCredential, PARTNER_CREDENTIAL, unsealPartnerToken } from './credential.js';
import { classifyPartnerFailure, type PartnerProblem } from './problems.js';
import { everyForTenant } from '../../jobs/per-tenant.js';

export const PARTNER_REFRESH_JOB = 'partner.refresh';
/** Nightly, 02:00 UTC (seed 004: "The token will automatically refresh each night"). */
export const PARTNER_REFRESH_CRON = '0 2 * * *';
const HEALTH_TOPIC = 'health';

export interface PartnerRefreshData {
  workspaceId: string;
  tenantId: string;
}

export type PartnerRefreshOutcome =
  | { status: 'refreshed'; posted: number; recovered: boolean }
  | { status: 'failed'; problem: PartnerProblem; posted: number }
  | { status: 'skipped'; reason: string };

/** A passing failure: thrown so the scheduler retries; nothing is announced. */
export class TransientPartnerError extends Error {
  override name = 'TransientPartnerError';
}

/**
 * One `partner.refresh`: exchanges the partner's refresh token (Partner Center audience), stores the new one sealed
 * with its issue time, and proves it with a Partner Center call (customers, one item). On failure the credential's
 * state changes and ONE card goes to the `health` subscribers, saying what happened and whether a partner admin must
 * sign in again; the same state is never announced twice (the credential keeps `notifiedState`, shared with
 * health.check), and a later success posts one recovery message.
 */
export async function runPartnerRefresh(deps: Deps, data: PartnerRefreshData): Promise<PartnerRefreshOutcome> {
  const partner = await deps.store.tenants.get(data.workspaceId, data.tenantId);
  const status = partner?.credentials[PARTNER_CREDENTIAL];
  if (!partner || !status) return { status: 'skipped', reason: 'Partner Center is not linked for this tenant' };
  let observation: Observation;
  let problem: PartnerProblem | undefined;
  try {
    const refreshToken = unsealPartnerToken(deps, partner);
    const grant = await deps.microsoft.authCode.refresh({ tenant: partner.id, refreshToken, scopes: [deps.microsoft.endpoints.scopes.partnerCenter] });
    const client = new PartnerCenterClient(deps.microsoft.endpoints.partnerCenter, async () => grant.accessToken, { attempts: 3 });
    await client.customerPages(1).next();
    const fresh = freshPartnerCredential(deps, partner, grant.refreshToken ?? refreshToken, status);
    observation = { state: 'ok', sealed: fresh.sealed, expiresAt: fresh.expiresAt };
  } catch (err) {
    problem = classifyPartnerFailure(err);
    deps.logger.warn({ job: PARTNER_REFRESH_JOB, ...data, state: problem.state, err }, 'partner token refresh failed');
    if (problem.transient) throw new TransientPartnerError(problem.reason);
    observation = { state: problem.state, detail: `${problem.reason}. Manual re-consent needed: ${problem.reconsent ? 'yes' : 'no'}.` };
  }
  const { tenant, notice } = await fold(deps, partner, observation);
  await deps.store.audit.append({
    workspaceId: partner.workspaceId, tenantId: partner.id, actor: `job:${PARTNER_REFRESH_JOB}`, action: 'credential.refresh', target: `${partner.id}/${PARTNER_CREDENTIAL}`,
    outcome: problem ? 'failure' : 'success', detail: problem ? { state: problem.state, reason: problem.reason, reconsent: problem.reconsent } : { sealed: true },
  });
  if (!notice) return problem ? { status: 'failed', problem, posted: 0 } : { status: 'refreshed', posted: 0, recovered: false };
  const attachment = CardFactory.adaptiveCard(deps.cards.expand('partner-health', defuseTemplateText(problem
    ? { headline: `Partner Center link ${headlineOf(problem)}`, color: 'Attention', tenantName: tenant.displayName || tenant.id, tenantId: tenant.id, what: problem.reason, reconsent: problem.reconsent ? 'Yes: a partner admin must sign in again.' : 'No: fix the cause below and the nightly refresh recovers by itself.', fix: problem.fix, showRelink: problem.reconsent, at: utc(deps.now()) }
    : { headline: 'Partner Center link works again', color: 'Good', tenantName: tenant.displayName || tenant.id, tenantId: tenant.id, what: 'The nightly refresh succeeded and a new refresh token is stored.', reconsent: 'No.', fix: 'Nothing to do.', showRelink: false, at: utc(deps.now()) })));
  const counts = await deps.proactive.sendToTopic(partner.workspaceId, HEALTH_TOPIC, { attachments: [attachment] });
  return problem ? { status: 'failed', problem, posted: counts.sent } : { status: 'refreshed', posted: counts.sent, recovered: true };
}

function headlineOf(p: PartnerProblem): string {
  return { expired: 'expired', revoked: 'was revoked', missing: 'needs a new sign-in', blocked: 'is blocked by Conditional Access', error: 'failed' }[p.state];
}

const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** Folds the observation into the freshest record (compare-and-set on updatedAt, as health.check does). */
async function fold(deps: Deps, partner: Tenant, observation: Observation): Promise<{ tenant: Tenant; notice?: ReturnType<typeof applyObservation>['notice'] }> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = (await deps.store.tenants.get(partner.workspaceId, partner.id)) ?? partner;
    const prev = current.credentials[PARTNER_CREDENTIAL];
    const t = applyObservation(PARTNER_CREDENTIAL, prev, observation, deps.now());
    const next: CredentialStatus = observation.state === 'ok' ? { ...t.next, issuedAt: deps.now().toISOString(), updatedAt: deps.now().toISOString() } : t.next;
    const tenant: Tenant = { ...current, credentials: { ...current.credentials, [PARTNER_CREDENTIAL]: next }, updatedAt: laterThan(current.updatedAt, deps.now()) };
    if (await deps.store.tenants.replaceIf(tenant, { updatedAt: current.updatedAt ?? null })) return { tenant, notice: t.notice };
  }
  throw new Error('the partner tenant record kept changing during the refresh; the next run retries');
}

/** A new updatedAt that differs from the old one even within one millisecond (it is the compare-and-set token). */
export function laterThan(previous: string | undefined, now: Date): string {
  const prev = previous ? Date.parse(previous) : NaN;
  return new Date(Number.isNaN(prev) || now.getTime() > prev ? now.getTime() : prev + 1).toISOString();
}

/** The partner tenant's nightly refresh (idempotent: an existing schedule is kept). */
export function schedulePartnerRefresh(deps: Pick<Deps, 'scheduler'>, partner: Pick<Tenant, 'workspaceId' | 'id'>): Promise<string> {
  return everyForTenant(deps.scheduler, PARTNER_REFRESH_CRON, PARTNER_REFRESH_JOB, partner, { timezone: 'UTC' });
}
