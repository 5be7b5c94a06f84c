import { readdirSync } from 'node:fs';
import * as ACData from 'adaptivecards-templating';
import { CARDS_DIR } from '../../src/teams/cards.js';
import { compileFastTemplate } from '../../src/teams/fast-template.js';
import { readTemplate } from './templates.js';

/** What the library makes of the template and data: its card, or the fact that it threw. */
function byLibrary(template: unknown, data: unknown): unknown {
  try {
    return new ACData.Template(template).expand({ $root: data });
  } catch {
    return 'threw';
  }
}

function byFast(expand: (root: unknown) => unknown, data: unknown): unknown {
  try {
    return expand(data);
  } catch {
    return 'threw';
  }
}

/** A seeded generator, so a failure reproduces. */
function random(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

/** Every name a `${…}` of the template mentions (each part of a dotted path). */
function namesIn(template: unknown): string[] {
  const names = new Set<string>();
  for (const m of JSON.stringify(template).matchAll(/\$\{([^}]*)\}/g)) for (const part of m[1].split('.')) if (!part.startsWith('$')) names.add(part);
  return [...names];
}

/** Data where each name is any kind of value (or missing, or in another case), arrays and objects of such data included. */
function randomData(names: string[], next: () => number, depth = 3): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const r = next();
    const key = next() < 0.1 ? name.toUpperCase() : name;
    if (r < 0.1) continue;
    if (r < 0.3) out[key] = ['', 'text', 'a ${b} c', 'x · y **z**'][Math.floor(next() * 4)];
    else if (r < 0.4) out[key] = [0, -1, 2, 3.5][Math.floor(next() * 4)];
    else if (r < 0.55) out[key] = next() < 0.5;
    else if (r < 0.6) out[key] = null;
    else if (r < 0.85 && depth > 0) out[key] = Array.from({ length: Math.floor(next() * 4) }, () => randomData(names, next, depth - 1));
    else if (depth > 0) out[key] = randomData(names, next, depth - 1);
    else out[key] = 'leaf';
  }
  return out;
}

const card = (body: object[]) => ({ type: 'AdaptiveCard', version: '1.5', body });

describe('the fast card expander', () => {
  const templates = readdirSync(CARDS_DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));

  test.each(templates)('%s: where it takes the template, it expands any data exactly as adaptivecards-templating does', (name) => {
    const template = readTemplate(name);
    const expand = compileFastTemplate(template);
    if (!expand) return; // uses functions or operators: the library expands it
    const next = random(name.length * 7919);
    const names = namesIn(template);
    for (let round = 0; round < 150; round++) {
      const data = randomData(names, next);
      expect(byFast(expand, data)).toEqual(byLibrary(template, data));
    }
  });

  test('it takes the hot cards (subscriptions, sync modes, help)', () => {
    for (const name of ['subscriptions', 'subscription-modes', 'help']) expect(compileFastTemplate(readTemplate(name))).toBeDefined();
  });

  test.each([
    ['a whole-string field keeps its type', card([{ type: 'TextBlock', text: '${n}', wrap: '${b}', extra: '${o}', none: '${z}' }]), { n: 3, b: false, o: { k: [1] }, z: null }],
    ['a missing field stays as ${path}, in a whole string and in text', card([{ type: 'TextBlock', text: '${a.b}', more: 'x ${c} y' }]), { a: {} }],
    ['property names are matched ignoring case', card([{ type: 'TextBlock', text: '${title} / ${Other}' }]), { TITLE: 'T', other: 'o' }],
    ['$data: none, one and several repetitions (spliced into the array), and an object scope', card([{ type: 'TextBlock', $data: '${rows}', text: '${t} #${$index} of ${$root.name}' }, { type: 'C', $data: '${one}', items: [{ $data: '${none}', type: 'X' }] }, { type: 'S', $data: '${scope}', text: '${t}' }]), { name: 'N', rows: [{ t: 'a' }, { t: 'b' }], one: [{ none: [] }], scope: { t: 'scoped' } }],
    ['$when keeps only a true boolean; a literal $when always drops', card([{ type: 'A', $when: '${yes}' }, { type: 'B', $when: '${one}' }, { type: 'C', $when: '${missing}' }, { type: 'D', $when: 'true' }, { type: 'E', $when: '' }]), { yes: true, one: 1 }],
    ['a null field inside text fails as the library fails', card([{ type: 'TextBlock', text: 'x ${z}' }]), { z: null }],
    ['$data of a missing, null or plain value', card([{ type: 'A', $data: '${missing}', text: '${$data}' }, { type: 'B', $data: '${z}', text: '${t}' }, { type: 'C', $data: '${s}', text: '${$data}' }]), { z: null, s: 'str', t: 'root t' }],
  ])('%s', (_what, template, data) => {
    const expand = compileFastTemplate(template);
    expect(expand).toBeDefined();
    expect(byFast(expand!, data)).toEqual(byLibrary(template, data));
  });

  test.each([
    ['a function', card([{ type: 'TextBlock', text: '${count(rows)}' }])],
    ['an operator in $when', card([{ type: 'TextBlock', $when: "${a != ''}", text: 'x' }])],
    ['an indexed path', card([{ type: 'TextBlock', text: '${rows[0].t}' }])],
    ['a backslash beside an expression', card([{ type: 'TextBlock', text: 'C:\\\\ ${a}' }])],
    ['a literal $data array', card([{ type: 'TextBlock', $data: [{ t: 1 }], text: '${t}' }])],
  ])('it leaves templates with %s to the library', (_what, template) => {
    expect(compileFastTemplate(template)).toBeUndefined();
  });
});
