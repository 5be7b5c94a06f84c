/** What the emulator saw of the write run: one PATCH per edit, and whether every 429 it sent was retried successfully. */
import type { RequestRecord, WriteRecord } from '../../../emulator/index.js';
import type { TagEdit } from '../../../src/store/types.js';
import type { PlannedEdit } from './runs.js';

export interface EditAccounting {
  edits: number;
  applied: number;
  /** Edits not applied (pending, failed, conflict or cancelled). */
  notApplied: number;
  /** Edits whose PATCH the emulator recorded exactly once. */
  writtenOnce: number;
  /** Edits written more than once, and edits never written. */
  writtenTwice: number;
  neverWritten: number;
  /** tags.patch writes that match no edit (or a non-Merge write). */
  strayWrites: number;
}

/** Matches the emulator's write log (`tags.patch`) against the planned edits and their final status. */
export function accountEdits(planned: PlannedEdit[], finalEdits: TagEdit[], writes: WriteRecord[]): EditAccounting {
  const key = (scope: string, tags: Record<string, string>) => `${scope.toLowerCase()}|${JSON.stringify(Object.entries(tags).sort())}`;
  const counts = new Map<string, number>(planned.map((p) => [key(p.scope, p.tags), 0]));
  let strayWrites = 0;
  for (const w of writes) {
    const d = w.detail as { scope: string; operation: string; tags: Record<string, string> };
    const k = key(d.scope, d.tags);
    if (d.operation !== 'Merge' || !counts.has(k)) strayWrites++;
    else counts.set(k, counts.get(k)! + 1);
  }
  const status = new Map(finalEdits.map((e) => [e.id, e.status]));
  const applied = planned.filter((p) => status.get(p.editId) === 'applied').length;
  const n = [...counts.values()];
  return {
    edits: planned.length,
    applied,
    notApplied: planned.length - applied,
    writtenOnce: n.filter((c) => c === 1).length,
    writtenTwice: n.filter((c) => c > 1).length,
    neverWritten: n.filter((c) => c === 0).length,
    strayWrites,
  };
}

export interface ThrottleAccounting {
  /** 429s ARM's buckets sent (not injected faults). */
  throttled: number;
  /** 429s followed by a successful request of the same method and URL. */
  retriedOk: number;
  unretried: number;
}

/** Every 429 must be followed by a later 2xx of the same request (method and URL), as the retry that got through. */
export function account429s(requests: RequestRecord[]): ThrottleAccounting {
  const throttled = requests.filter((r) => r.status === 429);
  let retriedOk = 0;
  for (const t of throttled) {
    if (requests.some((r) => r.seq > t.seq && r.method === t.method && r.url === t.url && r.status >= 200 && r.status < 300)) retriedOk++;
  }
  return { throttled: throttled.length, retriedOk, unretried: throttled.length - retriedOk };
}
