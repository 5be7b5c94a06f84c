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
  for await (const page of arm.pages({ pageSize: opts.pageSize })) {
    const records: Resource[] = [];
    const existing = await Promise.all(page.resources.map((r) => deps.store.resources.get(sub.workspaceId, resourceRecordId(sub.tenantId, r.id))));
    page.resources.forEach((r, i) => {
      const before = existing[i];
      const record = toRecord(sub, r, summary.startedAt, withTags);
      if (!before) summary.added++;
      else if (withTags && before.tagsHash !== undefined && before.tagsHash !== record.tagsHash) summary.tagsChangedInAzure++;
      if (withTags && Object.keys(r.tags).length > 0) summary.tagged++;
      records.push(record);
    });
    await deps.store.resources.bulkUpsert(records);
    opts.onPage?.(records);
    summary.pages++;
    summary.seen += records.length;
    await opts.touch?.();
  }
  summary.removed = await removeUnseen(deps, sub, summary.startedAt);
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
