/**
 * The embedded default's jobs file (DATA_DIR/jobs.json, our lowdb Agenda backend), read and written from the test
 * while no bot process holds it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pino } from 'pino';
import { createLowdbJobsBackend, createScheduler } from '../../../src/jobs/index.js';
import type { JobRun } from './seeded-workspace.js';

export const jobsFile = (dataDir: string) => path.join(dataDir, 'jobs.json');

/** A job as stored (dates as ISO strings, absent fields as null). */
export interface StoredJobState {
  _id: string;
  name: string;
  data: Record<string, unknown> | null;
  lockedAt: string | null;
  lastRunAt: string | null;
  lastFinishedAt: string | null;
  failedAt: string | null;
  failReason: string | null;
  nextRunAt: string | null;
  repeatInterval: string | null;
}

/**
 * Queues each run to start at once, through the scheduler on the same backend the bot uses (not started here:
 * the bot process runs them). Resolves their job ids.
 */
export async function queueRuns(dataDir: string, runs: JobRun[]): Promise<string[]> {
  const backend = createLowdbJobsBackend(jobsFile(dataDir));
  const scheduler = createScheduler({ backend, logger: pino({ level: 'silent' }) });
  for (const name of new Set(runs.map((r) => r.name))) scheduler.define(name, async () => {});
  const ids: string[] = [];
  for (const run of runs) ids.push(await scheduler.now(run.name, run.data));
  await backend.disconnect();
  return ids;
}

/**
 * The jobs as the file holds them now. The bot writes the file by atomic rename, so a read sees one whole version;
 * a read racing the very first write can find no file yet.
 */
export async function readJobs(dataDir: string): Promise<StoredJobState[]> {
  const text = await readFile(jobsFile(dataDir), 'utf8').catch(() => '{"jobs":[]}');
  return (JSON.parse(text) as { jobs: StoredJobState[] }).jobs;
}

/** A run that started and has not finished: locked, or left locked by a killed process. */
export const isRunning = (j: StoredJobState) => j.lockedAt !== null && (j.lastFinishedAt === null || (j.lastRunAt !== null && j.lastRunAt > j.lastFinishedAt));

/** Finished: ran, and its last run ended after it started (and nothing holds it). */
export const isFinished = (j: StoredJobState) => j.lockedAt === null && j.lastFinishedAt !== null && j.lastRunAt !== null && j.lastFinishedAt >= j.lastRunAt;
