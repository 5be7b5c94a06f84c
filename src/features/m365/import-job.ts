import type { Attachment } from 'botbuilder';
import type { Deps } from '../../deps.js';
import type { GraphPageReader } from '../../microsoft/graph-pages.js';
import type { RetryOptions } from '../../microsoft/retry.js';
import type { Tenant } from '../../store/types.js';
import { describeAccess, graphReaderFor, importAccessOf } from './access.js';
import { failureCard, syncCard, type SyncSummary } from './cards.js';
import { describeImportFailure, type ImportFailure, type ImportStage } from './failure.js';
import { importLicences } from './licence-import.js';
import { takeRunLock } from '../../jobs/run-lock.js';
import { importUsers } from './user-import.js';

export const M365_JOB = 'm365.import';
export const M365_TOPIC = 'm365';

export interface M365JobData {
  workspaceId: string;
  tenantId: string;
  /** Set by `sync m365`: the summary also goes to the conversation that asked. */
  requestedBy?: { conversationId: string; aadObjectId: string };
}

export type M365RunOutcome =
  | { status: 'done'; summary: SyncSummary; posted: number }
  | { status: 'failed'; failure: ImportFailure; posted: number }
  | { status: 'busy' | 'skipped'; reason: string };

export interface RunHooks {
  touch?: () => Promise<void>;
  signal?: AbortSignal;
  afterPageStored?: (page: number) => Promise<void>;
  /** The run is the last automatic try (a transient failure is then announced instead of retried). */
  lastAttempt?: boolean;
  /** The scheduler's job id: a run lock left by an earlier run of this job (a killed process) is taken over. */
  runId?: string;
  /** Retry settings for Graph page reads (tests shorten the waits). */
  retry?: RetryOptions & { maxPageSize?: number };
}

/** A transient failure the scheduler should retry; its failure is in `failure`. */
export class TransientImportError extends Error {
  override name = 'TransientImportError';
  constructor(readonly failure: ImportFailure) {
    super(`${failure.headline}: ${failure.microsoftSaid}`);
  }
}

/**
 * One `m365.import` run for one tenant: users through users/delta (resuming any interrupted round), then
 * subscribedSkus; then one summary card to the `m365` subscribers (and to whoever typed `sync m365`). A failure is
 * described in words (Conditional Access, the missing permission by name, the partner link) and posted once per
 * kind; a transient one (throttling, outage) is thrown for the scheduler to retry, and posted only on the last try.
 */
export async function runM365Import(deps: Deps, data: M365JobData, hooks: RunHooks = {}): Promise<M365RunOutcome> {
  const log = deps.logger.child({ job: M365_JOB, workspaceId: data.workspaceId, tenantId: data.tenantId });
  const tenant = await deps.store.tenants.get(data.workspaceId, data.tenantId);
  if (!tenant) return { status: 'skipped', reason: 'the tenant is no longer connected' };
  const access = importAccessOf(tenant);
  if (!access) return { status: 'skipped', reason: 'the tenant has no Microsoft 365 access (neither admin consent nor a CSP partner link)' };
  const lock = await takeRunLock(deps.store, 'm365', data.workspaceId, data.tenantId, deps.now, { runId: hooks.runId });
  if (!lock) {
    const requester = data.requestedBy?.conversationId;
    if (requester) await deps.proactive.send(tenant.workspaceId, requester, `An import of **${tenant.displayName || tenant.id}** is already running (the daily one, or another \`sync m365\`). Its summary goes to the channels subscribed to m365; type \`sync m365\` again in a few minutes for one here.`);
    return { status: 'busy', reason: 'an import of this tenant is already running' };
  }
  const via = describeAccess(access);
  let stage: ImportStage = 'token';
  let done: SyncSummary | undefined;
  let failure: ImportFailure | undefined;
  try {
    const readPage: GraphPageReader = await graphReaderFor(deps, tenant, access, hooks.retry);
    const touch = async () => {
      await lock.renew();
      await hooks.touch?.();
    };
    stage = 'users';
    const users = await importUsers({ store: deps.store, workspaceId: tenant.workspaceId, tenantId: tenant.id, readPage, now: deps.now, touch, signal: hooks.signal, afterPageStored: hooks.afterPageStored });
    stage = 'subscribedSkus';
    const licences = await importLicences({ store: deps.store, workspaceId: tenant.workspaceId, tenantId: tenant.id, readPage, now: deps.now });
    done = { tenant, via, users, licences: licences.licences, licenceChanges: licences.changes, firstLicenceImport: licences.first, finishedAt: deps.now() };
  } catch (err) {
    failure = describeImportFailure(err, stage, access, tenant.displayName || tenant.id);
    log.warn({ err, kind: failure.kind, stage }, 'm365 import failed');
  } finally {
    // Released before anything is posted: a slow Teams send never holds up the next import.
    await lock.release();
  }
  if (done) {
    const u = done.users;
    await recordOutcome(deps, tenant, { ok: true });
    await deps.store.audit.append({ workspaceId: tenant.workspaceId, tenantId: tenant.id, actor: `job:${M365_JOB}`, action: 'm365.import', target: tenant.id, outcome: 'success', detail: { round: u.round, added: u.added, updated: u.updated, removed: u.removed, users: u.total, skus: done.licences.length } });
    log.info({ round: u.round, pages: u.pages, users: u.total, skus: done.licences.length }, 'm365 import done');
    return { status: 'done', summary: done, posted: await post(deps, tenant, data, syncCard(deps.cards, done), true) };
  }
  const f = failure!;
  if (f.transient && !hooks.lastAttempt) throw new TransientImportError(f);
  const repeat = await recordOutcome(deps, tenant, { ok: false, kind: f.kind });
  await deps.store.audit.append({ workspaceId: tenant.workspaceId, tenantId: tenant.id, actor: `job:${M365_JOB}`, action: 'm365.import', target: tenant.id, outcome: 'failure', detail: { kind: f.kind, stage: f.stage, microsoftSaid: f.microsoftSaid } });
  return { status: 'failed', failure: f, posted: await post(deps, tenant, data, failureCard(deps.cards, tenant, f, via, deps.now()), !repeat) };
}

/** Keeps the last outcome (`${tenantId}/m365.last`); resolves whether it repeats the previous failure. */
async function recordOutcome(deps: Deps, tenant: Tenant, outcome: { ok: boolean; kind?: string }): Promise<boolean> {
  const id = `${tenant.id}/m365.last`;
  const prev = await deps.store.checkpoints.get(tenant.workspaceId, id);
  const value = JSON.stringify({ ...outcome, at: deps.now().toISOString() });
  await deps.store.checkpoints.upsert({ id, workspaceId: tenant.workspaceId, tenantId: tenant.id, value, updatedAt: deps.now().toISOString() });
  if (!prev || outcome.ok) return false;
  try {
    const last = JSON.parse(prev.value) as { ok?: boolean; kind?: string };
    return last.ok === false && last.kind === outcome.kind;
  } catch {
    return false;
  }
}

/** To the requester's conversation, and (unless told not to) to the m365 subscribers, each conversation once. */
async function post(deps: Deps, tenant: Tenant, data: M365JobData, attachment: Attachment, toSubscribers: boolean): Promise<number> {
  let sent = 0;
  const requester = data.requestedBy?.conversationId;
  if (requester && (await deps.proactive.send(tenant.workspaceId, requester, { attachments: [attachment] })) === 'sent') sent++;
  if (!toSubscribers) return sent;
  for (const c of await deps.store.conversations.find(tenant.workspaceId, { topics: M365_TOPIC })) {
    if (c.id === requester) continue;
    if ((await deps.proactive.send(tenant.workspaceId, c.id, { attachments: [attachment] })) === 'sent') sent++;
  }
  return sent;
}
