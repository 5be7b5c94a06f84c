import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CARDS_DIR } from '../../src/teams/cards.js';

/** The raw template of cards/<name>.json. */
export function readTemplate(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(CARDS_DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

/** The size Teams counts: the card's JSON, in UTF-8 bytes. */
export const cardBytes = (card: unknown): number => Buffer.byteLength(JSON.stringify(card));
