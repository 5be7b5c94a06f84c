/**
 * A lowdb collection for imported data, stored per workspace and tenant in segment files of at most
 * `segmentSize` records: `<dataDir>/imports/<collection>/<workspace>/<tenant>/seg-0001.json`.
 * New ids go to the tenant's last segment (a new one when it is full); a changed record is rewritten in
 * the segment that holds it. So an import page rewrites one or two files, never the whole tenant.
 * A workspace's segments load on first use; then an id → segment index makes each upsert O(1).
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { OpTracker } from '../ops.js';
import type { ImportedRecord } from '../types.js';
import type { FilterEntry, RecordRules } from '../validate.js';
import { MemoryCollection, type RecordSpace } from './memoryCollection.js';
import { fromSafeName, importsDir, safeName, segmentFileName, segmentNumber } from './paths.js';
import { CoalescingWriter } from './writeQueue.js';

interface SegmentShape<T> {
  records: T[];
}

interface Segment<T> {
  tenantId: string;
  no: number;
  records: Map<string, T>;
  writer: CoalescingWriter;
}

export interface SegmentOptions {
  dataDir: string;
  name: string;
  segmentSize: number;
  onWrite: (file: string) => void;
}

export class SegmentedCollection<T extends ImportedRecord> extends MemoryCollection<T> {
  readonly #spaces = new Map<string, Promise<SegmentedSpace<T>>>();

  constructor(rules: RecordRules, ops: OpTracker, private readonly opts: SegmentOptions) {
    super(rules, ops);
  }

  protected space(workspaceId: string): Promise<RecordSpace<T>> {
    let loading = this.#spaces.get(workspaceId);
    if (!loading) {
      loading = this.#load(workspaceId);
      this.#spaces.set(workspaceId, loading);
      loading.catch(() => this.#spaces.delete(workspaceId));
    }
    return loading;
  }

  async #load(workspaceId: string): Promise<SegmentedSpace<T>> {
    const dir = importsDir(this.opts.dataDir, this.opts.name, workspaceId);
    const space = new SegmentedSpace<T>(dir, this.opts);
    for (const tenantDir of await listDir(dir)) {
      if (!tenantDir.isDirectory()) continue;
      const tenantId = fromSafeName(tenantDir.name);
      const files = (await listDir(join(dir, tenantDir.name)))
        .map((f) => segmentNumber(f.name))
        .filter((no): no is number => no !== undefined)
        .sort((a, b) => a - b);
      for (const no of files) await space.loadSegment(tenantId, no);
    }
    return space;
  }
}

class SegmentedSpace<T extends ImportedRecord> implements RecordSpace<T> {
  readonly #index = new Map<string, Segment<T>>();
  readonly #tenants = new Map<string, Segment<T>[]>();

  constructor(
    private readonly dir: string,
    private readonly opts: SegmentOptions,
  ) {}

  async loadSegment(tenantId: string, no: number): Promise<void> {
    const { low, segment } = this.#openSegment(tenantId, no);
    try {
      await low.read();
    } catch (err) {
      throw new Error(`cannot read store segment ${this.#file(tenantId, no)}: ${(err as Error).message}`, { cause: err });
    }
    for (const record of low.data.records ?? []) {
      // After a crash between two segment writes a record can appear twice; the later segment wins.
      this.#index.get(record.id)?.records.delete(record.id);
      segment.records.set(record.id, record);
      this.#index.set(record.id, segment);
    }
  }

  get(id: string): T | undefined {
    return this.#index.get(id)?.records.get(id);
  }

  *candidates(filter: FilterEntry[]): Iterable<T> {
    const tenant = filter.find(([field]) => field === 'tenantId')?.[1];
    const segmentLists = typeof tenant === 'string' ? [this.#tenants.get(tenant) ?? []] : this.#tenants.values();
    for (const segments of segmentLists) for (const segment of segments) yield* segment.records.values();
  }

  put(record: T, touched: Set<CoalescingWriter>): boolean {
    const current = this.#index.get(record.id);
    if (current?.tenantId === record.tenantId) {
      current.records.set(record.id, record);
      touched.add(current.writer);
      return true;
    }
    if (current) {
      current.records.delete(record.id);
      touched.add(current.writer);
    }
    const target = this.#segmentWithRoom(record.tenantId);
    target.records.set(record.id, record);
    this.#index.set(record.id, target);
    touched.add(target.writer);
    return current !== undefined;
  }

  remove(id: string, touched: Set<CoalescingWriter>): boolean {
    const current = this.#index.get(id);
    if (!current) return false;
    current.records.delete(id);
    this.#index.delete(id);
    touched.add(current.writer);
    return true;
  }

  #segmentWithRoom(tenantId: string): Segment<T> {
    const segments = this.#tenants.get(tenantId);
    const last = segments?.at(-1);
    if (last && last.records.size < this.opts.segmentSize) return last;
    return this.#openSegment(tenantId, (last?.no ?? 0) + 1).segment;
  }

  #openSegment(tenantId: string, no: number): { low: Low<SegmentShape<T>>; segment: Segment<T> } {
    const tenantDir = join(this.dir, safeName(tenantId));
    const file = join(tenantDir, segmentFileName(no));
    // Compact JSON: segments are large and read by the program, not by people.
    const low = new Low<SegmentShape<T>>(
      new DataFile<SegmentShape<T>>(file, { parse: JSON.parse, stringify: (data) => JSON.stringify(data) }),
      { records: [] },
    );
    let dirReady: Promise<unknown> | undefined;
    const segment: Segment<T> = {
      tenantId,
      no,
      records: new Map(),
      writer: new CoalescingWriter(async () => {
        const records = [...segment.records.values()];
        await (dirReady ??= mkdir(tenantDir, { recursive: true }).catch((err: unknown) => {
          dirReady = undefined;
          throw err;
        }));
        low.data = { records };
        await low.write();
        this.opts.onWrite(file);
      }),
    };
    const segments = this.#tenants.get(tenantId) ?? [];
    segments.push(segment);
    this.#tenants.set(tenantId, segments);
    return { low, segment };
  }

  #file(tenantId: string, no: number): string {
    return join(this.dir, safeName(tenantId), segmentFileName(no));
  }
}

async function listDir(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
