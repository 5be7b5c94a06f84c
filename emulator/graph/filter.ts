import { badRequest } from './odata.js';

/**
 * A small OData $filter subset for directory objects: `prop eq|ne literal`, `startsWith(prop,'x')`,
 * `endsWith(prop,'x')`, `assignedLicenses/$count eq|ne N`, joined by all-`and` or all-`or`.
 * Graph's rule that `ne`, `endsWith` and `/$count` are advanced queries (ConsistencyLevel: eventual + $count=true) is enforced.
 */

export type Row = Record<string, unknown>;
/** Reads one property of the object under test. */
export type Getter = (prop: string) => unknown;

export interface CompiledFilter {
  test(get: Getter): boolean;
  /** Properties the filter reads. */
  props: string[];
  /** Operators that need advanced query mode, e.g. 'endsWith'. */
  advanced: string[];
}

function splitTopLevel(s: string): { parts: string[]; joiner: 'and' | 'or' | null } {
  const parts: string[] = [];
  const joiners = new Set<string>();
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth--;
    else if (!quoted && depth === 0) {
      const m = /^\s+(and|or)\s+/i.exec(s.slice(i));
      if (m) {
        parts.push(s.slice(start, i).trim());
        joiners.add(m[1].toLowerCase());
        i += m[0].length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(s.slice(start).trim());
  if (joiners.size > 1) throw badRequest('Unsupported Query.', 'Request_UnsupportedQuery');
  return { parts, joiner: (joiners.values().next().value as 'and' | 'or' | undefined) ?? null };
}

function literal(raw: string): string | boolean | number | null {
  const t = raw.trim();
  if (/^'.*'$/s.test(t)) return t.slice(1, -1).replace(/''/g, "'");
  if (/^true$/i.test(t)) return true;
  if (/^false$/i.test(t)) return false;
  if (/^null$/i.test(t)) return null;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  throw badRequest(`Invalid filter clause: syntax error at '${t}'.`);
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return (a ?? null) === b;
}

function resolve(known: Map<string, string>, prop: string, entity: string): string {
  const name = known.get(prop.toLowerCase());
  if (!name) throw badRequest(`Could not find a property named '${prop}' on type 'microsoft.graph.${entity}'.`);
  return name;
}

function clause(text: string, known: Map<string, string>, entity: string, stringOps: Set<string>): CompiledFilter {
  let m = /^(startswith|endswith)\(\s*(\w+)\s*,\s*('(?:[^']|'')*')\s*\)$/i.exec(text);
  if (m) {
    const op = m[1].toLowerCase() === 'startswith' ? 'startsWith' : 'endsWith';
    const prop = resolve(known, m[2], entity);
    if (!stringOps.has(`${op}:${prop}`)) throw badRequest(`Unsupported or invalid query filter clause specified for property '${prop}' of resource '${entity[0].toUpperCase()}${entity.slice(1)}'.`, 'Request_UnsupportedQuery');
    const needle = String(literal(m[3])).toLowerCase();
    return {
      advanced: op === 'endsWith' ? ['endsWith'] : [],
      props: [prop],
      test: (get) => {
        const v = get(prop);
        return typeof v === 'string' && (op === 'startsWith' ? v.toLowerCase().startsWith(needle) : v.toLowerCase().endsWith(needle));
      },
    };
  }
  m = /^assignedLicenses\/\$count\s+(eq|ne)\s+(\d+)$/i.exec(text);
  if (m) {
    const [op, n] = [m[1].toLowerCase(), Number(m[2])];
    return { advanced: ['$count'], props: ['assignedLicenses'], test: (get) => ((get('assignedLicenses') as unknown[] | undefined)?.length ?? 0) === n === (op === 'eq') };
  }
  m = /^(\w+)\s+(eq|ne)\s+(.+)$/i.exec(text);
  if (m) {
    const prop = resolve(known, m[1], entity);
    const op = m[2].toLowerCase();
    const value = literal(m[3]);
    return { advanced: op === 'ne' ? ['ne'] : [], props: [prop], test: (get) => same(get(prop), value) === (op === 'eq') };
  }
  throw badRequest(`Invalid filter clause: ${text}`);
}

export function compileFilter(raw: string, knownProps: readonly string[], entity: string, stringOps: string[]): CompiledFilter {
  const known = new Map(knownProps.map((k) => [k.toLowerCase(), k]));
  const ops = new Set(stringOps);
  const { parts, joiner } = splitTopLevel(raw.trim());
  const clauses = parts.map((p) => clause(p.replace(/^\((.*)\)$/s, '$1').trim(), known, entity, ops));
  const advanced = [...new Set(clauses.flatMap((c) => c.advanced))];
  const props = [...new Set(clauses.flatMap((c) => c.props))];
  if (joiner === 'or') return { advanced, props, test: (get) => clauses.some((c) => c.test(get)) };
  return { advanced, props, test: (get) => clauses.every((c) => c.test(get)) };
}

/** Graph's 400 for an advanced operator used without ConsistencyLevel: eventual and $count=true. */
export function advancedQueryError(op: string): Error {
  const name = op === '$count' ? "'$count'" : `'${op}'`;
  return badRequest(
    `Operator ${name} is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
    'Request_UnsupportedQuery',
  );
}
