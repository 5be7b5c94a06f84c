import { randomBytes } from 'node:crypto';
import type { JobParameters } from 'agenda';
import { matchesEquality, timeOf, toStored, type StoredJob, type StoredJobs } from './documents.js';

/** Optional fields MongoJobRepository.saveJob always writes, as null when the job lacks them. */
const NULLABLE_FIELDS = [
  'lockedAt', 'lastFinishedAt', 'failedAt', 'failCount', 'failReason', 'repeatTimezone', 'lastRunAt',
  'repeatInterval', 'repeatAt', 'disabled', 'progress', 'debounceStartedAt', 'fork', 'startDate', 'endDate', 'skipDays',
] as const;

/** ObjectId-like ids, so ids look the same whichever backend made them. */
export const newJobId = (): string => randomBytes(12).toString('hex');

function upsert(jobs: StoredJobs, match: (doc: StoredJob) => boolean, set: Record<string, unknown>, setOnInsert: Record<string, unknown>): StoredJob {
  const existing = jobs.find(match);
  if (existing) return Object.assign(existing, set);
  const created = { ...setOnInsert, ...set, _id: newJobId() } as StoredJob;
  jobs.push(created);
  return created;
}

/**
 * Applies MongoJobRepository.saveJob to the in-memory job list: update by _id, upsert of 'single' jobs
 * (a past nextRunAt only on insert), upsert by `unique` (insertOnly, debounce), else insert.
 * @returns the saved document, or undefined when the job has an _id that no longer exists.
 */
export function saveJobInto(jobs: StoredJobs, job: JobParameters, lastModifiedBy: string | undefined, now = new Date()): StoredJob | undefined {
  const { _id, unique, uniqueOpts, ...props } = job;
  const fields = toStored({ ...props, lastModifiedBy });
  for (const key of NULLABLE_FIELDS) fields[key] ??= null;

  if (_id) {
    const existing = jobs.find((doc) => doc._id === String(_id) && doc.name === props.name);
    return existing && Object.assign(existing, fields);
  }
  if (props.type === 'single') {
    const protectedFields: Record<string, unknown> = {};
    const nextRunAt = timeOf(props.nextRunAt);
    if (nextRunAt !== null && nextRunAt <= now.getTime()) {
      protectedFields.nextRunAt = fields.nextRunAt;
      delete fields.nextRunAt;
    }
    return upsert(jobs, (doc) => doc.name === props.name && doc.type === 'single', fields, protectedFields);
  }
  if (!unique) {
    const created = { ...fields, _id: newJobId() } as StoredJob;
    jobs.push(created);
    return created;
  }
  const query = { ...unique, name: props.name };
  const match = (doc: StoredJob) => matchesEquality(doc, query);
  const debounce = uniqueOpts?.debounce;
  if (!debounce) return uniqueOpts?.insertOnly ? upsert(jobs, match, {}, fields) : upsert(jobs, match, fields, {});

  const existing = jobs.find(match);
  const iso = (ms: number) => new Date(ms).toISOString();
  if (!existing) {
    fields.debounceStartedAt = iso(now.getTime());
    if (debounce.strategy !== 'leading') fields.nextRunAt = iso(now.getTime() + debounce.delay);
    return upsert(jobs, match, fields, {});
  }
  const startedAt = timeOf(existing.debounceStartedAt) ?? now.getTime();
  if (debounce.strategy === 'leading') {
    return Object.assign(existing, fields, { nextRunAt: existing.nextRunAt, debounceStartedAt: iso(startedAt) });
  }
  const waitedTooLong = debounce.maxWait !== undefined && debounce.maxWait > 0 && now.getTime() - startedAt >= debounce.maxWait;
  fields.nextRunAt = iso(waitedTooLong ? now.getTime() : now.getTime() + debounce.delay);
  fields.debounceStartedAt = waitedTooLong ? null : iso(startedAt);
  return Object.assign(existing, fields);
}
