import type { Application } from '@microsoft/teams-ai';
import type { Deps } from '../../deps.js';
import { handleSyncNow, handleTagEdit } from './commands.js';
import { defineTagSyncJob, scheduleAllTagSyncs } from './job.js';
import { TAG_USAGE, UNTAG_USAGE } from './parse.js';

export { scheduleTagSync, runTagSyncNow, TAG_SYNC_INTERVAL } from './job.js';
export { runTagSync, TAG_SYNC_JOB, TAGS_TOPIC, type TagSyncData } from './sync.js';

/** Resource and tag sync (`tags.sync`, `sync tags`) and tag edits from Teams (`tag`, `untag`) with safe write-back. */
export function register(app: Application, deps: Deps): void {
  deps.commands.add(
    { usage: TAG_USAGE, description: 'Queue a tag change on a resource (Read and Write Tags subscriptions only); written at the next sync.', audience: 'admins' },
    { usage: UNTAG_USAGE, description: 'Queue the removal of tags from a resource (Read and Write Tags subscriptions only).', audience: 'admins' },
    { usage: 'sync tags [subscription]', description: 'Sync resources and tags now (all subscriptions, or one by name or id); in read/write mode, write queued edits.', audience: 'admins' },
  );
  app.message(/^\s*tag\s+\S/i, (context) => handleTagEdit(deps, context, 'tag'));
  app.message(/^\s*untag\s+\S/i, (context) => handleTagEdit(deps, context, 'untag'));
  app.message(/^\s*sync\s+tags\b/i, (context) => handleSyncNow(deps, context));
  defineTagSyncJob(deps);
  scheduleAllTagSyncs(deps).catch((err: unknown) => deps.logger.warn({ err }, 'could not schedule tag syncs at start-up'));
}
