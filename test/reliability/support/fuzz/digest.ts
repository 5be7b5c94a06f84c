import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** Per collection: its records as canonical JSON lines (sorted), and their hash. */
export type StoreDigest = Record<string, { hash: string; records: string[] }>;

/** Files that are not collections of records, or that are allowed to grow (the audit trail). */
const SKIPPED = new Set(['audit.jsonl', 'sealing.key']);

/**
 * Digests every collection the bot keeps in its data dir, straight from the files (so that a record a hostile input
 * creates in a workspace nobody thought of, or in the job queue, shows up too): `<name>.json` files,
 * `imports/<collection>/…` segments, and Agenda's `jobs.json`. The audit trail is left out on purpose: refusals append.
 */
export async function digestDataDir(dataDir: string): Promise<StoreDigest> {
  const byCollection = new Map<string, string[]>();
  for (const file of await filesUnder(dataDir)) {
    const rel = path.relative(dataDir, file);
    if (SKIPPED.has(rel) || /\.tmp$|~$/.test(rel) || path.basename(rel).startsWith('.')) continue;
    const collection = rel.startsWith(`imports${path.sep}`) ? rel.split(path.sep).slice(0, 2).join('/') : rel;
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue; // replaced by an atomic rename while we listed
    const lines = byCollection.get(collection) ?? [];
    lines.push(...(rel.endsWith('.jsonl') ? liveRecordsOfLog(text) : recordsOf(text)).map((r) => `${rel}\t${canonical(r)}`));
    byCollection.set(collection, lines);
  }
  const digest: StoreDigest = {};
  for (const [name, lines] of [...byCollection].sort(([x], [y]) => x.localeCompare(y))) {
    lines.sort();
    digest[name] = { hash: createHash('sha256').update(lines.join('\n')).digest('hex'), records: lines };
  }
  return digest;
}

/** What changed between two digests: collections whose hash differs, with the records only in one of them. */
export interface DigestChange {
  collection: string;
  removed: string[];
  added: string[];
  /** For records present before and after (same file and id): the top-level fields whose value differs. */
  changedFields: string[];
}

export function digestChanges(before: StoreDigest, after: StoreDigest): DigestChange[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  const out: DigestChange[] = [];
  for (const name of names) {
    if (before[name]?.hash === after[name]?.hash) continue;
    const b = new Set(before[name]?.records ?? []);
    const a = new Set(after[name]?.records ?? []);
    const removed = [...b].filter((r) => !a.has(r));
    const added = [...a].filter((r) => !b.has(r));
    out.push({ collection: name, removed: removed.map(short), added: added.map(short), changedFields: changedFields(removed, added) });
  }
  return out;
}

/** Waits until two digests a moment apart agree (pending writes and running jobs have landed). */
export async function settledDigest(dataDir: string, { intervalMs = 300, timeoutMs = 60_000 } = {}): Promise<StoreDigest> {
  const until = Date.now() + timeoutMs;
  let last = await digestDataDir(dataDir);
  for (;;) {
    await new Promise((r) => setTimeout(r, intervalMs));
    const next = await digestDataDir(dataDir);
    if (digestChanges(last, next).length === 0) return next;
    if (Date.now() > until) throw new Error(`the data dir never settled: ${JSON.stringify(digestChanges(last, next)).slice(0, 500)}`);
    last = next;
  }
}

/**
 * An imported collection's append-only log (`imports/…/records.jsonl`): a line is a record, or `{"$removed": id}`;
 * the last line for an id wins. Its live records are the state (a compaction rewrites the file, not the state).
 * A torn last line (a write cut by a crash) is not a record yet, as the store itself treats it.
 */
function liveRecordsOfLog(text: string): unknown[] {
  const live = new Map<string, unknown>();
  const lines = text.split('\n').filter((l) => l.length > 0);
  lines.forEach((line, i) => {
    let entry: { id?: string; $removed?: string };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch (err) {
      if (i === lines.length - 1) return;
      throw err;
    }
    if (typeof entry.$removed === 'string') live.delete(entry.$removed);
    else live.set(String(entry.id), entry);
  });
  return [...live.values()];
}

function recordsOf(text: string): unknown[] {
  const parsed = JSON.parse(text) as unknown;
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const o = parsed as Record<string, unknown>;
    for (const key of ['records', 'jobs']) if (Array.isArray(o[key])) return o[key] as unknown[];
  }
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** JSON with object keys sorted, so that key order never counts as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => x.localeCompare(y))) : v,
  );
}

function changedFields(removed: string[], added: string[]): string[] {
  const parse = (line: string) => {
    const [file, json] = line.split('\t');
    const record = JSON.parse(json) as Record<string, unknown>;
    return { key: `${file}#${String(record.id)}`, record };
  };
  const before = new Map(removed.map(parse).map((x) => [x.key, x.record]));
  const fields: string[] = [];
  for (const { key, record } of added.map(parse)) {
    const old = before.get(key);
    if (!old) continue;
    diffPaths(old, record, key, fields);
  }
  return fields;
}

function diffPaths(a: unknown, b: unknown, at: string, out: string[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (obj(a) && obj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diffPaths(a[k], b[k], `${at}.${k}`, out);
    return;
  }
  out.push(`${at}: ${JSON.stringify(a)?.slice(0, 200)} → ${JSON.stringify(b)?.slice(0, 200)}`);
}

const short = (s: string) => (s.length > 400 ? `${s.slice(0, 400)}…` : s);

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}
