import type { Deps } from '../../deps.js';
import type { ArmResource, ResourceTags } from '../../microsoft/tags.js';
import { scopedId, type Resource, type Subscription } from '../../store/types.js';
import type { TagSyncSummary } from './summary.js';
import { tagsHash } from './tag-rules.js';

/** Stored resources are scanned in slices of this size when looking for those gone from Azure. */
const SWEEP_SLICE = 500;

/**
 * Lists the subscription's resources page by page and stores each page as it arrives (memory stays one page).
 * No Tags stores resources without tags (and drops tags read before); the tag modes store tags with their hash,
 * counting resources whose tags changed in Azure since the last read. Once the listing is complete, resources
 * not seen in this run are removed. An incomplete listing (an error) removes nothing. `onPage` is told of each page
 * once it is stored (the write-back starts on those resources while the listing goes on).
 */
export async function syncResources(
  deps: Pick<Deps, 'store'>,
  sub: Subscription,
  arm: ResourceTags,
  summary: TagSyncSummary,
  opts: { pageSize?: number; touch?: () => Promise<void>; onPage?: (stored: Resource[]) => void } = {},
): Promise<void> {
  const withTags = sub.syncMode !== 'noTags';
  const where = { tenantId: sub.tenantId, subscriptionId: sub.subscriptionId };
  // A first sync (nothing stored for the subscription) has nothing to compare with: no per-resource look-up. The run
  // lock keeps any other run of this subscription from storing meanwhile; ids this run stored are remembered (with
  // their hash) so a resource ARM lists twice counts once, as a look-up would have found it.
  const firstSync = (await deps.store.resources.count(sub.workspaceId, where)) === 0;
  const seen = new Map<string, string | undefined>();
  const touch = throttled(opts.touch, TOUCH_EVERY_MS);
  for await (const page of arm.pages({ pageSize: opts.pageSize })) {
    const records = page.resources.map((r) => toRecord(sub, r, summary.startedAt, withTags));
    const existing = firstSync ? undefined : await Promise.all(records.map((r) => (seen.has(r.id) ? undefined : deps.store.resources.get(sub.workspaceId, r.id))));
    records.forEach((record, i) => {
      const known = seen.has(record.id);
      const beforeHash = known ? seen.get(record.id) : existing?.[i]?.tagsHash;
      if (!known && !existing?.[i]) summary.added++;
      else if (withTags && beforeHash !== undefined && beforeHash !== record.tagsHash) summary.tagsChangedInAzure++;
      if (withTags && record.tags && Object.keys(record.tags).length > 0) summary.tagged++;
      seen.set(record.id, record.tagsHash);
    });
    await deps.store.resources.bulkUpsert(records);
    opts.onPage?.(records);
    summary.pages++;
    summary.seen += records.length;
    await touch();
  }
  // Every stored resource of the subscription was listed in this run when there are as many as it listed (all of
  // which it stored): the sweep for those gone from Azure is needed only otherwise.
  summary.removed = (await deps.store.resources.count(sub.workspaceId, where)) === seen.size ? 0 : await removeUnseen(deps, sub, summary.startedAt);
}

/**
 * How often a listing renews its run lock and the job's lock (a touch also notices a cancelled run): a page takes tens
 * of milliseconds and each renewal rewrites a store file, while the locks last seconds at the least (a deployment's
 * lockLifetimeMs may be as short as 5 s) and minutes by default.
 */
const TOUCH_EVERY_MS = 1_000;

/** `touch`, called at most once per `everyMs` (the first call touches). */
function throttled(touch: (() => Promise<void>) | undefined, everyMs: number): () => Promise<void> {
  let last = -Infinity;
  return async () => {
    if (!touch || performance.now() - last < everyMs) return;
    last = performance.now();
    await touch();
  };
}

/** The record id of an ARM resource: ARM ids are case-insensitive, so the lower-cased id is the key. */
export function resourceRecordId(tenantId: string, armId: string): string {
  return scopedId(tenantId, armId.toLowerCase());
}

function toRecord(sub: Subscription, r: ArmResource, seenAt: string, withTags: boolean): Resource {
  return {
    id: resourceRecordId(sub.tenantId, r.id),
    workspaceId: sub.workspaceId,
    tenantId: sub.tenantId,
    subscriptionId: sub.subscriptionId,
    armId: r.id,
    name: r.name,
    type: r.type,
    location: r.location,
    resourceGroup: r.resourceGroup,
    ...(withTags ? { tags: r.tags, tagsHash: tagsHash(r.tags) } : {}),
    lastSeenAt: seenAt,
  };
}

async function removeUnseen(deps: Pick<Deps, 'store'>, sub: Subscription, runStartedAt: string): Promise<number> {
  const where = { tenantId: sub.tenantId, subscriptionId: sub.subscriptionId };
  const gone: string[] = [];
  for (let offset = 0; ; offset += SWEEP_SLICE) {
    const slice = await deps.store.resources.find(sub.workspaceId, where, { limit: SWEEP_SLICE, offset });
    for (const r of slice) if (!r.lastSeenAt || r.lastSeenAt < runStartedAt) gone.push(r.id);
    if (slice.length < SWEEP_SLICE) break;
  }
  for (const id of gone) await deps.store.resources.delete(sub.workspaceId, id);
  return gone.length;
}
