/** A lowdb collection kept in one JSON file (`<dataDir>/<name>.json`), for the small collections. */
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { OpTracker } from '../ops.js';
import type { BaseRecord } from '../types.js';
import type { RecordRules } from '../validate.js';
import { plainCopy } from './query.js';
import { MemoryCollection, type RecordSpace } from './memoryCollection.js';
import { CoalescingWriter } from './writeQueue.js';

interface FileShape<T> {
  records: T[];
}

export class FileCollection<T extends BaseRecord> extends MemoryCollection<T> {
  readonly #byWorkspace = new Map<string, Map<string, T>>();
  readonly writer: CoalescingWriter;

  private constructor(rules: RecordRules, ops: OpTracker, low: Low<FileShape<T>>, onWrite: () => void) {
    super(rules, ops);
    this.writer = new CoalescingWriter(async () => {
      low.data = { records: [...this.#byWorkspace.values()].flatMap((m) => [...m.values()]) };
      await low.write();
      onWrite();
    });
    for (const record of low.data.records) this.#spaceMap(record.workspaceId).set(record.id, record);
  }

  static async open<T extends BaseRecord>(
    file: string, rules: RecordRules, ops: OpTracker, onWrite: (file: string) => void,
  ): Promise<FileCollection<T>> {
    const low = new Low<FileShape<T>>(new JSONFile<FileShape<T>>(file), { records: [] });
    try {
      await low.read();
    } catch (err) {
      throw new Error(`cannot read store file ${file}: ${(err as Error).message}`, { cause: err });
    }
    if (!Array.isArray(low.data?.records)) throw new Error(`store file ${file} has no "records" array`);
    return new FileCollection<T>(rules, ops, low, () => onWrite(file));
  }

  /** Every record of every workspace (copies); only for the documented cross-workspace listAll(). */
  listAll(): Promise<T[]> {
    return this.ops.run(async () => [...this.#byWorkspace.values()].flatMap((m) => [...m.values()].map(plainCopy)));
  }

  protected async space(workspaceId: string): Promise<RecordSpace<T>> {
    const byWorkspace = this.#byWorkspace;
    const writer = this.writer;
    return {
      get: (id) => byWorkspace.get(workspaceId)?.get(id),
      candidates: () => byWorkspace.get(workspaceId)?.values() ?? [],
      put: (record, touched) => {
        const map = this.#spaceMap(workspaceId);
        const existed = map.has(record.id);
        map.set(record.id, record);
        touched.add(writer);
        return existed;
      },
      remove: (id, touched) => {
        const map = byWorkspace.get(workspaceId);
        if (!map?.delete(id)) return false;
        if (map.size === 0) byWorkspace.delete(workspaceId);
        touched.add(writer);
        return true;
      },
    };
  }

  #spaceMap(workspaceId: string): Map<string, T> {
    let map = this.#byWorkspace.get(workspaceId);
    if (!map) this.#byWorkspace.set(workspaceId, (map = new Map()));
    return map;
  }
}
