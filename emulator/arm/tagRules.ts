import type { Tags } from './catalog.js';

export const MAX_TAGS = 50;
const MAX_NAME = 512;
const MAX_VALUE = 256;
/** ARM refuses these in tag names, and control characters. */
const RESERVED = /[<>%&\\?/\u0000-\u001f\u007f]/;

/** ARM's validation of a tag set about to be stored; returns [code, message] for the 400, or undefined. */
export function tagProblem(tags: Tags): [string, string] | undefined {
  const names = Object.keys(tags);
  const badChars = names.filter((n) => RESERVED.test(n));
  if (badChars.length) return ['InvalidTagNameCharacters', `The tag names '${badChars.join(',')}' have reserved characters '<,>,%,&,\\,?,/' or control characters.`];
  const empty = names.filter((n) => n.trim() === '');
  if (empty.length) return ['InvalidTagName', 'The tag name must not be empty or consist only of white space.'];
  const longName = names.find((n) => n.length > MAX_NAME);
  if (longName) return ['InvalidTagNameLength', `Tag key too large. Following tag name '${longName}' exceeded the maximum length. Maximum allowed length for tag name - '${MAX_NAME}' characters.`];
  const longValue = names.find((n) => String(tags[n]).length > MAX_VALUE);
  if (longValue) return ['InvalidTagValueLength', `Tag value too large. Following tag value '${tags[longValue]}' exceeded the maximum length. Maximum allowed length for tag value - '${MAX_VALUE}' characters.`];
  if (names.length > MAX_TAGS) return ['TooManyTags', `The number of tags '${names.length}' exceeds the maximum of '${MAX_TAGS}' tags allowed on a single resource or resource group or subscription.`];
  return undefined;
}

/** Tag names are case-insensitive in ARM: a write to `Env` replaces `env`, keeping the new spelling. */
export function mergeTags(current: Tags, incoming: Tags): Tags {
  const out: Tags = { ...current };
  for (const [k, v] of Object.entries(incoming)) {
    for (const existing of Object.keys(out)) if (existing.toLowerCase() === k.toLowerCase()) delete out[existing];
    out[k] = v;
  }
  return out;
}

/** PATCH Delete: removes the given names; a name given with a non-empty value is removed only if the value matches. */
export function deleteTags(current: Tags, given: Tags): Tags {
  const out: Tags = { ...current };
  for (const [k, v] of Object.entries(given)) {
    for (const existing of Object.keys(out)) {
      if (existing.toLowerCase() !== k.toLowerCase()) continue;
      if (v === '' || v === undefined || v === null || out[existing] === v) delete out[existing];
    }
  }
  return out;
}

/** Parses a body's `properties.tags`; tag values must be strings. */
export function readTags(body: unknown): Tags | undefined {
  const tags = (body as { properties?: { tags?: unknown } } | undefined)?.properties?.tags;
  if (tags === undefined || tags === null || typeof tags !== 'object' || Array.isArray(tags)) return undefined;
  const out: Tags = {};
  for (const [k, v] of Object.entries(tags as Record<string, unknown>)) {
    if (typeof v !== 'string') return undefined;
    out[k] = v;
  }
  return out;
}
