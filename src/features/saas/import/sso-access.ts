import type { GraphPage } from '../../../microsoft/graph-pages.js';
import { scopedId, type SsoSignin } from '../../../store/types.js';
import type { ImportContext } from './context.js';
import { finishPass, loadPass, savePending, type PendingPass, type SignInRange } from './sso-pass.js';

export { pendingPassCheckpointId, signInCheckpointId, type PendingPass, type SignInRange } from './sso-pass.js';

interface GraphSignIn {
  id: string;
  createdDateTime: string;
  userId: string;
  userPrincipalName?: string | null;
  appId: string;
  appDisplayName?: string | null;
  status?: { errorCode?: number | null } | null;
  location?: { city?: string | null; state?: string | null; countryOrRegion?: string | null } | null;
}

/** Sign-ins can reach the log a few minutes late, so each run looks back this far behind its watermark. */
export const WATERMARK_LOOKBACK_MS = 15 * 60_000;
/** Graph's largest (and default) signIns page (List signIns: "The maximum and default page size is 1,000"). */
export const SIGN_IN_PAGE_SIZE = 1000;
/**
 * Distinct (app, user) last logins gathered across pages before they are written. One batch rewrites the lowdb
 * segments it touches once, instead of once per page; memory holds one batch, never the pass.
 */
export const SIGN_IN_BATCH = 5000;

export interface SsoAccessResult {
  /** Sign-ins read. */
  read: number;
  /** (app, user) last-login records written (new or newer). */
  stored: number;
  /** The oldest `createdDateTime ge` bound this run read from (absent: the whole log). */
  since?: string;
  watermark?: string;
  /** This run finished an earlier run's interrupted pass. */
  resumed: boolean;
}

export function loginLocation(s: Pick<GraphSignIn, 'location'>): string | undefined {
  const l = s.location;
  const text = [l?.city, l?.state, l?.countryOrRegion].filter((p): p is string => Boolean(p)).join(', ');
  return text || undefined;
}

const lookBackFrom = (watermark: string | undefined) => (watermark ? new Date(Date.parse(watermark) - WATERMARK_LOOKBACK_MS).toISOString().replace(/\.000Z$/, 'Z') : undefined);

/** The sign-ins query: successful sign-ins, from the watermark (minus the look-back) when there is one. */
export function signInsUrl(watermark: string | undefined): { url: string; since?: string } {
  const since = lookBackFrom(watermark);
  return { url: rangeUrl({ since }), since };
}

/** Successful sign-ins in a window of the log, newest first, in Graph's largest pages. */
export function rangeUrl(range: SignInRange): string {
  const clauses = [range.since ? `createdDateTime ge ${range.since}` : '', range.until ? `createdDateTime le ${range.until}` : '', 'status/errorCode eq 0'];
  return `/auditLogs/signIns?$filter=${encodeURIComponent(clauses.filter(Boolean).join(' and '))}&$top=${SIGN_IN_PAGE_SIZE}`;
}

/**
 * SSO application access: per user and app, the last login and its location, from auditLogs/signIns. Incremental:
 * only sign-ins since the saved watermark are read. The next page is fetched while the current one is folded into
 * a batch of last logins; each batch is stored, then the pass's progress is checkpointed, so a run that stops
 * half-way resumes with what it had not read (and anything newer); the watermark moves once the whole pass is
 * stored. A stored login is only ever replaced by a newer one.
 */
export async function importSsoAccess(ctx: ImportContext, opts: { batch?: number } = {}): Promise<SsoAccessResult> {
  const batchSize = opts.batch ?? SIGN_IN_BATCH;
  const { watermark: previous, pending } = await loadPass(ctx);
  const pass: PendingPass = { newest: pending?.newest ?? previous, ranges: [{ since: lookBackFrom(pending?.newest ?? previous) }, ...(pending?.ranges ?? [])] };
  const since = pass.ranges.some((r) => !r.since) ? undefined : pass.ranges.map((r) => r.since!).sort()[0];
  const totals = { read: 0, stored: 0 };
  let saved = pending !== undefined;
  while (pass.ranges.length) {
    await readRange(ctx, pass, totals, batchSize, async () => {
      await savePending(ctx, pass);
      saved = true;
    });
  }
  await finishPass(ctx, previous, pass.newest, saved);
  return { ...totals, since, watermark: pass.newest, resumed: pending !== undefined };
}

/** Reads pass.ranges[0] to its end (then drops it), storing a batch at a time and checkpointing after each. */
async function readRange(ctx: ImportContext, pass: PendingPass, totals: { read: number; stored: number }, batchSize: number, checkpoint: () => Promise<void>): Promise<void> {
  const range = pass.ranges[0];
  let batch = new Map<string, SsoSignin>();
  let oldest: string | undefined;
  let next: Promise<GraphPage<GraphSignIn>> | undefined = ctx.graph.page<GraphSignIn>(rangeUrl(range));
  try {
    while (next) {
      const page: GraphPage<GraphSignIn> = await next;
      next = page.nextLink ? ctx.graph.page<GraphSignIn>(page.nextLink) : undefined;
      totals.read += page.value.length;
      for (const s of page.value) {
        if (!oldest || s.createdDateTime < oldest) oldest = s.createdDateTime;
        if ((s.status?.errorCode ?? 0) !== 0 || !s.userId || !s.appId) continue;
        const key = `${s.appId}/${s.userId}`;
        const held = batch.get(key);
        if (!held || held.createdDateTime < s.createdDateTime) batch.set(key, toSsoSignin(s, ctx, key));
        if (!pass.newest || pass.newest < s.createdDateTime) pass.newest = s.createdDateTime;
      }
      if (batch.size < batchSize && next) continue;
      totals.stored += await storeNewer(ctx, [...batch.values()]);
      batch = new Map();
      // Newest first: every sign-in of the range newer than `oldest` is now stored (ties are read again).
      if (next) pass.ranges[0] = { ...range, until: oldest ?? range.until };
      else pass.ranges.shift();
      if (next || pass.ranges.length) await checkpoint();
      await ctx.touch?.();
    }
  } finally {
    // A prefetched page nobody will read must not surface as an unhandled rejection.
    next?.catch(() => undefined);
  }
}

/** Writes the logins newer than what is stored. The look-ups go out together (one round trip's wait on MongoDB). */
async function storeNewer(ctx: ImportContext, logins: SsoSignin[]): Promise<number> {
  const held = await Promise.all(logins.map((login) => ctx.store.ssoSignins.get(ctx.workspaceId, login.id)));
  const records = logins.filter((login, i) => !held[i] || held[i].createdDateTime < login.createdDateTime);
  if (records.length) await ctx.store.ssoSignins.bulkUpsert(records);
  return records.length;
}

function toSsoSignin(s: GraphSignIn, ctx: Pick<ImportContext, 'workspaceId' | 'tenantId' | 'runAt'>, key: string): SsoSignin {
  const location = loginLocation(s);
  return {
    id: scopedId(ctx.tenantId, key),
    workspaceId: ctx.workspaceId,
    tenantId: ctx.tenantId,
    signInId: s.id,
    appId: s.appId,
    ...(s.appDisplayName ? { appDisplayName: s.appDisplayName } : {}),
    userId: s.userId,
    ...(s.userPrincipalName ? { userPrincipalName: s.userPrincipalName } : {}),
    createdDateTime: s.createdDateTime,
    succeeded: true,
    errorCode: 0,
    ...(location ? { location } : {}),
    lastSeenAt: ctx.runAt,
  };
}
