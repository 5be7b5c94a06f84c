import type { AgendaBackend, Job, JobParameters, JobRepository } from 'agenda';
import type { StopResult } from './scheduler-types.js';

interface Run {
  controller: AbortController;
  finished: Promise<void>;
  finish(): void;
}

/** Resolves true if `promise` settles within `ms`, false otherwise; leaves no timer behind. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * This process's running jobs, so that stop() can wait for them and hand back the ones that do not finish:
 * cancelled here, and in the store unlocked and due now, so the next instance runs them at once instead of
 * after lockLifetime. A released run's own final write is dropped, so a run that still ends here later
 * cannot overwrite the next instance's lock.
 */
export class RunningJobs {
  private readonly runs = new Map<Job, Run>();
  private readonly released = new WeakSet<JobParameters>();

  constructor(private readonly repository: JobRepository, private readonly workerName: string) {}

  /** The backend to give Agenda: the same one, except that writes of released runs are dropped. */
  guard(backend: AgendaBackend): AgendaBackend {
    const { repository, released } = this;
    const guarded = new Proxy(repository, {
      get(target, property) {
        if (property === 'saveJobState') {
          return (job: JobParameters, options: Parameters<JobRepository['saveJobState']>[1]) =>
            released.has(job) ? Promise.resolve() : target.saveJobState(job, options);
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return {
      name: backend.name,
      repository: guarded,
      notificationChannel: backend.notificationChannel,
      logger: backend.logger,
      ownsConnection: backend.ownsConnection,
      connect: () => backend.connect(),
      disconnect: () => backend.disconnect(),
    };
  }

  /** Called as a handler starts; the returned signal aborts if the run is released. */
  begin(job: Job): AbortSignal {
    const controller = new AbortController();
    let finish = () => {};
    const finished = new Promise<void>((resolve) => { finish = resolve; });
    this.runs.set(job, { controller, finished, finish });
    return controller.signal;
  }

  /** Called on Agenda's 'complete', which comes after the run's final state is stored. */
  end(job: Job): void {
    this.runs.get(job)?.finish();
    this.runs.delete(job);
  }

  /** Waits up to timeoutMs for every run, then releases those still going. */
  async settle(timeoutMs: number): Promise<StopResult> {
    const waitedFor = [...this.runs.entries()];
    await settlesWithin(Promise.all(waitedFor.map(([, run]) => run.finished)), timeoutMs);
    const unfinished = waitedFor.filter(([job]) => this.runs.has(job)).map(([job]) => job);
    for (const job of unfinished) await this.release(job);
    return { finished: waitedFor.length - unfinished.length, released: unfinished.map((job) => String(job.attrs._id)) };
  }

  /** Cancels the run here and makes the job due now and unlocked in the store. */
  async release(job: Job): Promise<void> {
    const reason = new Error(`scheduler stopped before job ${job.attrs.name} finished; released to the next instance`);
    this.runs.get(job)?.controller.abort(reason);
    this.runs.delete(job);
    this.released.add(job.attrs);
    job.cancel(reason);
    const current = await this.repository.getJobById(String(job.attrs._id));
    if (current) {
      await this.repository.saveJobState({ ...current, lockedAt: undefined, nextRunAt: new Date() }, { lastModifiedBy: this.workerName });
    }
  }
}
