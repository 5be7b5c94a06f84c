import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ACData from 'adaptivecards-templating';
import { CardFactory, type Attachment } from 'botbuilder';

/** cards/ at the repo root: two levels up from src/teams, three from dist/src/teams after `npm run build`. */
export const CARDS_DIR = [2, 3]
  .map((up) => path.resolve(path.dirname(fileURLToPath(import.meta.url)), ...Array<string>(up).fill('..'), 'cards'))
  .find((dir) => existsSync(dir)) ?? path.resolve('cards');

/** Teams refuses a message over about 28 KB; cards are kept under this so a send never fails on size. */
export const MAX_CARD_BYTES = 28 * 1024;

export class CardTemplateError extends Error {
  override name = 'CardTemplateError';
}

/** Expands the JSON templates in cards/ (adaptivecards-templating) into Adaptive Card attachments. */
export interface CardRenderer {
  /** The expanded card JSON. Throws if a `${…}` stayed unresolved or the card is over MAX_CARD_BYTES. */
  expand(name: string, data: object): Record<string, unknown>;
  attachment(name: string, data: object): Attachment;
  names(): string[];
}

export function createCardRenderer(dir = CARDS_DIR): CardRenderer {
  const sources = new Map<string, unknown>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    sources.set(file.replace(/\.json$/, ''), JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
  }
  // Compiled on first use, then kept: parsing a template's ${…} expressions costs far more than expanding them
  // (about 1 ms a card, a tenth of a `subscriptions` turn; all 25 at start-up would add half a second). A Template
  // may be bound to different data again and again, and expand is synchronous, so one instance serves every turn.
  const compiled = new Map<string, ACData.Template>();
  const templateOf = (name: string): ACData.Template => {
    let template = compiled.get(name);
    if (template) return template;
    const source = sources.get(name);
    if (source === undefined) throw new CardTemplateError(`no card template named "${name}" in ${dir}`);
    compiled.set(name, (template = new ACData.Template(source)));
    return template;
  };
  const expand = (name: string, data: object) => {
    const template = templateOf(name);
    const card = template.expand({ $root: data }) as Record<string, unknown>;
    const text = JSON.stringify(card);
    const unresolved = /\$\{[^}]*\}/.exec(text);
    if (unresolved) throw new CardTemplateError(`card "${name}" left ${unresolved[0]} unresolved: the data lacks that field`);
    if (Buffer.byteLength(text) > MAX_CARD_BYTES) throw new CardTemplateError(`card "${name}" is ${Buffer.byteLength(text)} bytes, over Teams' ${MAX_CARD_BYTES}: page it`);
    return card;
  };
  return {
    expand,
    attachment: (name, data) => CardFactory.adaptiveCard(expand(name, data)),
    names: () => [...sources.keys()],
  };
}
