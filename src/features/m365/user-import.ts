import type { GraphPage, GraphPageReader } from '../../microsoft/graph-pages.js';
import { ReadAhead } from '../../microsoft/read-ahead.js';
import type { Store } from '../../store/port.js';
import type { DirectoryUser } from '../../store/types.js';
import { clearDeltaCheckpoint, emptyCounts, loadDeltaCheckpoint, saveDeltaCheckpoint, type DeltaCheckpoint, type RoundCounts } from './delta-checkpoint.js';
import { toDirectoryUser, USER_FIELDS, type GraphDeltaUser } from './user-record.js';

export interface UserImportOptions {
  store: Store;
  workspaceId: string;
  tenantId: string;
  readPage: GraphPageReader;
  now: () => Date;
  /** Called once per page (renews the job lock). */
  touch?: () => Promise<void>;
  /** Called after a page is stored and before its checkpoint is saved (tests simulate a crash here). */
  afterPageStored?: (page: number) => Promise<void>;
  signal?: AbortSignal;
}

export interface UserImportResult extends RoundCounts {
  round: 'full' | 'changes';
  /** The round continued from a checkpoint a previous (interrupted) run left. */
  resumed: boolean;
  /** Users of the tenant not deleted, after the run. */
  total: number;
}

/** The first request of a full round: every seed-002 field, through users/delta. */
export const FIRST_DELTA_URL = `/users/delta?$select=${USER_FIELDS.join(',')}`;

/**
 * Imports the tenant's users through users/delta: the first run reads everyone, later runs follow the deltaLink and
 * read only changes. Pages are read ahead (see ReadAhead): each is requested as soon as the previous one's nextLink is
 * known, even while earlier pages are still being stored, so the store work hides behind Graph's round trips instead
 * of delaying them. Memory stays bounded by three pages (the one being stored, and two read ahead). A page's checkpoint is saved only after that page is stored, so an
 * interrupted run resumes at the first page not yet stored. A full round ends by marking deleted the users it did
 * not see (gone while no deltaLink was held).
 */
export async function importUsers(opts: UserImportOptions): Promise<UserImportResult> {
  const { store, workspaceId, tenantId } = opts;
  const saved = await loadDeltaCheckpoint(store, workspaceId, tenantId);
  let state: DeltaCheckpoint = startState(saved, opts.now());
  const resumed = saved?.kind === 'next';
  let pages = new ReadAhead<GraphDeltaUser>(opts.readPage, state.link);
  try {
    for (;;) {
      if (opts.signal?.aborted) throw new Error('the import was cancelled');
      await opts.touch?.();
      let page: GraphPage<GraphDeltaUser>;
      try {
        page = await pages.next();
      } catch (err) {
        pages.stop();
        if (!isResyncRequired(err) || (state.round === 'full' && state.link === FIRST_DELTA_URL)) throw err;
        // Graph forgot the delta state (410): start again with a full round.
        await clearDeltaCheckpoint(store, workspaceId, tenantId);
        state = startState(undefined, opts.now());
        pages = new ReadAhead<GraphDeltaUser>(opts.readPage, state.link);
        continue;
      }
      const counts = await storePage(opts, state, page.value);
      state.counts = { added: state.counts.added + counts.added, updated: state.counts.updated + counts.updated, removed: state.counts.removed + counts.removed, pages: state.counts.pages + 1 };
      await opts.afterPageStored?.(state.counts.pages);
      const next = page.nextLink ?? page.deltaLink;
      if (!next) throw new Error('Graph ended a users/delta page with neither a nextLink nor a deltaLink');
      if (!page.nextLink && state.round === 'full') state.counts.removed += await sweepUnseen(opts, state.roundStartedAt);
      const finished = !page.nextLink;
      await saveDeltaCheckpoint(store, workspaceId, tenantId, { ...state, link: next, kind: finished ? 'delta' : 'next' }, opts.now());
      if (finished) break;
      state = { ...state, link: next, kind: 'next' };
    }
  } finally {
    // Pages read ahead when the run stops (failure, cancel) are dropped: they are read again on resume.
    pages.stop();
  }
  const total = await store.directoryUsers.count(workspaceId, { tenantId, deleted: false });
  return { ...state.counts, round: state.round, resumed, total };
}

function startState(saved: DeltaCheckpoint | undefined, now: Date): DeltaCheckpoint {
  if (saved?.kind === 'next') return saved;
  if (saved?.kind === 'delta') return { link: saved.link, kind: 'next', round: 'changes', roundStartedAt: now.toISOString(), counts: emptyCounts() };
  return { link: FIRST_DELTA_URL, kind: 'next', round: 'full', roundStartedAt: now.toISOString(), counts: emptyCounts() };
}

/** Stores one page. In a change round each user is merged with its stored record (Graph may send only changes). */
async function storePage(opts: UserImportOptions, state: DeltaCheckpoint, users: GraphDeltaUser[]): Promise<Omit<RoundCounts, 'pages'>> {
  const { store, workspaceId, tenantId } = opts;
  const seenAt = opts.now().toISOString();
  const counts = { added: 0, updated: 0, removed: 0 };
  const unique = [...new Map(users.map((u) => [u.id, u])).values()];
  const previous = state.round === 'changes'
    ? await Promise.all(unique.map((u) => store.directoryUsers.get(workspaceId, `${tenantId}/${u.id}`)))
    : unique.map(() => undefined);
  const records: DirectoryUser[] = unique.map((u, i) => {
    const before = previous[i];
    if (u['@removed']) {
      if (before && !before.deleted) counts.removed++;
    } else if (state.round === 'changes') {
      if (before && !before.deleted) counts.updated++;
      else counts.added++;
    }
    return toDirectoryUser(workspaceId, tenantId, u, seenAt, before);
  });
  if (records.length === 0) return counts;
  const result = await store.directoryUsers.bulkUpsert(records);
  if (state.round === 'full') {
    counts.added += result.inserted;
    counts.updated += result.updated;
  }
  return counts;
}

/**
 * After a full round: users stored before it and not seen in it are gone upstream. Reads the live users oldest-seen
 * first, a batch at a time, so a round where everyone was seen costs one small query, and memory stays one batch.
 */
async function sweepUnseen(opts: UserImportOptions, roundStartedAt: string): Promise<number> {
  const { store, workspaceId, tenantId } = opts;
  const BATCH = 500;
  let removed = 0;
  for (;;) {
    // Marked users leave the `deleted: false` set, so each query starts again from the oldest still live.
    const batch = await store.directoryUsers.find(workspaceId, { tenantId, deleted: false }, { sort: { field: 'lastSeenAt', dir: 1 }, limit: BATCH });
    const stale = batch.filter((u) => (u.lastSeenAt ?? '') < roundStartedAt);
    if (stale.length) {
      await store.directoryUsers.bulkUpsert(stale.map((u) => ({ ...u, deleted: true, assignedSkuIds: [], assignedLicenses: [] })));
      removed += stale.length;
    }
    if (stale.length < BATCH) return removed;
  }
}

function isResyncRequired(err: unknown): boolean {
  const e = err as { statusCode?: number; code?: string };
  return e?.statusCode === 410 || /resyncRequired|syncStateNotFound/i.test(String(e?.code ?? ''));
}
