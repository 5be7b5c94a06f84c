import type { AgendaBackend } from 'agenda';
import { LowdbJobRepository } from './repository.js';

export { LowdbJobRepository, type JobsFile } from './repository.js';

/**
 * Agenda backend for the embedded default: jobs in one lowdb JSON file, polled (no notification channel).
 * Single-process only; see LowdbJobRepository. Disconnecting only waits for pending writes, so a stopped
 * Agenda can share this backend with another one.
 */
export class LowdbAgendaBackend implements AgendaBackend {
  readonly name = 'lowdb';
  readonly repository: LowdbJobRepository;

  constructor(file: string) {
    this.repository = new LowdbJobRepository(file);
  }

  connect(): Promise<void> {
    return this.repository.connect();
  }

  disconnect(): Promise<void> {
    return this.repository.flush();
  }
}

/** The embedded default's jobs backend, kept in `file` (created with its folder when missing). */
export function createLowdbJobsBackend(file: string): LowdbAgendaBackend {
  return new LowdbAgendaBackend(file);
}
