/**
 * A digest of every store collection, to compare two runs that started from the same setup in two worlds of the
 * same seed. Records are normalised only where a value cannot be the same in two runs, whatever the code does:
 *
 * - instants (ISO timestamps, also inside texts such as "expires on 2026-01-01 10:00 UTC"): the runs happen at
 *   different times;
 * - sealed secrets (`v1.…`): AES-GCM with a random IV, over refresh tokens that Entra issues anew at each refresh;
 * - loopback ports (`127.0.0.1:<port>`): each world's emulator and connector listen on random ports;
 * - ids generated at random (audit entry ids, tag edit ids, sign-in states): replaced by their rank in a stable
 *   order, the same in both runs;
 * - opaque tokens the emulator mints per request (delta and skip tokens in stored links);
 * - Bot Framework activity ids in conversation references: the test's stand-in for Teams numbers its activities.
 *
 * Everything else (names, tags, counts, states, outcomes, which records exist) must be equal.
 * The audit log is digested too, as facts (actor, action, target, outcome, detail) without the entry's own id and
 * time, under the key `audit`.
 */
import { createHash } from 'node:crypto';
import { COLLECTION_NAMES, type CollectionName, type Store } from '../../../src/store/port.js';

export type Digest = Record<CollectionName | 'audit', string[]>;

const ISO = /\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z| UTC)?/g;
const SEALED = /^v1\.[A-Za-z0-9_.-]+$/;
const PORT = /127\.0\.0\.1:\d+/g;
const LINK_TOKEN = /([?&](?:\$deltatoken|\$skiptoken|deltatoken|skiptoken|\$skipToken)=)[^&"]+/gi;

/** Normalises one value (recursively), with `ids` mapping random ids to stable placeholders. */
export function normalise(value: unknown, ids: Map<string, string>): unknown {
  if (typeof value === 'string') {
    if (ids.has(value)) return ids.get(value);
    if (SEALED.test(value)) return '<sealed>';
    return value.replace(ISO, '<time>').replace(PORT, '127.0.0.1:<port>').replace(LINK_TOKEN, '$1<token>');
  }
  if (Array.isArray(value)) return value.map((v) => normalise(v, ids));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, k === 'activityId' ? '<activity>' : normalise(v, ids)]));
  }
  return value;
}

/** Ids minted at random by the setup or the runs, in an order both runs share. */
async function randomIds(store: Store, workspaceId: string): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const edits = await store.tagEdits.find(workspaceId, {}, { sort: { field: 'requestedAt', dir: 1 } });
  edits.forEach((e, i) => ids.set(e.id, `<tagEdit ${i + 1}>`));
  const states = await store.consentStates.find(workspaceId, {}, { sort: { field: 'createdAt', dir: 1 } });
  states.forEach((s, i) => ids.set(s.id, `<consentState ${i + 1}>`));
  const approvals = await store.approvals.find(workspaceId, {}, { sort: { field: 'requestedAt', dir: 1 } });
  approvals.forEach((a, i) => ids.set(a.id, `<approval ${i + 1}>`));
  return ids;
}

/** Every record of every collection of the workspace, normalised, one sorted list of JSON lines per collection. */
export async function storeDigest(store: Store, workspaceId: string): Promise<Digest> {
  const ids = await randomIds(store, workspaceId);
  const digest = {} as Digest;
  for (const name of COLLECTION_NAMES) {
    const records = await store[name].find(workspaceId);
    digest[name] = records.map((r) => JSON.stringify(normalise(r, ids))).sort();
  }
  const entries = await store.audit.list(workspaceId);
  digest.audit = entries.map(({ id: _id, at: _at, ...fact }) => JSON.stringify(normalise(fact, ids))).sort();
  return digest;
}

/** One short hash per collection, for the log. */
export function digestHashes(digest: Digest): Record<string, string> {
  return Object.fromEntries(Object.entries(digest).map(([k, lines]) => [k, `${lines.length}:${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 12)}`]));
}

export interface DigestDifference {
  collection: string;
  /** In the reference, not in the other run: lost. */
  missing: string[];
  /** In the other run only. */
  extra: string[];
}

/** Differences per collection (multisets of normalised records); empty when the two digests are equal. */
export function compareDigests(reference: Digest, other: Digest): DigestDifference[] {
  const out: DigestDifference[] = [];
  for (const name of Object.keys(reference) as (keyof Digest)[]) {
    const missing = multisetMinus(reference[name], other[name] ?? []);
    const extra = multisetMinus(other[name] ?? [], reference[name]);
    if (missing.length || extra.length) out.push({ collection: name, missing, extra });
  }
  return out;
}

/** Records of the reference that the other run does not hold (the issue's `lost records`). */
export function lostRecords(differences: DigestDifference[]): number {
  return differences.reduce((n, d) => n + d.missing.length, 0);
}

export function multisetMinus(a: string[], b: string[]): string[] {
  const left = new Map<string, number>();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    else out.push(x);
  }
  return out;
}

/** A readable account of differences for an assertion message (first few records of each). */
export function describeDifferences(differences: DigestDifference[], max = 3): string {
  return differences
    .map((d) => `${d.collection}: ${d.missing.length} missing, ${d.extra.length} extra\n  - ${d.missing.slice(0, max).join('\n  - ')}\n  + ${d.extra.slice(0, max).join('\n  + ')}`)
    .join('\n');
}
