import type { Db } from 'mongodb';
import { mongoStoreOn } from '../../../../src/store/mongo/store.js';
import { UnsafeQueryError, type Store } from '../../../../src/store/index.js';
import type { StoreCall } from './recording-store.js';

/** One operation the MongoDB adapter sent to the driver: the collection, the driver method, and what it passed. */
export interface DriverCall {
  collection: string;
  method: string;
  /** Filters, update/replacement documents, options: everything the server would have read. */
  payload: unknown[];
}

/**
 * A `Db`-shaped object for the production MongoDB adapter (src/store/mongo) that records every driver call and
 * answers as an empty database would. It stands in for the server only: the adapter code that builds the queries is
 * the real one, handed this object as its dependency (mongoStoreOn).
 */
export function recordingDb(): { db: Db; calls: DriverCall[] } {
  const calls: DriverCall[] = [];
  const collection = (name: string) => {
    const log = (method: string, ...payload: unknown[]) => calls.push({ collection: name, method, payload: structuredClone(payload) });
    return {
      findOne: async (filter: unknown, options?: unknown) => (log('findOne', filter, options), null),
      find: (filter: unknown, options?: unknown) => {
        log('find', filter, options);
        const cursor = { limit: (n: unknown) => (log('find.limit', n), cursor), toArray: async () => [] };
        return cursor;
      },
      countDocuments: async (filter: unknown) => (log('countDocuments', filter), 0),
      insertOne: async (doc: unknown) => (log('insertOne', doc), { acknowledged: true }),
      replaceOne: async (filter: unknown, doc: unknown, options?: unknown) => (log('replaceOne', filter, doc, options), { matchedCount: 0 }),
      bulkWrite: async (ops: unknown, options?: unknown) => (log('bulkWrite', ops, options), { upsertedCount: 0, matchedCount: 0 }),
      deleteOne: async (filter: unknown) => (log('deleteOne', filter), { deletedCount: 0 }),
      deleteMany: async (filter: unknown) => (log('deleteMany', filter), { deletedCount: 0 }),
      createIndexes: async () => [],
    };
  };
  const db = { collection, command: async () => ({ ok: 1 }) } as unknown as Db;
  return { db, calls };
}

/** A key an operator could hide behind: `$…` anywhere in a query, or a prototype key. */
export function operatorKeys(value: unknown, at = '', out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v, i) => operatorKeys(v, `${at}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (key.startsWith('$') || key === '__proto__' || key === 'constructor' || key === 'prototype') out.push(`${at}.${key}`);
      operatorKeys((value as Record<string, unknown>)[key], `${at}.${key}`, out);
    }
  }
  return out;
}

/**
 * The query parts of a driver call: filters, sort and projection, and the top level of documents written (an update
 * operator such as `$set` would sit there). Nested fields of stored documents are data, not queries (a tag may be
 * named `$x`), so they are not inspected.
 */
export function queryParts(call: DriverCall): unknown[] {
  const [first, second, third] = call.payload;
  const topLevel = (doc: unknown) => (doc && typeof doc === 'object' ? Object.fromEntries(Object.keys(doc).map((k) => [k, null])) : doc);
  switch (call.method) {
    case 'insertOne':
      return [topLevel(first)];
    case 'replaceOne':
      return [first, topLevel(second), third];
    case 'bulkWrite':
      return (first as { replaceOne?: { filter: unknown; replacement: unknown } }[]).flatMap((op) => (op.replaceOne ? [op.replaceOne.filter, topLevel(op.replaceOne.replacement)] : [op]));
    default:
      return call.payload;
  }
}

export interface ReplayResult {
  replayed: number;
  /** Calls the adapter refused before any driver call (UnsafeQueryError). */
  refusedByPort: number;
  /** Other errors (e.g. a record that fails the Store's checks in another way). */
  failed: number;
  driverCalls: DriverCall[];
  /** Each driver call whose query parts hold an operator or prototype key, with the store call it came from. */
  violations: { driverCall: DriverCall; keys: string[]; storeCall: StoreCall }[];
}

/** Sends each recorded Store call, with its exact arguments, through the MongoDB adapter over a recording Db. */
export async function replayThroughMongo(storeCalls: StoreCall[]): Promise<ReplayResult> {
  const { db, calls } = recordingDb();
  const store = mongoStoreOn(db, async () => undefined);
  const result: ReplayResult = { replayed: 0, refusedByPort: 0, failed: 0, driverCalls: calls, violations: [] };
  for (const storeCall of storeCalls) {
    const from = calls.length;
    const target = (store as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>)[storeCall.collection];
    try {
      await target[storeCall.method](...storeCall.args);
    } catch (err) {
      if (err instanceof UnsafeQueryError) result.refusedByPort++;
      else result.failed++;
    }
    result.replayed++;
    for (const driverCall of calls.slice(from)) {
      const keys = queryParts(driverCall).flatMap((p) => operatorKeys(p));
      if (keys.length) result.violations.push({ driverCall, keys, storeCall });
    }
  }
  await store.close();
  return result;
}

export type { Store };
