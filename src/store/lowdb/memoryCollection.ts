/** The Collection logic shared by lowdb's single-file and segmented collections; records live in memory. */
import type { BulkUpsertResult, Collection, FindOptions, Where } from '../port.js';
import { UnsafeQueryError } from '../port.js';
import type { OpTracker } from '../ops.js';
import type { BaseRecord } from '../types.js';
import {
  checkFindOptions, checkKeyPart, checkRecord, dedupeLastWins, scopedFilter, type FilterEntry, type RecordRules,
} from '../validate.js';
import { jsonCopy, matches, plainCopy, sortAndPage } from './query.js';
import type { CoalescingWriter } from './writeQueue.js';

/** The loaded records of one workspace. Mutations are synchronous; they name the files to write. */
export interface RecordSpace<T> {
  get(id: string): T | undefined;
  /** Records that may match; the caller applies the filter. */
  candidates(filter: FilterEntry[]): Iterable<T>;
  /** Stores the record (a private copy; `json` is its serialised form when the caller has it); resolves whether the key existed. */
  put(record: T, touched: Set<CoalescingWriter>, json?: string): boolean;
  remove(id: string, touched: Set<CoalescingWriter>): boolean;
}

export abstract class MemoryCollection<T extends BaseRecord> implements Collection<T> {
  constructor(protected readonly rules: RecordRules, protected readonly ops: OpTracker) {}

  protected abstract space(workspaceId: string): Promise<RecordSpace<T>>;

  get(workspaceId: string, id: string): Promise<T | undefined> {
    return this.ops.run(async () => {
      checkKeyPart('workspaceId', workspaceId);
      checkKeyPart('id', id);
      const found = (await this.space(workspaceId)).get(id);
      return found === undefined ? undefined : plainCopy(found);
    });
  }

  find(workspaceId: string, where?: Where<T>, opts?: FindOptions<T>): Promise<T[]> {
    return this.ops.run(async () => {
      const filter = scopedFilter(workspaceId, where);
      const checked = checkFindOptions(opts);
      if (filter === null) return [];
      const hits = this.#matching(await this.space(workspaceId), filter);
      return sortAndPage(hits, checked).map(plainCopy);
    });
  }

  count(workspaceId: string, where?: Where<T>): Promise<number> {
    return this.ops.run(async () => {
      const filter = scopedFilter(workspaceId, where);
      return filter === null ? 0 : this.#matching(await this.space(workspaceId), filter).length;
    });
  }

  async upsert(record: T): Promise<void> {
    await this.bulkUpsert([record]);
  }

  bulkUpsert(records: T[]): Promise<BulkUpsertResult> {
    return this.ops.run(async () => {
      if (!Array.isArray(records)) throw new UnsafeQueryError('bulkUpsert takes an array of records');
      // Serialised once: the JSON gives the private copy and, for an append-only log, the line to write.
      const lines = new Map<T, string>();
      const copies = dedupeLastWins(records.map((r) => {
        const json = JSON.stringify(checkRecord(r, this.rules));
        const copy = JSON.parse(json) as T;
        lines.set(copy, json);
        return copy;
      }));
      const workspaceIds = [...new Set(copies.map((r) => r.workspaceId))];
      const spaces = new Map(await Promise.all(workspaceIds.map(async (ws) => [ws, await this.space(ws)] as const)));
      // From here to the flush nothing awaits, so the batch is applied as one step.
      const touched = new Set<CoalescingWriter>();
      const result = { inserted: 0, updated: 0 };
      for (const record of copies) {
        if (spaces.get(record.workspaceId)!.put(record, touched, lines.get(record))) result.updated++;
        else result.inserted++;
      }
      await flush(touched);
      return result;
    });
  }

  insert(record: T): Promise<boolean> {
    return this.ops.run(async () => {
      const copy = jsonCopy(checkRecord(record, this.rules));
      const space = await this.space(copy.workspaceId);
      if (space.get(copy.id) !== undefined) return false;
      const touched = new Set<CoalescingWriter>();
      space.put(copy, touched);
      await flush(touched);
      return true;
    });
  }

  replaceIf(record: T, expected: Where<T>): Promise<boolean> {
    return this.ops.run(async () => {
      const copy = jsonCopy(checkRecord(record, this.rules));
      const filter = scopedFilter(copy.workspaceId, expected);
      if (filter === null) return false;
      const space = await this.space(copy.workspaceId);
      const current = space.get(copy.id);
      if (current === undefined || !matches(current, filter)) return false;
      const touched = new Set<CoalescingWriter>();
      space.put(copy, touched);
      await flush(touched);
      return true;
    });
  }

  delete(workspaceId: string, id: string): Promise<boolean> {
    return this.ops.run(async () => {
      checkKeyPart('workspaceId', workspaceId);
      checkKeyPart('id', id);
      const touched = new Set<CoalescingWriter>();
      const removed = (await this.space(workspaceId)).remove(id, touched);
      await flush(touched);
      return removed;
    });
  }

  deleteWhere(workspaceId: string, where: Where<T>): Promise<number> {
    return this.ops.run(async () => {
      const filter = scopedFilter(workspaceId, where);
      if (filter === null) return 0;
      const space = await this.space(workspaceId);
      const touched = new Set<CoalescingWriter>();
      const ids = this.#matching(space, filter).map((r) => r.id);
      for (const id of ids) space.remove(id, touched);
      await flush(touched);
      return ids.length;
    });
  }

  #matching(space: RecordSpace<T>, filter: FilterEntry[]): T[] {
    const hits: T[] = [];
    for (const record of space.candidates(filter)) if (matches(record, filter)) hits.push(record);
    return hits;
  }
}

async function flush(touched: Set<CoalescingWriter>): Promise<void> {
  await Promise.all([...touched].map((writer) => writer.request()));
}
