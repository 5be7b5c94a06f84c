/** A `tag` or `untag` command as typed. */
export type ParsedEdit =
  | { ok: true; resource: string; operation: 'Merge'; tags: Record<string, string> }
  | { ok: true; resource: string; operation: 'Delete'; names: string[] }
  | { ok: false; problem: string };

export const TAG_USAGE = 'tag <resource name or id> key=value [key=value …]';
export const UNTAG_USAGE = 'untag <resource name or id> key [key …]';

// A token: "double quoted", 'single quoted' or bare (no spaces). key=value pairs may quote either side.
const TOKEN = /\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=]+))/y;

/** Reads `tag <resource> k=v …` (quote names or values that hold spaces: `"cost center"="R&D 1"`). */
export function parseTag(text: string): ParsedEdit {
  const body = /^\s*tag\s+([\s\S]*)$/i.exec(text)?.[1] ?? '';
  const resource = /^\s*(\S+)/.exec(body)?.[1];
  if (!resource) return { ok: false, problem: `Say which resource and which tags: \`${TAG_USAGE}\`.` };
  const tags: Record<string, string> = {};
  let rest = body.slice(body.indexOf(resource) + resource.length);
  while (rest.trim()) {
    const key = readToken(rest);
    if (!key || rest[key.end] !== '=') return { ok: false, problem: `I could not read "${rest.trim().slice(0, 60)}": write each tag as key=value (\`${TAG_USAGE}\`).` };
    rest = rest.slice(key.end + 1);
    const value = /^\s/.test(rest) || rest === '' ? { text: '', end: 0 } : readToken(rest);
    if (!value) return { ok: false, problem: `I could not read the value of "${key.text}".` };
    tags[key.text] = value.text;
    rest = rest.slice(value.end);
  }
  if (Object.keys(tags).length === 0) return { ok: false, problem: `Say which tags to set: \`${TAG_USAGE}\`.` };
  return { ok: true, resource, operation: 'Merge', tags };
}

/** Reads `untag <resource> key …`. */
export function parseUntag(text: string): ParsedEdit {
  const body = /^\s*untag\s+([\s\S]*)$/i.exec(text)?.[1] ?? '';
  const resource = /^\s*(\S+)/.exec(body)?.[1];
  if (!resource) return { ok: false, problem: `Say which resource and which tag names: \`${UNTAG_USAGE}\`.` };
  let rest = body.slice(body.indexOf(resource) + resource.length);
  const names: string[] = [];
  while (rest.trim()) {
    const name = readToken(rest);
    if (!name) return { ok: false, problem: `I could not read "${rest.trim().slice(0, 60)}" as a tag name.` };
    names.push(name.text);
    rest = rest.slice(name.end);
  }
  if (names.length === 0) return { ok: false, problem: `Say which tag names to remove: \`${UNTAG_USAGE}\`.` };
  return { ok: true, resource, operation: 'Delete', names };
}

function readToken(s: string): { text: string; end: number } | undefined {
  TOKEN.lastIndex = 0;
  const m = TOKEN.exec(s);
  if (!m) return undefined;
  return { text: m[1] ?? m[2] ?? m[3], end: TOKEN.lastIndex };
}
