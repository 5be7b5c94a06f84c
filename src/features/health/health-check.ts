import type { Deps } from '../../deps.js';
import type { CredentialKind, CredentialStatus, Tenant } from '../../store/types.js';
import { applyObservation, type Notice } from './credential-state.js';
import { healthMessages } from './notify.js';
import { observeTenant, type Observations } from './observe.js';
import type { HealthProbes } from './probes.js';

export const HEALTH_JOB = 'health.check';
export const HEALTH_TOPIC = 'health';
export const HEALTH_INTERVAL = '1 hour';
const JOB_ACTOR = `job:${HEALTH_JOB}`;

export type HealthCheckDeps = Pick<Deps, 'store' | 'sealer' | 'proactive' | 'cards' | 'logger' | 'now'>;

/** The job's data: one recurring job per connected tenant. */
export interface HealthJobData {
  workspaceId: string;
  tenantId: string;
}

export interface HealthRunResult {
  /** False when the tenant is gone. */
  checked: boolean;
  notices: Notice[];
  /** Messages posted (each to every conversation subscribed to `health`). */
  posted: { kind: 'problem' | 'recovered'; credentials: CredentialKind[]; sent: number }[];
}

interface Folded {
  tenant: Tenant;
  notices: Notice[];
  changes: { kind: CredentialKind; from?: string; to: string; code?: number; detail?: string }[];
  previous: Partial<Record<CredentialKind, CredentialStatus>>;
}

/**
 * One run of `health.check` for one tenant: observe every stored credential, fold the results into the tenant
 * record (compare-and-set, so two runs cannot both claim the same announcement), audit each state change, then post
 * what changed to the workspace's `health` subscribers. If every post fails, the announcement is handed back so
 * the next run tries again.
 */
export async function runHealthCheck(deps: HealthCheckDeps, probes: HealthProbes, data: HealthJobData): Promise<HealthRunResult> {
  const log = deps.logger.child({ job: HEALTH_JOB, workspaceId: data.workspaceId, tenantId: data.tenantId });
  const tenant = await deps.store.tenants.get(data.workspaceId, data.tenantId);
  if (!tenant) {
    log.info('tenant no longer connected: nothing to check');
    return { checked: false, notices: [], posted: [] };
  }
  const now = deps.now();
  const { observations, redeemedSealed } = await observeTenant(tenant, probes, deps.sealer, now);
  const folded = await foldAndStore(deps, data, observations, redeemedSealed, now);
  if (!folded) return { checked: false, notices: [], posted: [] };

  for (const change of folded.changes) {
    await deps.store.audit.append({
      workspaceId: data.workspaceId,
      tenantId: data.tenantId,
      actor: JOB_ACTOR,
      action: 'credential.state',
      target: `${data.tenantId}/${change.kind}`,
      outcome: 'success',
      detail: { kind: change.kind, from: change.from ?? null, to: change.to, ...(change.code ? { aadsts: change.code } : {}), ...(change.detail ? { reason: change.detail } : {}) },
    });
  }

  const posted: HealthRunResult['posted'] = [];
  const unannounced: CredentialKind[] = [];
  for (const message of healthMessages(deps.cards, folded.tenant, folded.notices, now)) {
    const counts = await deps.proactive.sendToTopic(data.workspaceId, HEALTH_TOPIC, { attachments: [message.attachment] });
    posted.push({ kind: message.kind, credentials: message.credentials, sent: counts.sent });
    if (counts.sent === 0 && counts.failed > 0) unannounced.push(...message.credentials);
  }
  if (unannounced.length) await handBack(deps, data, unannounced, folded.previous);
  log.info({ states: Object.entries(observations).map(([k, o]) => `${k}:${o.state}`), notices: folded.notices.length, posted: posted.length }, 'health check done');
  return { checked: true, notices: folded.notices, posted };
}

/** Applies the observations to the freshest tenant record; retries when another writer got there first. */
async function foldAndStore(deps: HealthCheckDeps, data: HealthJobData, observations: Observations, redeemedSealed: string | undefined, now: Date): Promise<Folded | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const tenant = await deps.store.tenants.get(data.workspaceId, data.tenantId);
    if (!tenant) return undefined;
    const credentials = { ...tenant.credentials };
    const folded: Folded = { tenant, notices: [], changes: [], previous: {} };
    for (const [kind, obs] of Object.entries(observations) as [CredentialKind, NonNullable<Observations[CredentialKind]>][]) {
      const prev = credentials[kind];
      // Someone stored a new refresh token (a reconnect) while we redeemed the old one: theirs wins, ours is dropped.
      if (kind === 'delegatedRefreshToken' && redeemedSealed !== undefined && prev?.sealed !== redeemedSealed) continue;
      const t = applyObservation(kind, prev, obs, now);
      credentials[kind] = t.next;
      folded.previous[kind] = prev;
      if (t.stateChanged) folded.changes.push({ kind, from: prev?.state, to: obs.state, code: obs.code, detail: obs.detail });
      if (t.notice) folded.notices.push(t.notice);
    }
    const next: Tenant = { ...tenant, credentials, updatedAt: laterThan(tenant.updatedAt, now) };
    if (await deps.store.tenants.replaceIf(next, { updatedAt: tenant.updatedAt ?? null })) return { ...folded, tenant: next };
  }
  throw new Error('tenant record kept changing during the health check; the next run will retry');
}

/** Puts back notifiedState/notifiedAt for credentials whose announcement reached nobody. */
async function handBack(deps: HealthCheckDeps, data: HealthJobData, kinds: CredentialKind[], previous: Folded['previous']): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const tenant = await deps.store.tenants.get(data.workspaceId, data.tenantId);
    if (!tenant) return;
    const credentials = { ...tenant.credentials };
    for (const kind of kinds) {
      const current = credentials[kind];
      if (!current) continue;
      const { notifiedState: _s, notifiedAt: _a, ...rest } = current;
      const before = previous[kind];
      credentials[kind] = { ...rest, ...(before?.notifiedState ? { notifiedState: before.notifiedState } : {}), ...(before?.notifiedAt ? { notifiedAt: before.notifiedAt } : {}) };
    }
    const next: Tenant = { ...tenant, credentials, updatedAt: laterThan(tenant.updatedAt, deps.now()) };
    if (await deps.store.tenants.replaceIf(next, { updatedAt: tenant.updatedAt ?? null })) return;
  }
}

/** A new updatedAt that differs from the old one even within the same millisecond: it is the compare-and-set token. */
function laterThan(previous: string | undefined, now: Date): string {
  const prev = previous ? Date.parse(previous) : NaN;
  return new Date(Number.isNaN(prev) || now.getTime() > prev ? now.getTime() : prev + 1).toISOString();
}
