import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import {
  computeJobState,
  type JobId, type JobParameters, type JobRepository, type JobRepositoryOptions, type JobsOverview,
  type JobsQueryOptions, type JobsResult, type JobWithState, type RemoveJobsOptions,
} from 'agenda';
import {
  fromStored, queryFilter, removalFilter, sortJobs, timeOf, toStored, type JobSort, type StoredJob, type StoredJobs,
} from './documents.js';
import { saveJobInto } from './save-job.js';

/** The JSON file's shape. */
export interface JobsFile { jobs: StoredJobs }

type Change<T> = { result: T; changed: boolean };
const unchanged = <T>(result: T): Change<T> => ({ result, changed: false });
const changed = <T>(result: T): Change<T> => ({ result, changed: true });

/**
 * Agenda JobRepository on a lowdb JSON file, with the semantics of MongoJobRepository (locking, unique,
 * 'single' upserts, expired locks, failure fields). Every mutation runs alone, in order, and is on disk
 * (steno: write to a temp file, then rename) before its promise resolves, so two lock attempts never both win.
 *
 * Single-process only: the lock is this process's queue, and the file is read once at connect.
 * Two processes on one file would overwrite each other. Use MongoBackend to share jobs between processes.
 */
export class LowdbJobRepository implements JobRepository {
  private readonly db: Low<JobsFile>;
  private connecting?: Promise<void>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string, private readonly lockOrder: JobSort = { nextRunAt: 'asc', priority: 'desc' }) {
    this.db = new Low<JobsFile>(new JSONFile<JobsFile>(file), { jobs: [] });
  }

  /** Reads the file once; later calls share that read. Every method waits for it, so nothing clobbers the file. */
  connect(): Promise<void> {
    this.connecting ??= (async () => {
      await mkdir(dirname(this.file), { recursive: true });
      await this.db.read();
    })();
    return this.connecting;
  }

  /** Resolves once every mutation queued so far is on disk. */
  async flush(): Promise<void> {
    await this.queue;
  }

  private async jobs(): Promise<StoredJobs> {
    await this.connect();
    return this.db.data.jobs;
  }

  private mutate<T>(change: (jobs: StoredJobs) => Change<T>): Promise<T> {
    const run = this.queue.then(async () => {
      const outcome = change(await this.jobs());
      if (outcome.changed) {
        try {
          await this.db.write();
        } catch (error) {
          await this.db.read(); // memory must not claim what the disk does not hold
          throw error;
        }
      }
      return outcome.result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async queryJobs(options: JobsQueryOptions = {}): Promise<JobsResult> {
    const { state, sort, skip = 0, limit = 0 } = options;
    const now = new Date();
    const order = sort && Object.keys(sort).length > 0 ? (sort as JobSort) : { nextRunAt: 'desc', lastRunAt: 'desc' } as JobSort;
    let jobs: JobWithState[] = sortJobs((await this.jobs()).filter(queryFilter(options)), order).map((doc) => {
      const job = fromStored(doc);
      return { ...job, state: computeJobState(job, now) };
    });
    if (state) jobs = jobs.filter((job) => (state === 'paused' ? job.disabled === true : job.state === state));
    return { jobs: limit > 0 ? jobs.slice(skip, skip + limit) : jobs.slice(skip), total: jobs.length };
  }

  async getJobsOverview(): Promise<JobsOverview[]> {
    const now = new Date();
    const overviews = new Map<string, JobsOverview>();
    for (const doc of await this.jobs()) {
      const overview = overviews.get(doc.name) ?? {
        name: doc.name, total: 0, running: 0, scheduled: 0, queued: 0, completed: 0, failed: 0, repeating: 0, paused: 0,
      };
      const job = fromStored(doc);
      overview.total++;
      overview[computeJobState(job, now)]++;
      if (job.disabled === true) overview.paused++;
      overviews.set(doc.name, overview);
    }
    return [...overviews.values()];
  }

  async getDistinctJobNames(): Promise<string[]> {
    return [...new Set((await this.jobs()).map((doc) => doc.name))];
  }

  async getJobById(id: string): Promise<JobParameters | null> {
    const doc = (await this.jobs()).find((job) => job._id === String(id));
    return doc ? fromStored(doc) : null;
  }

  async getQueueSize(): Promise<number> {
    const now = Date.now();
    return (await this.jobs()).filter((doc) => (timeOf(doc.nextRunAt) ?? Infinity) < now).length;
  }

  removeJobs(options: RemoveJobsOptions): Promise<number> {
    const matches = removalFilter(options);
    return this.mutate((jobs) => {
      if (!matches) return unchanged(0);
      const kept = jobs.filter((doc) => !matches(doc));
      const removed = jobs.length - kept.length;
      jobs.splice(0, jobs.length, ...kept);
      return { result: removed, changed: removed > 0 };
    });
  }

  disableJobs(options: RemoveJobsOptions): Promise<number> {
    return this.setDisabled(options, true);
  }

  enableJobs(options: RemoveJobsOptions): Promise<number> {
    return this.setDisabled(options, false);
  }

  private setDisabled(options: RemoveJobsOptions, disabled: boolean): Promise<number> {
    const matches = removalFilter(options);
    return this.mutate((jobs) => {
      const modified = matches ? jobs.filter((doc) => matches(doc) && doc.disabled !== disabled) : [];
      for (const doc of modified) doc.disabled = disabled;
      return { result: modified.length, changed: modified.length > 0 };
    });
  }

  purgeAllJobs(): Promise<number> {
    return this.mutate((jobs) => {
      const removed = jobs.length;
      jobs.length = 0;
      return { result: removed, changed: removed > 0 };
    });
  }

  saveJob<DATA = unknown>(job: JobParameters<DATA>, options: JobRepositoryOptions | undefined): Promise<JobParameters<DATA>> {
    return this.mutate((jobs) => {
      const saved = saveJobInto(jobs, job as JobParameters, options?.lastModifiedBy);
      // A job removed meanwhile comes back unchanged, as MongoJobRepository returns it.
      return saved ? changed(fromStored(saved) as JobParameters<DATA>) : unchanged(job);
    });
  }

  saveJobState(job: JobParameters, options: JobRepositoryOptions | undefined): Promise<void> {
    if (!job._id) return Promise.reject(new Error('Cannot save job state without job ID'));
    return this.mutate((jobs) => {
      const doc = jobs.find((stored) => stored._id === String(job._id) && stored.name === job.name);
      if (!doc) {
        throw new Error(`job ${job._id} (name: ${job.name}) cannot be updated in the database, maybe it does not exist anymore?`);
      }
      const { lockedAt, nextRunAt, lastRunAt, progress, failReason, failCount, failedAt, lastFinishedAt } = job;
      Object.assign(doc, toStored({
        lockedAt, nextRunAt, lastRunAt, progress, failReason, failCount, failedAt, lastFinishedAt,
        lastModifiedBy: options?.lastModifiedBy,
      }));
      return changed(undefined);
    });
  }

  lockJob(job: JobParameters, options: JobRepositoryOptions | undefined): Promise<JobParameters | undefined> {
    const wantedRunAt = timeOf(job.nextRunAt);
    return this.mutate((jobs) => {
      const doc = jobs.find((stored) => job._id !== undefined && stored._id === String(job._id) && stored.name === job.name
        && stored.lockedAt == null && timeOf(stored.nextRunAt) === wantedRunAt && stored.disabled !== true);
      return doc ? changed(this.lock(doc, new Date(), options)) : unchanged(undefined);
    });
  }

  /** Locks the first due job of that name (unlocked and due by nextScanAt, or locked before lockDeadline). */
  getNextJobToRun(jobName: string, nextScanAt: Date, lockDeadline: Date, now: Date | undefined,
    options: JobRepositoryOptions | undefined): Promise<JobParameters | undefined> {
    return this.mutate((jobs) => {
      const lockable = jobs.filter((doc) => doc.name === jobName && doc.disabled !== true && (doc.lockedAt == null
        ? (timeOf(doc.nextRunAt) ?? Infinity) <= nextScanAt.getTime()
        : (timeOf(doc.lockedAt) as number) <= lockDeadline.getTime()));
      const [next] = sortJobs(lockable, this.lockOrder);
      return next ? changed(this.lock(next, now ?? new Date(), options)) : unchanged(undefined);
    });
  }

  private lock(doc: StoredJob, at: Date, options: JobRepositoryOptions | undefined): JobParameters {
    doc.lockedAt = at.toISOString();
    doc.lastModifiedBy = options?.lastModifiedBy ?? null;
    return fromStored(doc);
  }

  /** Unlocks one job, unless it has no nextRunAt (a one-time job that is running). */
  unlockJob(job: JobParameters): Promise<void> {
    return this.unlock((doc) => doc._id === String(job._id) && doc.nextRunAt != null);
  }

  unlockJobs(jobIds: (JobId | string)[]): Promise<void> {
    const ids = new Set(jobIds.map(String));
    return this.unlock((doc) => ids.has(doc._id));
  }

  private unlock(matches: (doc: StoredJob) => boolean): Promise<void> {
    return this.mutate((jobs) => {
      const locked = jobs.filter((doc) => doc.lockedAt != null && matches(doc));
      for (const doc of locked) doc.lockedAt = null;
      return { result: undefined, changed: locked.length > 0 };
    });
  }
}
