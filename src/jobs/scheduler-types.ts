import type { AgendaBackend } from 'agenda';
import type { Logger } from 'pino';

/** What a job handler gets besides its data. */
export interface JobContext<T> {
  readonly data: T;
  readonly jobId: string;
  readonly name: string;
  /** 1 on a first run, n + 1 after n failures in a row (retries included). */
  readonly attempt: number;
  /** Aborted when stop() gives up waiting for this run and hands the job to the next instance. */
  readonly signal: AbortSignal;
  /** Renews the lock. Call it more often than lockLifetimeMs in long jobs. Throws once the run was cancelled. */
  touch(progress?: number): Promise<void>;
}

export type JobHandler<T> = (data: T, ctx: JobContext<T>) => Promise<void>;

/** Retry a failed run after backoffMs, then 2×, 4×… (capped at maxBackoffMs). */
export interface RetryPolicy {
  /** Runs in all, the first included: `attempts: 3` is one run and up to two retries. */
  attempts: number;
  backoffMs: number;
  maxBackoffMs?: number;
}

export interface DefineOptions {
  /** Runs of this job at once in this process (Agenda's default is 5). */
  concurrency?: number;
  /** A lock older than this is taken to be a dead worker's, and the job runs again elsewhere. */
  lockLifetimeMs?: number;
  retry?: RetryPolicy;
}

/** One entry of the job registry. */
export interface DefinedJob {
  name: string;
  concurrency?: number;
  lockLifetimeMs: number;
  retry?: RetryPolicy;
}

export interface EveryOptions {
  /**
   * Part of the data that tells one recurring job from another of the same name (e.g. `{ tenantId }`).
   * Without it there is one recurring job per name. Calling every() again with the same name and key
   * (after a restart, say) keeps the existing job, its data and its schedule; a new interval replaces it.
   */
  uniqueKey?: Record<string, unknown>;
  /** Cron expressions are read in this IANA zone. */
  timezone?: string;
  /** First run after one interval instead of at once. */
  skipImmediate?: boolean;
}

export interface StopOptions {
  /** How long to wait for running jobs before releasing them to another instance. */
  timeoutMs?: number;
}

export interface StopResult {
  /** Runs that finished while stop() waited. */
  finished: number;
  /** Ids of jobs still running at the timeout: cancelled here, unlocked and due now for the next instance. */
  released: string[];
}

/** Last run per job name, for a `status` view. */
export interface JobRunSummary {
  name: string;
  /** Jobs stored under this name (one per tenant, say). */
  jobs: number;
  lastRunAt?: Date;
  lastFinishedAt?: Date;
  /** Outcome of the most recent run of any job with this name. */
  result: 'never' | 'running' | 'succeeded' | 'failed' | 'interrupted';
  failReason?: string;
  failCount?: number;
  /** Jobs under this name whose last run failed. */
  failing: number;
  /** Earliest next run among them. */
  nextRunAt?: Date;
}

export interface Scheduler {
  /** Registers a job. Features call this at start-up; the calls are the job registry. */
  define<T>(name: string, handler: JobHandler<T>, opts?: DefineOptions): void;
  definedJobs(): DefinedJob[];
  /** Runs once as soon as possible. Resolves with the job id once it is stored. */
  now<T>(name: string, data: T): Promise<string>;
  /** Runs once at `when`: a Date, or text such as 'in 10 minutes' (date.js reads text it cannot parse as now). */
  schedule<T>(when: Date | string, name: string, data: T): Promise<string>;
  /** Repeats on a human interval ('1 day'), a cron expression or milliseconds. Idempotent across restarts. */
  every<T>(interval: string | number, name: string, data: T, opts?: EveryOptions): Promise<string>;
  /** Removes the jobs of that name whose data contains `data` (all of that name without it). */
  cancel(name: string, data?: Record<string, unknown>): Promise<number>;
  start(): Promise<void>;
  /** Stops polling, waits for running jobs up to a timeout, then releases the rest. */
  stop(opts?: StopOptions): Promise<StopResult>;
  /** Throws unless started and the backend answers within timeoutMs (for /readyz). */
  ping(timeoutMs?: number): Promise<void>;
  /**
   * Last run per defined job name. `data` narrows to jobs whose data contains it (e.g. `{ workspaceId, tenantId }`),
   * so a workspace's `status` never summarises another workspace's runs.
   */
  lastRuns(filter?: { data?: Record<string, unknown> }): Promise<JobRunSummary[]>;
}

export interface SchedulerOptions {
  backend: AgendaBackend;
  logger: Logger;
  /** How often to look for due jobs ('5 seconds' or ms). Agenda's default is 5 s. */
  processEvery?: string | number;
  /** Lock lifetime for jobs defined without one, in ms (Agenda's default is 10 minutes). */
  defaultLockLifetime?: number;
  /** This worker's name, stored as lastModifiedBy. Defaults to host:pid. */
  name?: string;
  /** Default for stop({ timeoutMs }): 30 s. */
  stopTimeoutMs?: number;
}
