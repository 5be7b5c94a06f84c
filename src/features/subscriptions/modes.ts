import type { SyncMode } from '../../store/types.js';

/** The four sync modes, in order of access, each with its one-line meaning (seed 000). */
export const SYNC_MODES: readonly { mode: SyncMode; label: string; meaning: string }[] = [
  { mode: 'none', label: 'No Resources', meaning: 'Nothing is read from this subscription: no resources, no tags.' },
  { mode: 'noTags', label: 'No Tags', meaning: 'Resources are read; their tags are neither read nor written.' },
  { mode: 'readTags', label: 'Read Tags Only', meaning: 'Resources and their tags are read; tag edits are never written back to Azure.' },
  {
    mode: 'readWriteTags',
    label: 'Read and Write Tags',
    meaning: 'Resources and tags are read, and tag edits made in Teams are written back to Azure (needs Tag Contributor and a second admin\'s approval).',
  },
];

export function modeLabel(mode: SyncMode): string {
  return SYNC_MODES.find((m) => m.mode === mode)?.label ?? mode;
}

export function isSyncMode(value: unknown): value is SyncMode {
  return typeof value === 'string' && SYNC_MODES.some((m) => m.mode === value);
}

/** Why a tag edit cannot be queued in a mode, or undefined in read/write. */
export function editRefusal(mode: SyncMode): string | undefined {
  switch (mode) {
    case 'readWriteTags':
      return undefined;
    case 'readTags':
      return 'it is set to **Read Tags Only**: tags are read but never written back to Azure.';
    case 'noTags':
      return 'it is set to **No Tags**: its tags are neither read nor written.';
    default:
      return 'it is set to **No Resources**: nothing is read from it or written to it.';
  }
}

export const HOW_TO_ENABLE_WRITES =
  'An admin can switch it to **Read and Write Tags** from the `subscriptions` card; a second admin must approve.';
