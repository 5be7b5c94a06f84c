/**
 * A faster expander for the card templates that use only property paths (`${title}`, `${totals.warning}`,
 * `${$root.x}`) in text, `$data` and `$when`. It reproduces adaptivecards-templating 2.3's expansion exactly for
 * those (same `$data` repetition and splicing, `$when` dropping, `${path}` left in place for a missing field,
 * case-insensitive property lookup, typed values for a whole-string expression): the library evaluates every
 * `${…}` through adaptive-expressions, which costs about 0.2 ms for the 15-row subscriptions card, on every turn.
 * `compileFastTemplate` answers undefined for anything else (functions, operators, escapes), which the library
 * then expands; test/cards checks both give the same card for every template this takes.
 */

type Compiled = (scope: Scope) => unknown;
interface Scope {
  root: unknown;
  /** Undefined: the root. */
  data: unknown;
  index: unknown;
}

const RESERVED = new Set(['$data', '$when', '$root', '$index', '$host', '$_acTemplateVersion']);
const PATH = /^(\$root|\$data|\$index|[A-Za-z_][A-Za-z0-9_]*)(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const EXPRESSION = /\$\{([^}]*)\}/g;
/** Text the library would read as an expression's syntax or an escape inside its template literal. */
const UNSAFE_TEXT = /[`\\{}$]/;

/** The template compiled, or undefined when it uses more than property paths. */
export function compileFastTemplate(source: unknown): ((root: unknown) => unknown) | undefined {
  try {
    const compiled = compileNode(source);
    return (root) => compiled({ root, data: undefined, index: undefined });
  } catch (err) {
    if (err instanceof NotSimple) return undefined;
    throw err;
  }
}

class NotSimple extends Error {}

/**
 * A string of the template: plain text (the library leaves it as it is), one whole `${path}` (its value, typed), or
 * text with expressions (a string). A missing field becomes `${path}` again, except in `$when` (`substitute` false).
 */
type StringNode = { kind: 'text'; text: string } | { kind: 'whole' | 'concat'; evaluate(scope: Scope, substitute: boolean): unknown };

function compileString(text: string): StringNode {
  if (!text.includes('${')) return { kind: 'text', text };
  const parts: (string | string[])[] = [];
  let last = 0;
  for (const m of text.matchAll(EXPRESSION)) {
    if (!PATH.test(m[1])) throw new NotSimple();
    parts.push(text.slice(last, m.index), m[1].split('.'));
    last = m.index! + m[0].length;
  }
  parts.push(text.slice(last));
  if (parts.some((p) => typeof p === 'string' && UNSAFE_TEXT.test(p))) throw new NotSimple();
  const paths = parts.filter((p): p is string[] => typeof p !== 'string');
  if (paths.length === 0) throw new NotSimple();
  if (parts.length === 3 && parts[0] === '' && parts[2] === '') {
    const path = paths[0];
    return { kind: 'whole', evaluate: (scope, substitute) => lookup(scope, path, substitute) };
  }
  return {
    kind: 'concat',
    evaluate: (scope) => {
      let out = '';
      // As the library's concatenation: `value.toString()` of each part (a null field throws there too).
      for (const p of parts) out += typeof p === 'string' ? p : (lookup(scope, p, true) as { toString(): string }).toString();
      return out;
    },
  };
}

function compileNode(node: unknown): Compiled {
  if (typeof node === 'string') {
    const s = compileString(node);
    return s.kind === 'text' ? () => s.text : (scope) => s.evaluate(scope, true);
  }
  if (Array.isArray(node)) {
    const items = node.map(compileNode);
    return (scope) => {
      const out: unknown[] = [];
      for (const item of items) {
        const value = item(scope);
        if (value === null) continue;
        if (Array.isArray(value)) out.push(...value);
        else out.push(value);
      }
      return out;
    };
  }
  if (typeof node === 'object' && node !== null) return compileObject(node as Record<string, unknown>);
  return () => node;
}

function compileObject(node: Record<string, unknown>): Compiled {
  const when = whenOf(node.$when);
  const data = node.$data;
  if (data !== undefined && typeof data !== 'string') throw new NotSimple();
  const dataNode = data === undefined ? undefined : compileString(data);
  const fields = Object.keys(node).filter((k) => !RESERVED.has(k)).map((k) => [k, compileNode(node[k])] as const);
  const expandOne = (scope: Scope): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, field] of fields) {
      const value = field(scope);
      if (value !== undefined) out[key] = value;
    }
    return out;
  };
  return (scope) => {
    let contexts: unknown[] = [undefined];
    let isArray = false;
    if (dataNode) {
      const value = dataNode.kind === 'text' ? dataNode.text : dataNode.evaluate(scope, true);
      isArray = Array.isArray(value);
      contexts = isArray ? (value as unknown[]) : [value];
    }
    const out: Record<string, unknown>[] = [];
    // The library keeps $data and $index from one repetition to the next (it restores them only after the node).
    const inner: Scope = { ...scope };
    for (let i = 0; i < contexts.length; i++) {
      if (isArray) inner.index = i;
      if (contexts[i] !== undefined) inner.data = contexts[i];
      if (when === 'drop' || (when && when(inner) !== true)) continue;
      out.push(expandOne(inner));
    }
    return out.length === 0 ? null : out.length === 1 ? out[0] : out;
  };
}

/** `$when`: an expression (kept only when it is exactly `true`), absent, or anything else truthy (always dropped). */
function whenOf(when: unknown): ((scope: Scope) => unknown) | 'drop' | undefined {
  if (typeof when === 'string' && when.includes('${')) {
    const s = compileString(when);
    if (s.kind !== 'whole') throw new NotSimple();
    return (scope) => s.evaluate(scope, false);
  }
  return when ? 'drop' : undefined;
}

/** As the library's memory: `$root`, `$data` (the root outside any `$data`), `$index`; other paths are under `$data`. */
function lookup(scope: Scope, path: string[], substitute: boolean): unknown {
  const first = path[0];
  let current: unknown = first === '$root' ? scope.root : first === '$index' ? scope.index : scope.data !== undefined ? scope.data : scope.root;
  for (let i = first.startsWith('$') ? 1 : 0; i < path.length; i++) current = property(current, path[i]);
  if (current === undefined && substitute) return '${' + path.join('.') + '}';
  return current;
}

/** adaptive-expressions' property access: the first key equal to the name ignoring case; nothing on a falsy value. */
function property(instance: unknown, name: string): unknown {
  if (!instance) return undefined;
  if (instance instanceof Map) {
    const exact = instance.get(name);
    if (exact !== undefined) return exact;
    const key = [...instance.keys()].find((k) => String(k).toLowerCase() === name.toLowerCase());
    return key === undefined ? undefined : instance.get(key);
  }
  const lower = name.toLowerCase();
  for (const key of Object.keys(instance)) if (key.toLowerCase() === lower) return (instance as Record<string, unknown>)[key];
  return undefined;
}
