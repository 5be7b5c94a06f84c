import * as crypto from 'node:crypto';

/** SHA-256 in base64url: crypto.hash where Node has it (20.12+; no Hash object per call), else createHash. */
const sha256 = typeof crypto.hash === 'function'
  ? (data: string) => crypto.hash('sha256', data, 'base64url')
  : (data: string) => crypto.createHash('sha256').update(data).digest('base64url');

/** Azure's limits on tags (learn.microsoft.com, "Use tags to organize your Azure resources"). */
export const TAG_LIMITS = { maxTags: 50, maxNameLength: 512, maxValueLength: 256 } as const;
/** Characters Azure refuses in tag names, and control characters. */
const FORBIDDEN_IN_NAME = /[<>%&\\?/\u0000-\u001f\u007f]/;

export type Tags = Record<string, string>;

/**
 * A stable fingerprint of a tag set: names compared case-insensitively (as ARM does), order ignored. Stored with
 * each resource so a sync can tell that tags changed in Azure since the last read.
 */
export function tagsHash(tags: Tags): string {
  const entries = Object.entries(tags).map(([k, v]) => [k.toLowerCase(), v] as const);
  if (entries.length > 1) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256(JSON.stringify(entries)).slice(0, 22);
}

/** The value of tag `name` (case-insensitive, as ARM matches names), or null when absent. */
export function tagValue(tags: Record<string, string | null> | undefined, name: string): string | null {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(tags ?? {})) if (k.toLowerCase() === lower) return v;
  return null;
}

/** `current` with `changes` merged in (a change to `Env` replaces `env`, as ARM does). */
export function mergeTags(current: Tags, changes: Tags): Tags {
  const out: Tags = {};
  const changed = new Set(Object.keys(changes).map((k) => k.toLowerCase()));
  for (const [k, v] of Object.entries(current)) if (!changed.has(k.toLowerCase())) out[k] = v;
  return { ...out, ...changes };
}

/**
 * Problems with an edit, checked before it is queued (ARM would refuse it later): names up to 512 characters,
 * values up to 256, no forbidden characters in names, at most 50 tags on the resource once merged.
 */
export function tagEditProblems(current: Tags, operation: 'Merge' | 'Delete', tags: Tags): string[] {
  const problems: string[] = [];
  const names = Object.keys(tags);
  if (names.length === 0) problems.push('Name at least one tag.');
  for (const name of names) {
    if (name.trim() === '') problems.push('A tag name cannot be empty.');
    else if (FORBIDDEN_IN_NAME.test(name)) problems.push(`The tag name "${short(name)}" has a character Azure refuses in names (< > % & \\ ? / or a control character).`);
    if (name.length > TAG_LIMITS.maxNameLength) problems.push(`The tag name "${short(name)}" is ${name.length} characters; Azure allows ${TAG_LIMITS.maxNameLength}.`);
    if (operation === 'Merge' && tags[name].length > TAG_LIMITS.maxValueLength) problems.push(`The value of "${short(name)}" is ${tags[name].length} characters; Azure allows ${TAG_LIMITS.maxValueLength}.`);
  }
  if (operation === 'Merge') {
    const count = Object.keys(mergeTags(current, tags)).length;
    if (count > TAG_LIMITS.maxTags) problems.push(`The resource would have ${count} tags; Azure allows ${TAG_LIMITS.maxTags}.`);
  }
  return problems;
}

function short(s: string): string {
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
}
