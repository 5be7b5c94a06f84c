/** One line of `npm run bench`: a measured figure beside the floor or peer it is judged against. */
export interface BenchRow {
  /** The row, e.g. '1. Full user import (100k users)'. */
  row: string;
  /** What this line measures, e.g. 'ours vs paging floor'. */
  measure: string;
  /** The measured figure, in `unit`. */
  figure: number;
  unit: string;
  /** The floor or peer figure (same unit) and what it is, e.g. 'paging floor ⌈N/999⌉ × 20 ms'. */
  against: number;
  againstLabel: string;
  /** figure / against (or against / figure where the target is a speed-up; `ratioMeaning` says which). */
  ratio: number;
  ratioMeaning: 'figure/against' | 'against/figure';
  /** The target in words, e.g. '≤ 1.25× floor'. */
  target: string;
  pass: boolean;
  /** Extra facts worth printing (pages, items, retries, …). */
  detail?: Record<string, string | number>;
}

export interface BenchContext {
  /** The fixed latency the emulator adds to every request (20 ms unless --latency-ms says otherwise). */
  latencyMs: number;
  /** Progress lines for the person watching (stderr). */
  progress: (message: string) => void;
}

/** A group of rows measured together (they share one emulator world). */
export type BenchSection = (ctx: BenchContext) => Promise<BenchRow[]>;
