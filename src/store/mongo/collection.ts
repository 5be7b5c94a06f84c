/**
 * A Store collection on one MongoDB collection. Documents are the records plus a driver-made `_id`, with a
 * unique index on (workspaceId, id); `_id` never leaves this file. Every filter is built here from
 * validated equality entries (see validate.ts), so no caller value can become an operator.
 */
import type { AnyBulkWriteOperation, Collection as MongoCollectionHandle, Document, Filter, Sort } from 'mongodb';
import { MongoServerError } from 'mongodb';
import type { BulkUpsertResult, Collection, FindOptions, Where } from '../port.js';
import { UnsafeQueryError } from '../port.js';
import type { OpTracker } from '../ops.js';
import type { BaseRecord } from '../types.js';
import {
  checkFindOptions, checkKeyPart, checkRecord, dedupeLastWins, scopedFilter, type FilterEntry, type RecordRules,
} from '../validate.js';

const NO_ID = { projection: { _id: 0 } } as const;
const DUPLICATE_KEY = 11000;

/** The filter for a workspace plus validated equality entries. workspaceId is always set by us. */
export function toFilter(workspaceId: string, entries: FilterEntry[]): Filter<Document> {
  const filter: Document = {};
  for (const [field, value] of entries) filter[field] = value;
  filter.workspaceId = workspaceId;
  return filter;
}

export class MongoCollection<T extends BaseRecord> implements Collection<T> {
  constructor(
    protected readonly coll: MongoCollectionHandle<Document>,
    private readonly rules: RecordRules,
    protected readonly ops: OpTracker,
  ) {}

  get(workspaceId: string, id: string): Promise<T | undefined> {
    return this.ops.run(async () => {
      const filter = { workspaceId: checkKeyPart('workspaceId', workspaceId), id: checkKeyPart('id', id) };
      const doc = await this.coll.findOne(filter, NO_ID);
      return (doc ?? undefined) as T | undefined;
    });
  }

  find(workspaceId: string, where?: Where<T>, opts?: FindOptions<T>): Promise<T[]> {
    return this.ops.run(async () => {
      const entries = scopedFilter(workspaceId, where);
      const { limit, offset, sortField, sortDir } = checkFindOptions(opts);
      if (entries === null || limit === 0) return [];
      const sort: Sort = sortField === 'id' ? { id: sortDir } : { [sortField]: sortDir, id: 1 };
      const cursor = this.coll.find(toFilter(workspaceId, entries), { ...NO_ID, sort, skip: offset });
      if (limit !== undefined) cursor.limit(limit);
      return (await cursor.toArray()) as unknown as T[];
    });
  }

  count(workspaceId: string, where?: Where<T>): Promise<number> {
    return this.ops.run(async () => {
      const entries = scopedFilter(workspaceId, where);
      return entries === null ? 0 : this.coll.countDocuments(toFilter(workspaceId, entries));
    });
  }

  async upsert(record: T): Promise<void> {
    await this.bulkUpsert([record]);
  }

  bulkUpsert(records: T[]): Promise<BulkUpsertResult> {
    return this.ops.run(async () => {
      if (!Array.isArray(records)) throw new UnsafeQueryError('bulkUpsert takes an array of records');
      const unique = dedupeLastWins(records.map((r) => checkRecord(r, this.rules)));
      if (unique.length === 0) return { inserted: 0, updated: 0 };
      // Duplicates are gone, so unordered is safe and lets the server apply the batch in one go.
      const ops: AnyBulkWriteOperation<Document>[] = unique.map((r) => ({
        replaceOne: { filter: { workspaceId: r.workspaceId, id: r.id }, replacement: { ...r }, upsert: true },
      }));
      const result = await this.coll.bulkWrite(ops, { ordered: false });
      return { inserted: result.upsertedCount, updated: result.matchedCount };
    });
  }

  insert(record: T): Promise<boolean> {
    return this.ops.run(async () => {
      checkRecord(record, this.rules);
      try {
        await this.coll.insertOne({ ...record }); // a copy: insertOne adds _id to what it is given
        return true;
      } catch (err) {
        if (err instanceof MongoServerError && err.code === DUPLICATE_KEY) return false;
        throw err;
      }
    });
  }

  replaceIf(record: T, expected: Where<T>): Promise<boolean> {
    return this.ops.run(async () => {
      checkRecord(record, this.rules);
      const entries = scopedFilter(record.workspaceId, expected);
      if (entries === null) return false;
      const idEntry = entries.find(([field]) => field === 'id');
      if (idEntry && idEntry[1] !== record.id) return false;
      const filter = { ...toFilter(record.workspaceId, entries), id: record.id };
      const result = await this.coll.replaceOne(filter, { ...record });
      return result.matchedCount === 1;
    });
  }

  delete(workspaceId: string, id: string): Promise<boolean> {
    return this.ops.run(async () => {
      const filter = { workspaceId: checkKeyPart('workspaceId', workspaceId), id: checkKeyPart('id', id) };
      return (await this.coll.deleteOne(filter)).deletedCount === 1;
    });
  }

  deleteWhere(workspaceId: string, where: Where<T>): Promise<number> {
    return this.ops.run(async () => {
      const entries = scopedFilter(workspaceId, where);
      if (entries === null) return 0;
      return (await this.coll.deleteMany(toFilter(workspaceId, entries))).deletedCount;
    });
  }

  /** Every record of every workspace; only for the documented cross-workspace listAll(). */
  listAll(): Promise<T[]> {
    return this.ops.run(async () => (await this.coll.find({}, { ...NO_ID, sort: { workspaceId: 1, id: 1 } }).toArray()) as unknown as T[]);
  }
}
