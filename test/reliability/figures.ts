import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The summary's counts. Each reliability file adds to the ones it proves; the teardown sums and prints them. */
export interface ReliabilityFigures {
  'faults survived'?: number;
  'restarts survived'?: number;
  'forged requests refused'?: number;
  'hostile inputs'?: number;
  'lost records'?: number;
  /** Anything else worth printing, by name (e.g. 'consent callbacks refused'). */
  [other: string]: number | undefined;
}

export const FIGURES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '.figures');

/** Records one file's figures (call once per file, in afterAll; `name` is unique per file). */
export function recordFigures(name: string, figures: ReliabilityFigures): void {
  mkdirSync(FIGURES_DIR, { recursive: true });
  writeFileSync(path.join(FIGURES_DIR, `${name}.json`), JSON.stringify(figures));
}
