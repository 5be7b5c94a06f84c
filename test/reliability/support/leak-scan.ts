import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** A JWT as it would appear in clear text (header and payload base64url JSON objects). */
export const JWT_SHAPED = /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;

/** The forms a secret could leak in: as is, URL-encoded (a form body or query), base64 and base64url (a Basic header, a blob). */
export function encodings(secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url')];
  return [...new Set(forms)];
}

/** Every place a secret was found: `where` (a file, the logs, a card) and which secret, by name. */
export function findLeaks(haystacks: [where: string, text: string][], secrets: { name: string; value: string }[]): string[] {
  const leaks: string[] = [];
  for (const [where, text] of haystacks) {
    for (const { name, value } of secrets) if (encodings(value).some((form) => text.includes(form))) leaks.push(`${name} in ${where}`);
    for (const m of text.matchAll(JWT_SHAPED)) leaks.push(`JWT-shaped ${m[0].slice(0, 24)}… in ${where}`);
  }
  return leaks;
}

/** Every file under `dir`, recursively, with its text. */
export async function filesUnder(dir: string): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else out.push([full, await readFile(full, 'utf8')]);
  }
  return out;
}
