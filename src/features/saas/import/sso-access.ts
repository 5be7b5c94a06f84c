import type { GraphPage } from '../../../microsoft/graph-pages.js';
import { scopedId, type SsoSignin } from '../../../store/types.js';
import type { ImportContext } from './context.js';
import { finishPass, loadPass, savePending, type PendingPass, type SignInRange } from './sso-pass.js';
import { WrittenKeys } from './written-keys.js';
import { ReadAhead } from '../../../microsoft/read-ahead.js';

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
 * Distinct (app, user) last logins gathered before they are written and the pass is checkpointed: about one page.
 * Small on purpose: a batch lives across the pages that fill it, and every young-generation GC it survives copies
 * it (5,000 spent twice the GC time per page over 1M sign-ins). lowdb appends a batch as one write, MongoDB sends
 * one bulkWrite. Memory holds one batch, never the pass.
 */
export const SIGN_IN_BATCH = 1000;

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
  if (!l) return undefined;
  // Called once per stored login: plain concatenation, no intermediate array.
  let text = l.city || '';
  if (l.state) text = text ? `${text}, ${l.state}` : l.state;
  if (l.countryOrRegion) text = text ? `${text}, ${l.countryOrRegion}` : l.countryOrRegion;
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
  const known: StoredSoFar = { upTo: newer(previous, pending?.newest), written: new WrittenKeys() };
  let saved = pending !== undefined;
  while (pass.ranges.length) {
    await readRange(ctx, pass, totals, batchSize, known, async () => {
      await savePending(ctx, pass);
      saved = true;
    });
  }
  await finishPass(ctx, previous, pass.newest, saved);
  return { ...totals, since, watermark: pass.newest, resumed: pending !== undefined };
}

const newer = (a: string | undefined, b: string | undefined) => (a === undefined ? b : b === undefined || b < a ? a : b);

/**
 * What the store can hold, so that a login need not be looked up before it is written. `upTo`: no login stored
 * before this run is newer than it (the watermark, or the interrupted pass's newest sign-in). The one exception,
 * a batch stored by a run stopped before its first checkpoint, came from the head of the same log window that
 * this run reads first and newest first, so this run's first sighting of such a login is at least as new.
 * `written`: the logins this run has written. A login newer than `upTo` and not in `written` is newer than what
 * the store holds; anything else is compared with the stored login.
 */
interface StoredSoFar {
  upTo?: string;
  written: WrittenKeys;
}

/**
 * Pages requested or waiting ahead of the fold: 2 means a page is requested as soon as the one before it arrives,
 * even while the fold is storing. At most two parsed pages (~1,000 sign-ins each) wait.
 */
const READ_AHEAD = 2;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Reads pass.ranges[0] to its end (then drops it), storing a batch at a time and checkpointing after each. */
async function readRange(ctx: ImportContext, pass: PendingPass, totals: { read: number; stored: number }, batchSize: number, known: StoredSoFar, checkpoint: () => Promise<void>): Promise<void> {
  const range = pass.ranges[0];
  let batch = new Map<string, SsoSignin>();
  let oldest: string | undefined;
  // Each page is requested as soon as the one before it arrives, while this loop folds and stores earlier pages.
  const pages = new ReadAhead<GraphSignIn>((url) => ctx.graph.page(url), rangeUrl(range), READ_AHEAD);
  try {
    for (let more = true; more; ) {
      const page: GraphPage<GraphSignIn> = await pages.next();
      more = page.nextLink !== undefined;
      // ReadAhead asked for the next page when this one arrived, but through the Graph client's middleware: a
      // chain of promise steps that would otherwise wait behind this page's fold and store (~1 ms of work to go).
      if (more) await yieldToEventLoop();
      totals.read += page.value.length;
      let newest = pass.newest;
      for (const s of page.value) {
        const at = s.createdDateTime;
        if (oldest === undefined || at < oldest) oldest = at;
        if ((s.status?.errorCode ?? 0) !== 0 || !s.userId || !s.appId) continue;
        const key = `${s.appId}/${s.userId}`;
        const held = batch.get(key);
        if (held === undefined || held.createdDateTime < at) batch.set(key, toSsoSignin(s, ctx, key));
        if (newest === undefined || newest < at) newest = at;
      }
      pass.newest = newest;
      if (batch.size < batchSize && more) continue;
      totals.stored += await storeNewer(ctx, batch, known);
      batch = new Map();
      // Newest first: every sign-in of the range newer than `oldest` is now stored (ties are read again).
      if (more) pass.ranges[0] = { ...range, until: oldest ?? range.until };
      else pass.ranges.shift();
      if (more || pass.ranges.length) await checkpoint();
      await ctx.touch?.();
    }
  } finally {
    pages.stop();
  }
}

/**
 * Writes the logins newer than what is stored. Only those the store may hold something as new for are looked up
 * (see {@link StoredSoFar}); the look-ups go out together (one round trip's wait on MongoDB).
 */
async function storeNewer(ctx: ImportContext, logins: Map<string, SsoSignin>, known: StoredSoFar): Promise<number> {
  const records: SsoSignin[] = [];
  const unsure: SsoSignin[] = [];
  for (const [key, login] of logins) {
    if ((known.upTo !== undefined && login.createdDateTime <= known.upTo) || known.written.mayHold(key)) unsure.push(login);
    else records.push(login);
  }
  const held = await Promise.all(unsure.map((login) => ctx.store.ssoSignins.get(ctx.workspaceId, login.id)));
  for (let i = 0; i < unsure.length; i++) {
    if (!held[i] || held[i]!.createdDateTime < unsure[i].createdDateTime) records.push(unsure[i]);
  }
  if (records.length === 0) return 0;
  await ctx.store.ssoSignins.bulkUpsert(records);
  for (const record of records) known.written.add(record.id.slice(ctx.tenantId.length + 1));
  return records.length;
}

function toSsoSignin(s: GraphSignIn, ctx: Pick<ImportContext, 'workspaceId' | 'tenantId' | 'runAt'>, key: string): SsoSignin {
  // One record per new or newer login of a million sign-ins: optional fields are added in a fixed order (one
  // hidden class per combination), not spread in.
  const record: SsoSignin = {
    id: scopedId(ctx.tenantId, key),
    workspaceId: ctx.workspaceId,
    tenantId: ctx.tenantId,
    signInId: s.id,
    appId: s.appId,
    userId: s.userId,
    createdDateTime: s.createdDateTime,
    succeeded: true,
    errorCode: 0,
    lastSeenAt: ctx.runAt,
  };
  if (s.appDisplayName) record.appDisplayName = s.appDisplayName;
  if (s.userPrincipalName) record.userPrincipalName = s.userPrincipalName;
  const location = loginLocation(s);
  if (location) record.location = location;
  return record;
}
