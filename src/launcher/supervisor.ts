import { describeExit, type ManagedChild } from './child.js';

/**
 * Owns everything the launcher started and stops it in reverse order: child processes first (the last started
 * first), then in-process services (the emulator). A child that exits while nobody asked it to is a failure.
 *
 * Ctrl-C in a terminal signals the whole process group, so the children may see SIGINT a moment before the
 * launcher's own handler runs. An exit is therefore judged only after `graceMs`: if a stop began meanwhile, it
 * was part of that stop.
 */
export class Supervisor {
  private readonly children: ManagedChild[] = [];
  private readonly services: { name: string; close(): Promise<void> }[] = [];
  private stopping: Promise<void> | undefined;
  private reportFailure: (message: string) => void = () => undefined;
  /** Resolves with a one-line reason when a child died unexpectedly. Never rejects. */
  readonly failed: Promise<string>;

  constructor(
    private readonly log: (line: string) => void,
    private readonly graceMs = 1000,
  ) {
    this.failed = new Promise((resolve) => (this.reportFailure = resolve));
  }

  isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /** An in-process service, closed after every child has stopped. */
  addService(name: string, close: () => Promise<void>): void {
    this.services.push({ name, close });
  }

  watch(child: ManagedChild, label = child.name): ManagedChild {
    this.children.push(child);
    void child.exited.then(async (exit) => {
      if (this.isStopping()) return;
      await new Promise((r) => setTimeout(r, this.graceMs));
      if (!this.isStopping()) this.reportFailure(`${label} exited unexpectedly (${describeExit(exit)})`);
    });
    return child;
  }

  /** Idempotent. Children get SIGTERM (then SIGKILL after `childGraceMs`), one at a time, newest first. */
  stop(childGraceMs = 10_000): Promise<void> {
    return (this.stopping ??= (async () => {
      for (const child of [...this.children].reverse()) {
        if (!child.hasExited()) {
          const exit = await child.stop(childGraceMs);
          if (exit.signal === 'SIGKILL') this.log(`${child.name} did not stop within ${childGraceMs / 1000} s and was killed`);
        }
      }
      for (const service of [...this.services].reverse()) {
        await service.close().catch((err: unknown) => this.log(`${service.name} did not close cleanly: ${(err as Error).message}`));
      }
    })());
  }
}
