/**
 * A lowdb-store collection for imported data: one append-only JSON-lines log per workspace and tenant,
 * `<dataDir>/imports/<collection>/<workspace>/<tenant>/records.jsonl`. A write appends the lines of the records it
 * changed (a removal is a `{"$removed": id}` line), so an import page costs one append of that page, and a daily
 * delta of 1,000 users costs 1,000 lines, whatever the size of the tenant. When superseded lines outnumber live
 * records (and `compactAfter`), the log is rewritten with one line per live record (temp file, then an atomic rename),
 * so the file stays within about twice its live size. On load the later line of an id wins; a torn last line (a crash
 * mid-append) is skipped, and the next write compacts. Earlier versions kept `seg-NNNN.json` segment files; they are
 * read when a tenant has no log yet and replaced by one at its first write.
 *
 * Memory: a workspace's logs are indexed on first use, and what stays is an index (id → the line's offset in the
 * file) and the values of the queried fields (see tenantLog.ts), not the records: filters, sorts and counts run on
 * those, and only the records a query returns are read back from the file and parsed. A record is serialised once,
 * at its put: the line is both the file's copy and the store's, so the caller's object is never retained.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BulkUpsertResult, Collection, FindOptions, Where } from '../port.js';
import { UnsafeQueryError } from '../port.js';
import type { OpTracker } from '../ops.js';
import type { ImportedRecord } from '../types.js';
import {
  checkFindOptions, checkKeyPart, checkRecord, dedupeLastWins, scopedFilter, type FilterEntry, type RecordRules,
} from '../validate.js';
import { scanLines, type Row } from './logRows.js';
import { fromSafeName, importsDir, safeName, segmentNumber } from './paths.js';
import { matches, sortAndPage } from './query.js';
import { LOG_FILE, TenantLog, type TenantLogSettings } from './tenantLog.js';
import type { CoalescingWriter } from './writeQueue.js';

export { LOG_FILE };

export interface TenantLogOptions extends TenantLogSettings {
  dataDir: string;
  name: string;
}

/** A record found by a query: its log and row. */
interface Hit {
  id: string;
  log: TenantLog;
  row: Row;
}

export class TenantLogCollection<T extends ImportedRecord> implements Collection<T> {
  readonly #spaces = new Map<string, Promise<LogSpace>>();

  constructor(private readonly rules: RecordRules, private readonly ops: OpTracker, private readonly opts: TenantLogOptions) {}

  get(workspaceId: string, id: string): Promise<T | undefined> {
    return this.ops.run(async () => {
      checkKeyPart('workspaceId', workspaceId);
      checkKeyPart('id', id);
      const space = await this.#space(workspaceId);
      const log = space.index.get(id);
      const row = log?.rows.get(id);
      return row === undefined ? undefined : (JSON.parse(log!.read([row])[0]) as T);
    });
  }

  find(workspaceId: string, where?: Where<T>, opts?: FindOptions<T>): Promise<T[]> {
    return this.ops.run(async () => {
      const filter = scopedFilter(workspaceId, where);
      const checked = checkFindOptions(opts);
      if (filter === null || checked.limit === 0) return [];
      const hits = matching(await this.#space(workspaceId), filter);
      const { sortField } = checked;
      // sortAndPage sorts plain objects by a field and then id: give it each hit's sort value under that name.
      const keyed = hits.map((hit) => ({ id: hit.id, [sortField]: sortField === 'id' ? hit.id : hit.row.cols[hit.log.column(sortField)], [HIT]: hit }));
      return materialise(sortAndPage(keyed, checked).map((k) => k[HIT])) as T[];
    });
  }

  count(workspaceId: string, where?: Where<T>): Promise<number> {
    return this.ops.run(async () => {
      const filter = scopedFilter(workspaceId, where);
      return filter === null ? 0 : matching(await this.#space(workspaceId), filter).length;
    });
  }

  async upsert(record: T): Promise<void> {
    await this.bulkUpsert([record]);
  }

  bulkUpsert(records: T[]): Promise<BulkUpsertResult> {
    return this.ops.run(async () => {
      if (!Array.isArray(records)) throw new UnsafeQueryError('bulkUpsert takes an array of records');
      const unique = dedupeLastWins(records.map((r) => checkRecord(r, this.rules)));
      const spaces = await this.#spacesOf(unique);
      // From here to the flush nothing awaits, so the batch is applied as one step.
      const touched = new Set<CoalescingWriter>();
      const result = { inserted: 0, updated: 0 };
      for (const record of unique) {
        if (spaces.get(record.workspaceId)!.put(record, touched)) result.updated++;
        else result.inserted++;
      }
      await flush(touched);
      return result;
    });
  }

  insert(record: T): Promise<boolean> {
    return this.ops.run(async () => {
      checkRecord(record, this.rules);
      const space = await this.#space(record.workspaceId);
      if (space.index.has(record.id)) return false;
      const touched = new Set<CoalescingWriter>();
      space.put(record, touched);
      await flush(touched);
      return true;
    });
  }

  replaceIf(record: T, expected: Where<T>): Promise<boolean> {
    return this.ops.run(async () => {
      checkRecord(record, this.rules);
      const filter = scopedFilter(record.workspaceId, expected);
      if (filter === null) return false;
      const space = await this.#space(record.workspaceId);
      const log = space.index.get(record.id);
      const row = log?.rows.get(record.id);
      if (row === undefined || !matches(JSON.parse(log!.read([row])[0]) as object, filter)) return false;
      const touched = new Set<CoalescingWriter>();
      space.put(record, touched);
      await flush(touched);
      return true;
    });
  }

  delete(workspaceId: string, id: string): Promise<boolean> {
    return this.ops.run(async () => {
      checkKeyPart('workspaceId', workspaceId);
      checkKeyPart('id', id);
      const touched = new Set<CoalescingWriter>();
      const removed = (await this.#space(workspaceId)).remove(id, touched);
      await flush(touched);
      return removed;
    });
  }

  deleteWhere(workspaceId: string, where: Where<T>): Promise<number> {
    return this.ops.run(async () => {
      const filter = scopedFilter(workspaceId, where);
      if (filter === null) return 0;
      const space = await this.#space(workspaceId);
      const touched = new Set<CoalescingWriter>();
      const hits = matching(space, filter);
      for (const hit of hits) space.remove(hit.id, touched);
      await flush(touched);
      return hits.length;
    });
  }

  /** Closes the logs' read descriptors; called by the store's close, once no operation runs. */
  async closeFiles(): Promise<void> {
    for (const loading of this.#spaces.values()) {
      const space = await loading.catch(() => undefined);
      for (const log of space?.tenants.values() ?? []) log.closeFile();
    }
  }

  async #spacesOf(records: T[]): Promise<Map<string, LogSpace>> {
    const workspaceIds = [...new Set(records.map((r) => r.workspaceId))];
    return new Map(await Promise.all(workspaceIds.map(async (ws) => [ws, await this.#space(ws)] as const)));
  }

  #space(workspaceId: string): Promise<LogSpace> {
    let loading = this.#spaces.get(workspaceId);
    if (!loading) {
      loading = this.#load(workspaceId);
      this.#spaces.set(workspaceId, loading);
      loading.catch(() => this.#spaces.delete(workspaceId));
    }
    return loading;
  }

  async #load(workspaceId: string): Promise<LogSpace> {
    const dir = importsDir(this.opts.dataDir, this.opts.name, workspaceId);
    const space = new LogSpace(dir, this.opts);
    for (const tenantDir of await listDir(dir)) {
      if (tenantDir.isDirectory()) await space.loadTenant(fromSafeName(tenantDir.name));
    }
    return space;
  }
}

const HIT = Symbol('hit');

/** The hits of a filter, in no particular order. `tenantId` picks the log and an `id` the row; other fields are read from columns. */
function matching(space: LogSpace, filter: FilterEntry[]): Hit[] {
  const tenant = filter.find(([field]) => field === 'tenantId')?.[1];
  const logs = tenant === undefined ? [...space.tenants.values()] : typeof tenant === 'string' ? [space.tenants.get(tenant)].filter((l) => l !== undefined) : [];
  const entries = filter.filter(([field]) => field !== 'tenantId' && field !== 'id');
  const byId = filter.find(([field]) => field === 'id')?.[1];
  const hits: Hit[] = [];
  for (const log of logs) {
    const slots = entries.map(([field]) => log.column(field));
    const passes = (row: Row) => {
      for (let i = 0; i < slots.length; i++) if (!valueMatches(row.cols[slots[i]], entries[i][1])) return false;
      return true;
    };
    if (byId !== undefined) {
      const row = typeof byId === 'string' ? log.rows.get(byId) : undefined;
      if (row && passes(row)) hits.push({ id: byId as string, log, row });
    } else {
      for (const [id, row] of log.rows) if (passes(row)) hits.push({ id, log, row });
    }
  }
  return hits;
}

/** One field of query.ts's `matches`, on a column value. */
function valueMatches(actual: unknown, expected: FilterEntry[1]): boolean {
  if (expected === null) return actual === null || actual === undefined || (Array.isArray(actual) && actual.includes(null));
  return Array.isArray(actual) ? actual.includes(expected) : actual === expected;
}

/** Reads and parses the hits' lines, in the hits' order (each log's lines in one pass). */
function materialise(hits: Hit[]): unknown[] {
  const out = new Array<unknown>(hits.length);
  const byLog = new Map<TenantLog, number[]>();
  hits.forEach((hit, i) => {
    const list = byLog.get(hit.log);
    if (list) list.push(i);
    else byLog.set(hit.log, [i]);
  });
  for (const [log, indices] of byLog) {
    const lines = log.read(indices.map((i) => hits[i].row));
    indices.forEach((i, k) => { out[i] = JSON.parse(lines[k]); });
  }
  return out;
}

class LogSpace {
  /** id → the log holding it (a record moves log when its tenantId changes). */
  readonly index = new Map<string, TenantLog>();
  readonly tenants = new Map<string, TenantLog>();

  constructor(private readonly dir: string, private readonly settings: TenantLogSettings) {}

  async loadTenant(tenantId: string): Promise<void> {
    const log = this.#log(tenantId);
    const names = (await listDir(log.dir)).filter((f) => f.isFile()).map((f) => f.name);
    const legacy = names.filter((n) => segmentNumber(n) !== undefined).sort((a, b) => segmentNumber(a)! - segmentNumber(b)!);
    log.legacyFiles = legacy;
    log.rewrite = legacy.length > 0;
    // The log is written only after any legacy segments were folded into it: with a log, they are leftovers.
    if (names.includes(LOG_FILE)) return this.#readLog(log);
    for (const name of legacy) {
      const file = join(log.dir, name);
      let parsed: { records?: ImportedRecord[] };
      try {
        parsed = JSON.parse(await readFile(file, 'utf8')) as { records?: ImportedRecord[] };
      } catch (err) {
        throw new Error(`cannot read store segment ${file}: ${(err as Error).message}`, { cause: err });
      }
      for (const record of parsed.records ?? []) {
        const json = JSON.stringify(record);
        this.#set(log, record.id, log.row(record as unknown as Record<string, unknown>, -1, Buffer.byteLength(json), json));
      }
    }
  }

  async #readLog(log: TenantLog): Promise<void> {
    try {
      const { size, torn } = await scanLines(log.file, (line, at, len) => {
        log.fileLines++;
        let entry: ImportedRecord | { $removed: string };
        try {
          entry = JSON.parse(line) as ImportedRecord | { $removed: string };
        } catch {
          log.rewrite = true; // a torn line (crash mid-append): skipped, and the next write rewrites the file
          return;
        }
        if ('$removed' in entry) {
          log.rows.delete(entry.$removed);
          if (this.index.get(entry.$removed) === log) this.index.delete(entry.$removed);
        } else {
          this.#set(log, entry.id, log.row(entry as unknown as Record<string, unknown>, at, len));
        }
      });
      log.size = size;
      if (torn) log.rewrite = true; // a last line without its newline: the next append must not run on from it
    } catch (err) {
      throw new Error(`cannot read store log ${log.file}: ${(err as Error).message}`, { cause: err });
    }
  }

  #set(log: TenantLog, id: string, row: Row): void {
    const other = this.index.get(id);
    if (other && other !== log) other.rows.delete(id);
    log.rows.set(id, row);
    this.index.set(id, log);
  }

  /** Stores the record (serialised now: the store keeps the line, never the object); returns whether the key existed. */
  put(record: ImportedRecord, touched: Set<CoalescingWriter>): boolean {
    const current = this.index.get(record.id);
    if (current && current.tenantId !== record.tenantId) {
      current.remove(record.id);
      touched.add(current.writer);
    }
    const log = this.#log(record.tenantId);
    log.put(record.id, record as unknown as Record<string, unknown>, JSON.stringify(record));
    this.index.set(record.id, log);
    touched.add(log.writer);
    return current !== undefined;
  }

  remove(id: string, touched: Set<CoalescingWriter>): boolean {
    const current = this.index.get(id);
    if (!current) return false;
    current.remove(id);
    this.index.delete(id);
    touched.add(current.writer);
    return true;
  }

  #log(tenantId: string): TenantLog {
    let log = this.tenants.get(tenantId);
    if (!log) this.tenants.set(tenantId, (log = new TenantLog(tenantId, join(this.dir, safeName(tenantId)), this.settings)));
    return log;
  }
}

async function flush(touched: Set<CoalescingWriter>): Promise<void> {
  await Promise.all([...touched].map((writer) => writer.request()));
}

async function listDir(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
