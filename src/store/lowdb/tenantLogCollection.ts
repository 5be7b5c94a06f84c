/**
 * A lowdb-store collection for imported data: one append-only JSON-lines log per workspace and tenant,
 * `<dataDir>/imports/<collection>/<workspace>/<tenant>/records.jsonl`. A write appends the lines of the records it
 * changed (a removal is a `{"$removed": id}` line), so an import page costs one append of that page, and a daily
 * delta of 1,000 users costs 1,000 lines, whatever the size of the tenant. When superseded lines outnumber live
 * records (and `compactAfter`), the log is rewritten with one line per live record (temp file, then an atomic rename),
 * so the file stays within about twice its live size. On load the later line of an id wins; a torn last line (a crash
 * mid-append) is skipped, and the next write compacts. Earlier versions kept `seg-NNNN.json` segment files; they are
 * read when a tenant has no log yet and replaced by one at its first write.
 * A workspace's logs load on first use and stay in memory, with an id → log index, so each upsert is O(1).
 */
import { createReadStream } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { OpTracker } from '../ops.js';
import type { ImportedRecord } from '../types.js';
import type { FilterEntry, RecordRules } from '../validate.js';
import { MemoryCollection, type RecordSpace } from './memoryCollection.js';
import { fromSafeName, importsDir, safeName, segmentNumber } from './paths.js';
import { CoalescingWriter } from './writeQueue.js';

export const LOG_FILE = 'records.jsonl';

export interface TenantLogOptions {
  dataDir: string;
  name: string;
  /** Superseded lines a log may hold before it is compacted (it is also compacted only once they outnumber live records). */
  compactAfter: number;
  onWrite: (file: string) => void;
}

export class TenantLogCollection<T extends ImportedRecord> extends MemoryCollection<T> {
  readonly #spaces = new Map<string, Promise<LogSpace<T>>>();

  constructor(rules: RecordRules, ops: OpTracker, private readonly opts: TenantLogOptions) {
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

  async #load(workspaceId: string): Promise<LogSpace<T>> {
    const dir = importsDir(this.opts.dataDir, this.opts.name, workspaceId);
    const space = new LogSpace<T>(dir, this.opts);
    for (const tenantDir of await listDir(dir)) {
      if (tenantDir.isDirectory()) await space.loadTenant(fromSafeName(tenantDir.name));
    }
    return space;
  }
}

class TenantLog<T extends ImportedRecord> {
  readonly records = new Map<string, T>();
  /** Lines changed in memory and not yet appended. */
  pending: string[] = [];
  /** Lines in the log file (live and superseded). */
  fileLines = 0;
  /** The file needs rewriting before the next append (legacy segments, or a torn last line). */
  rewrite = false;
  legacyFiles: string[] = [];
  readonly writer: CoalescingWriter;

  constructor(readonly tenantId: string, readonly dir: string, private readonly opts: TenantLogOptions) {
    this.writer = new CoalescingWriter(() => this.#write());
  }

  get file(): string {
    return join(this.dir, LOG_FILE);
  }

  #write(): Promise<void> {
    // Captured synchronously (CoalescingWriter's contract): later changes go to the next write.
    const lines = this.pending;
    this.pending = [];
    const superseded = this.fileLines + lines.length - this.records.size;
    const compact = this.rewrite || (superseded > this.opts.compactAfter && superseded > this.records.size);
    const body = compact ? [...this.records.values()].map((r) => JSON.stringify(r)) : lines;
    const text = body.length ? `${body.join('\n')}\n` : '';
    return (async () => {
      try {
        await mkdir(this.dir, { recursive: true });
        if (compact) {
          const tmp = `${this.file}.${process.pid}.tmp`;
          await writeFile(tmp, text, 'utf8');
          await rename(tmp, this.file);
          for (const legacy of this.legacyFiles) await unlink(join(this.dir, legacy)).catch(() => undefined);
          this.legacyFiles = [];
          this.rewrite = false;
          this.fileLines = body.length;
        } else {
          await appendFile(this.file, text, 'utf8');
          this.fileLines += body.length;
        }
      } catch (err) {
        // Nothing of this write is known to be on disk: the next write carries these lines again.
        this.pending = lines.concat(this.pending);
        if (!compact) this.rewrite = true; // an append may have left a torn line
        throw err;
      }
      this.opts.onWrite(this.file);
    })();
  }
}

class LogSpace<T extends ImportedRecord> implements RecordSpace<T> {
  readonly #index = new Map<string, TenantLog<T>>();
  readonly #tenants = new Map<string, TenantLog<T>>();

  constructor(private readonly dir: string, private readonly opts: TenantLogOptions) {}

  async loadTenant(tenantId: string): Promise<void> {
    const log = this.#log(tenantId);
    const names = (await listDir(log.dir)).filter((f) => f.isFile()).map((f) => f.name);
    const legacy = names.filter((n) => segmentNumber(n) !== undefined).sort((a, b) => segmentNumber(a)! - segmentNumber(b)!);
    if (names.includes(LOG_FILE)) {
      // The log is written only after any legacy segments were folded into it: they are leftovers.
      log.legacyFiles = legacy;
      log.rewrite = legacy.length > 0;
      await this.#readLog(log);
      return;
    }
    for (const name of legacy) {
      const file = join(log.dir, name);
      let parsed: { records?: T[] };
      try {
        parsed = JSON.parse(await readFile(file, 'utf8')) as { records?: T[] };
      } catch (err) {
        throw new Error(`cannot read store segment ${file}: ${(err as Error).message}`, { cause: err });
      }
      for (const record of parsed.records ?? []) this.#set(log, record);
    }
    log.legacyFiles = legacy;
    log.rewrite = legacy.length > 0;
  }

  async #readLog(log: TenantLog<T>): Promise<void> {
    const lines = createInterface({ input: createReadStream(log.file, { encoding: 'utf8' }), crlfDelay: Infinity });
    let lineNo = 0;
    try {
      for await (const line of lines) {
        lineNo++;
        if (line.length === 0) continue;
        let entry: T | { $removed: string };
        try {
          entry = JSON.parse(line) as T | { $removed: string };
        } catch {
          log.rewrite = true; // a torn line (crash mid-append): skipped, and the next write rewrites the file
          continue;
        }
        if ('$removed' in entry) {
          log.records.delete(entry.$removed);
          if (this.#index.get(entry.$removed) === log) this.#index.delete(entry.$removed);
        } else {
          this.#set(log, entry);
        }
      }
    } catch (err) {
      throw new Error(`cannot read store log ${log.file}: ${(err as Error).message}`, { cause: err });
    }
    log.fileLines = lineNo;
  }

  #set(log: TenantLog<T>, record: T): void {
    const other = this.#index.get(record.id);
    if (other && other !== log) other.records.delete(record.id);
    log.records.set(record.id, record);
    this.#index.set(record.id, log);
  }

  get(id: string): T | undefined {
    return this.#index.get(id)?.records.get(id);
  }

  *candidates(filter: FilterEntry[]): Iterable<T> {
    const tenant = filter.find(([field]) => field === 'tenantId')?.[1];
    const logs = typeof tenant === 'string' ? [this.#tenants.get(tenant)].filter((l) => l !== undefined) : this.#tenants.values();
    for (const log of logs) yield* log.records.values();
  }

  put(record: T, touched: Set<CoalescingWriter>, json?: string): boolean {
    const current = this.#index.get(record.id);
    if (current && current.tenantId !== record.tenantId) this.#removeFrom(current, record.id, touched);
    const log = this.#log(record.tenantId);
    log.records.set(record.id, record);
    this.#index.set(record.id, log);
    log.pending.push(json ?? JSON.stringify(record));
    touched.add(log.writer);
    return current !== undefined;
  }

  remove(id: string, touched: Set<CoalescingWriter>): boolean {
    const current = this.#index.get(id);
    if (!current) return false;
    this.#removeFrom(current, id, touched);
    return true;
  }

  #removeFrom(log: TenantLog<T>, id: string, touched: Set<CoalescingWriter>): void {
    log.records.delete(id);
    this.#index.delete(id);
    log.pending.push(JSON.stringify({ $removed: id }));
    touched.add(log.writer);
  }

  #log(tenantId: string): TenantLog<T> {
    let log = this.#tenants.get(tenantId);
    if (!log) this.#tenants.set(tenantId, (log = new TenantLog<T>(tenantId, join(this.dir, safeName(tenantId)), this.opts)));
    return log;
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
