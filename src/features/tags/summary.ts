import type { SyncMode } from '../../store/types.js';

/** One conflict as the summary reports it: both values, and what it was when the edit was asked for. */
export interface ConflictReport {
  resource: string;
  tag: string;
  /** What the edit wanted (null: removed). */
  wanted: string | null;
  /** What Azure holds now (null: absent). */
  azure: string | null;
  /** What it was when the edit was asked for. */
  base: string | null;
  requestedBy?: string;
}

/** What one `tags.sync` run did, for its summary card and its audit entry. */
export interface TagSyncSummary {
  workspaceId: string;
  tenantId: string;
  subscriptionId: string;
  subscriptionName: string;
  mode: SyncMode;
  startedAt: string;
  finishedAt?: string;
  /** Set when the mode means nothing is read. */
  skipped?: string;
  pages: number;
  seen: number;
  added: number;
  removed: number;
  tagged: number;
  tagsChangedInAzure: number;
  applied: number;
  /** Edits left in the outbox for the next run (throttled, or the run ended). */
  stillPending: number;
  conflicts: ConflictReport[];
  errors: string[];
  outcome: 'success' | 'partial' | 'failure';
}

export function newSummary(base: Pick<TagSyncSummary, 'workspaceId' | 'tenantId' | 'subscriptionId' | 'subscriptionName' | 'mode' | 'startedAt'>): TagSyncSummary {
  return { ...base, pages: 0, seen: 0, added: 0, removed: 0, tagged: 0, tagsChangedInAzure: 0, applied: 0, stillPending: 0, conflicts: [], errors: [], outcome: 'success' };
}

const MAX_LINES = 15;
const show = (v: string | null) => (v === null ? '(none)' : `"${v}"`);

/** The data of cards/tags-sync-summary.json. Every field is a string: the template leaves nothing unresolved. */
export function summaryCardData(s: TagSyncSummary, modeLabel: string) {
  const facts = s.skipped
    ? [{ title: 'Read', value: s.skipped }]
    : [
        { title: 'Resources seen', value: `${s.seen} (${s.pages} page${s.pages === 1 ? '' : 's'})` },
        { title: 'Added', value: String(s.added) },
        { title: 'Removed', value: String(s.removed) },
        { title: 'Tagged', value: s.mode === 'noTags' ? 'tags not read (No Tags)' : String(s.tagged) },
        { title: 'Tags changed in Azure', value: s.mode === 'noTags' ? '-' : String(s.tagsChangedInAzure) },
        { title: 'Edits applied', value: s.mode === 'readWriteTags' ? String(s.applied) : 'none: this mode never writes' },
        { title: 'Conflicts', value: String(s.conflicts.length) },
        { title: 'Still pending', value: String(s.stillPending) },
        { title: 'Errors', value: String(s.errors.length) },
      ];
  const conflictLines = s.conflicts.slice(0, MAX_LINES).map((c) => ({
    text: `${c.resource} · ${c.tag}: ${c.requestedBy ?? 'the edit'} asked for ${show(c.wanted)}; Azure now has ${show(c.azure)} (it was ${show(c.base)} when asked). Not overwritten.`,
  }));
  if (s.conflicts.length > MAX_LINES) conflictLines.push({ text: `… and ${s.conflicts.length - MAX_LINES} more.` });
  const errorLines = s.errors.slice(0, MAX_LINES).map((text) => ({ text }));
  if (s.errors.length > MAX_LINES) errorLines.push({ text: `… and ${s.errors.length - MAX_LINES} more.` });
  const icon = s.outcome === 'success' ? '✅' : s.outcome === 'partial' ? '⚠️' : '❌';
  return {
    title: `${icon} Tag sync: ${s.subscriptionName}`,
    subtitle: `${modeLabel} · ${s.subscriptionId} · ${s.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
    facts,
    conflicts: conflictLines,
    hasConflicts: conflictLines.length > 0,
    errors: errorLines,
    hasErrors: errorLines.length > 0,
  };
}
