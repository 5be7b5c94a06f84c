/**
 * The audit trail in the `audit` collection: insert only. Order is by `at`, then `_id` (ObjectIds made by
 * one driver increase), which is append order within a process.
 */
import type { Collection as MongoCollectionHandle, Document } from 'mongodb';
import type { AuditListOptions, AuditLog } from '../port.js';
import type { OpTracker } from '../ops.js';
import type { AuditEntry, NewAuditEntry } from '../types.js';
import { checkAuditList, stampAuditEntry } from '../audit.js';
import { toFilter } from './collection.js';

export class MongoAuditLog implements AuditLog {
  constructor(private readonly coll: MongoCollectionHandle<Document>, private readonly ops: OpTracker) {}

  append(entry: NewAuditEntry): Promise<AuditEntry> {
    return this.ops.run(async () => {
      const stored = stampAuditEntry(entry);
      await this.coll.insertOne({ ...stored });
      return stored;
    });
  }

  list(workspaceId: string, opts?: AuditListOptions): Promise<AuditEntry[]> {
    return this.ops.run(async () => {
      const { filter, newestFirst, limit, offset } = checkAuditList(workspaceId, opts);
      if (filter === null || limit === 0) return [];
      const dir = newestFirst ? -1 : 1;
      const cursor = this.coll.find(toFilter(workspaceId, filter), {
        projection: { _id: 0 }, sort: { at: dir, _id: dir }, skip: offset,
      });
      if (limit !== undefined) cursor.limit(limit);
      return (await cursor.toArray()) as unknown as AuditEntry[];
    });
  }
}
