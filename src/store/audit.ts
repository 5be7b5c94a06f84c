/** Audit entry checks shared by both adapters. */
import { randomUUID } from 'node:crypto';
import { UnsafeQueryError, type AuditListOptions } from './port.js';
import type { AuditEntry, AuditOutcome, NewAuditEntry } from './types.js';
import { checkFindOptions, checkKeyPart, checkRecord, scopedFilter, type FilterEntry } from './validate.js';

const OUTCOMES: ReadonlySet<AuditOutcome> = new Set(['success', 'failure', 'refused']);

/** Validates a new entry and stamps `id` and `at`; returns a JSON copy (what both adapters store). */
export function stampAuditEntry(entry: NewAuditEntry): AuditEntry {
  const stamped = { ...entry, id: randomUUID(), at: new Date().toISOString() } as AuditEntry;
  checkRecord(stamped, { imported: false, selfKeyed: false });
  for (const field of ['actor', 'action', 'target'] as const) checkKeyPart(`audit ${field}`, stamped[field]);
  if (!OUTCOMES.has(stamped.outcome)) throw new UnsafeQueryError(`audit outcome must be one of ${[...OUTCOMES].join(', ')}`);
  return JSON.parse(JSON.stringify(stamped)) as AuditEntry;
}

export interface CheckedAuditList {
  /** null: matches nothing. */
  filter: FilterEntry[] | null;
  newestFirst: boolean;
  limit?: number;
  offset: number;
}

export function checkAuditList(workspaceId: string, opts: AuditListOptions | undefined): CheckedAuditList {
  const filter = scopedFilter(workspaceId, opts?.where);
  const { limit, offset } = checkFindOptions({ limit: opts?.limit, offset: opts?.offset });
  return { filter, newestFirst: opts?.newestFirst === true, limit, offset };
}
