import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CARDS_DIR, MAX_CARD_BYTES, createCardRenderer } from '../../src/teams/cards.js';
import { expandStrict } from './expand-strict.js';

/**
 * Every template in cards/ is expanded with every sample of it in test/cards/samples/: `<card>.json` (required,
 * so a new card must bring one) and any `<card>.<variant>.json` (other states of the same card, e.g. empty lists).
 */
const SAMPLES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'samples');
const cards = readdirSync(CARDS_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
const sampleFiles = readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.json')).sort();
const cardOf = (sample: string) => cards.filter((c) => sample === `${c}.json` || sample.startsWith(`${c}.`)).sort((a, b) => b.length - a.length)[0];
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

/** Every object in a card, nested anywhere (body, actions, selectAction, ShowCard cards…). */
function objects(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(objects);
  if (node && typeof node === 'object') return [node as Record<string, unknown>, ...Object.values(node).flatMap(objects)];
  return [];
}

test('the cards and samples are found', () => {
  expect(cards.length).toBeGreaterThan(0);
  expect(cards).toContain('help');
});

test('every card has a sample, and every sample belongs to a card', () => {
  expect(cards.filter((c) => !sampleFiles.includes(`${c}.json`))).toEqual([]);
  expect(sampleFiles.filter((s) => !cardOf(s))).toEqual([]);
});

describe.each(cards)('card %s', (name) => {
  const template = readJson(path.join(CARDS_DIR, `${name}.json`));

  test('is an Adaptive Card at schema 1.5 whose buttons are Action.Execute (with a verb) or Action.OpenUrl', () => {
    expect(template).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    const actions = objects(template).filter((o) => typeof o.type === 'string' && o.type.startsWith('Action.'));
    expect(actions.filter((a) => a.type !== 'Action.Execute' && a.type !== 'Action.OpenUrl').map((a) => a.type)).toEqual([]);
    for (const action of actions.filter((a) => a.type === 'Action.Execute')) expect(action.verb).toEqual(expect.stringMatching(/\S/));
  });

  const samples = sampleFiles.filter((s) => cardOf(s) === name);
  test.each(samples.length ? samples : ['(no sample)'])('expands %s with no unresolved field, warning or console output, under 28 KB', (sample) => {
    if (!samples.length) throw new Error(`cards/${name}.json has no sample: add test/cards/samples/${name}.json with the data its feature passes`);
    const data = readJson(path.join(SAMPLES_DIR, sample));
    const { card, problems } = expandStrict(template, data);
    expect(problems).toEqual([]);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(MAX_CARD_BYTES);
    // The bot's own renderer (src/teams/cards.ts) produces the same card from the same data.
    expect(createCardRenderer().expand(name, data)).toEqual(card);
  });
});
