import { hostname } from 'node:os';
import { Agenda, backoffStrategies, type Job, type JobWithState } from 'agenda';
import { dataQuery } from './lowdb-backend/documents.js';
import { RunningJobs, settlesWithin } from './running-jobs.js';
import type {
  DefinedJob, DefineOptions, EveryOptions, JobHandler, JobRunSummary, Scheduler, SchedulerOptions, StopResult,
} from './scheduler-types.js';

export type * from './scheduler-types.js';

const DEFAULT_LOCK_LIFETIME_MS = 10 * 60 * 1000;
const PING_JOB_ID = '000000000000000000000000'; // a valid ObjectId that no job has

function summarise(name: string, jobs: JobWithState[]): JobRunSummary {
  const byLastRun = jobs.filter((job) => job.lastRunAt).sort((a, b) => b.lastRunAt!.getTime() - a.lastRunAt!.getTime());
  const outcome = (job: JobWithState): JobRunSummary['result'] => {
    if (job.lockedAt && (!job.lastFinishedAt || job.lastRunAt! > job.lastFinishedAt)) return 'running';
    if (job.failedAt && (!job.lastFinishedAt || job.failedAt >= job.lastFinishedAt)) return 'failed';
    if (job.lastFinishedAt && job.lastFinishedAt >= job.lastRunAt!) return 'succeeded';
    return 'interrupted'; // unlocked without finishing: released by stop(), picked up again later
  };
  const latest = byLastRun[0];
  const upcoming = jobs.map((job) => job.nextRunAt).filter((at): at is Date => at instanceof Date).sort((a, b) => a.getTime() - b.getTime());
  return {
    name,
    jobs: jobs.length,
    lastRunAt: latest?.lastRunAt,
    lastFinishedAt: latest?.lastFinishedAt,
    result: latest ? outcome(latest) : 'never',
    failReason: latest && outcome(latest) === 'failed' ? latest.failReason : undefined,
    failCount: latest?.failCount,
    failing: byLastRun.filter((job) => outcome(job) === 'failed').length,
    nextRunAt: upcoming[0],
  };
}

/**
 * The scheduler features use: Agenda 6 on whichever backend it is given (lowdb embedded, MongoDB in production).
 * Jobs are at-least-once: a run whose worker dies, or that stop() releases, runs again.
 */
/** Jobs one process runs at once, all kinds together (Agenda's default is 20). */
export const MAX_CONCURRENT_JOBS = 32;

export function createScheduler(options: SchedulerOptions): Scheduler {
  const workerName = options.name ?? `${hostname()}:${process.pid}`;
  const log = options.logger.child({ component: 'jobs' });
  const stopTimeoutMs = options.stopTimeoutMs ?? 30_000;
  const defaultLockLifetime = options.defaultLockLifetime ?? DEFAULT_LOCK_LIFETIME_MS;
  const running = new RunningJobs(options.backend.repository, workerName);
  const agenda = new Agenda({
    backend: running.guard(options.backend),
    name: workerName,
    processEvery: options.processEvery,
    defaultLockLifetime,
    // tags.sync alone may run 20 subscriptions at once (one wave within ARM's write throttle); the daily imports and
    // health checks keep slots of their own beside it.
    maxConcurrency: MAX_CONCURRENT_JOBS,
  });
  const registry = new Map<string, DefinedJob>();
  let state: 'idle' | 'running' | 'stopped' = 'idle';
  let stopping: Promise<StopResult> | undefined;

  agenda.on('complete', (job: Job) => running.end(job));
  agenda.on('success', (job: Job) => log.debug({ job: job.attrs.name, jobId: String(job.attrs._id) }, 'job succeeded'));
  agenda.on('fail', (err: Error, job: Job) =>
    log.warn({ job: job.attrs.name, jobId: String(job.attrs._id), failCount: job.attrs.failCount, err }, 'job failed'));
  agenda.on('retry', (job: Job, retry: { attempt: number; nextRunAt: Date }) =>
    log.info({ job: job.attrs.name, jobId: String(job.attrs._id), attempt: retry.attempt, nextRunAt: retry.nextRunAt }, 'job retry scheduled'));
  agenda.on('retry exhausted', (err: Error, job: Job) =>
    log.error({ job: job.attrs.name, jobId: String(job.attrs._id), err }, 'job failed and has no retries left'));
  agenda.on('error', (err: Error) => log.error({ err }, 'job processing error'));

  const assertDefined = (name: string): void => {
    if (!registry.has(name)) throw new Error(`job "${name}" is not defined; call define() first`);
  };

  return {
    define<T>(name: string, handler: JobHandler<T>, opts: DefineOptions = {}): void {
      if (registry.has(name)) throw new Error(`job "${name}" is already defined`);
      const { retry } = opts;
      if (retry && (!Number.isInteger(retry.attempts) || retry.attempts < 1 || !(retry.backoffMs >= 0))) {
        throw new Error(`job "${name}": retry needs attempts >= 1 and backoffMs >= 0`);
      }
      registry.set(name, { name, concurrency: opts.concurrency, lockLifetimeMs: opts.lockLifetimeMs ?? defaultLockLifetime, retry });
      agenda.define<T>(name, async (job) => {
        if (state !== 'running') {
          // Agenda can start a run it locked just before stop(); hand it straight back instead.
          await running.release(job);
          return;
        }
        const signal = running.begin(job);
        const { data } = job.attrs;
        await handler(data, {
          data,
          jobId: String(job.attrs._id),
          name,
          attempt: (job.attrs.failCount ?? 0) + 1,
          signal,
          touch: (progress) => job.touch(progress),
        });
      }, {
        concurrency: opts.concurrency,
        lockLifetime: opts.lockLifetimeMs,
        backoff: retry && backoffStrategies.exponential({
          delay: retry.backoffMs, factor: 2, maxRetries: retry.attempts - 1, maxDelay: retry.maxBackoffMs,
        }),
      });
    },

    definedJobs: () => [...registry.values()].map((job) => ({ ...job })),

    async now(name, data) {
      assertDefined(name);
      return String((await agenda.now(name, data)).attrs._id);
    },

    async schedule(when, name, data) {
      assertDefined(name);
      return String((await agenda.schedule(when, name, data)).attrs._id);
    },

    async every(interval, name, data, opts = {}) {
      assertDefined(name);
      const key = opts.uniqueKey ?? {};
      // One-time runs of the same name and key (now()) are not the recurring job, so match on the interval too;
      // a recurring job with another interval is replaced.
      const { jobs } = await agenda.queryJobs({ name, data: key });
      for (const stale of jobs.filter((job) => job.repeatInterval !== undefined && job.repeatInterval !== interval)) {
        await agenda.cancel({ id: stale._id });
      }
      const job = agenda.create(name, data)
        .repeatEvery(interval, { timezone: opts.timezone, skipImmediate: opts.skipImmediate })
        .unique({ ...dataQuery(key), repeatInterval: interval }, { insertOnly: true });
      await job.save();
      return String(job.attrs._id);
    },

    cancel: (name, data) => agenda.cancel(data === undefined ? { name } : { name, data }),

    async start() {
      if (stopping) await stopping;
      if (state === 'running') return;
      state = 'running';
      stopping = undefined;
      await agenda.start();
      log.info({ worker: workerName, backend: options.backend.name, jobs: [...registry.keys()] }, 'scheduler started');
    },

    stop(opts = {}) {
      if (state !== 'running') return stopping ?? Promise.resolve({ finished: 0, released: [] });
      state = 'stopped';
      stopping = (async () => {
        await agenda.stop(false); // the backend belongs to the caller, who closes it
        const result = await running.settle(opts.timeoutMs ?? stopTimeoutMs);
        log.info(result, 'scheduler stopped');
        return result;
      })();
      return stopping;
    },

    async ping(timeoutMs = 2000) {
      if (state !== 'running') throw new Error('job scheduler is not running');
      // A lookup by _id is one indexed read on MongoDB, unlike counting due jobs.
      if (!(await settlesWithin(agenda.db.getJobById(PING_JOB_ID), timeoutMs))) {
        throw new Error(`jobs backend did not answer within ${timeoutMs} ms`);
      }
    },

    async lastRuns(filter) {
      const names = [...registry.keys()];
      if (names.length === 0) return [];
      const { jobs } = await agenda.queryJobs({ names, ...(filter?.data ? { data: filter.data } : {}) });
      return names.map((name) => summarise(name, jobs.filter((job) => job.name === name)));
    },
  };
}
