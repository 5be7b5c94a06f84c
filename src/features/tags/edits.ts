import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.js';
import type { Person, Resource, TagEdit } from '../../store/types.js';
import { mergeTags, tagEditProblems, tagsHash, tagValue, type Tags } from './tag-rules.js';

export type QueueResult = { queued: TagEdit; superseded: number } | { problems: string[] };

/**
 * Validates an edit against Azure's limits and puts it in the outbox (status `pending`), with the values the named
 * tags have now (`baseTags`), so the write can tell a change made in Azure since. An older pending edit of the same
 * tag on the same resource is superseded (the newest wish wins) and its base values are kept: they are what was
 * last read from Azure.
 */
export async function queueTagEdit(
  deps: Pick<Deps, 'store' | 'now'>,
  req: { workspaceId: string; resource: Resource; operation: 'Merge' | 'Delete'; tags: Tags; requestedBy: Person },
): Promise<QueueResult> {
  const { store } = deps;
  const { resource } = req;
  const pending = await store.tagEdits.find(req.workspaceId, { resourceId: resource.id, status: 'pending' }, { sort: { field: 'requestedAt', dir: 1 } });
  // What the resource will carry once the outbox is applied: the limits apply to that.
  let expected: Tags = { ...resource.tags };
  for (const e of pending) expected = e.operation === 'Merge' ? mergeTags(expected, e.tags) : without(expected, Object.keys(e.tags));
  const problems = tagEditProblems(expected, req.operation, req.tags);
  if (problems.length) return { problems };

  const baseTags: Record<string, string | null> = {};
  for (const name of Object.keys(req.tags)) baseTags[name] = tagValue(resource.tags, name);
  let superseded = 0;
  for (const older of pending) {
    const overlap = Object.keys(older.tags).filter((k) => Object.keys(req.tags).some((n) => n.toLowerCase() === k.toLowerCase()));
    if (overlap.length === 0) continue;
    for (const k of overlap) {
      const mine = Object.keys(baseTags).find((n) => n.toLowerCase() === k.toLowerCase())!;
      if (older.baseTags && k in older.baseTags) baseTags[mine] = older.baseTags[k];
    }
    const left = without(older.tags, overlap);
    const replaced: TagEdit = Object.keys(left).length
      ? { ...older, tags: left }
      : { ...older, status: 'cancelled', error: 'Superseded by a newer edit of the same tag.' };
    if (await store.tagEdits.replaceIf(replaced, { status: 'pending' })) superseded++;
  }
  const edit: TagEdit = {
    id: randomUUID(),
    workspaceId: req.workspaceId,
    tenantId: resource.tenantId,
    subscriptionId: resource.subscriptionId,
    resourceId: resource.id,
    operation: req.operation,
    tags: req.tags,
    baseTags,
    baseTagsHash: resource.tagsHash ?? tagsHash(resource.tags ?? {}),
    requestedBy: req.requestedBy,
    requestedAt: deps.now().toISOString(),
    status: 'pending',
  };
  await store.tagEdits.insert(edit);
  await store.audit.append({
    workspaceId: req.workspaceId,
    tenantId: resource.tenantId,
    actor: req.requestedBy.aadObjectId,
    action: 'tags.edit.queue',
    target: resource.armId,
    outcome: 'success',
    detail: { editId: edit.id, operation: edit.operation, tags: edit.tags, baseTags, superseded },
  });
  return { queued: edit, superseded };
}

function without(tags: Tags, names: string[]): Tags {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  return Object.fromEntries(Object.entries(tags).filter(([k]) => !drop.has(k.toLowerCase())));
}

/** `env=prod, owner=ops` / `env, owner` for replies and cards. */
export function describeEdit(edit: Pick<TagEdit, 'operation' | 'tags'>): string {
  return edit.operation === 'Merge'
    ? Object.entries(edit.tags).map(([k, v]) => `${k}=${v}`).join(', ')
    : `remove ${Object.keys(edit.tags).join(', ')}`;
}
