/**
 * One tenant's import log (`records.jsonl`) and what stays of it in memory: per live record its line's place (a
 * {@link Row}), with the values of the fields that queries filter or sort on. Records are not kept as objects: a 100k-user
 * tenant would be ~800k objects for the GC to mark on every major collection, and ~1.3 KB each. A read parses the
 * record's line again (a fresh copy for the caller, as the port asks).
 */
import { openSync, closeSync, readSync, renameSync } from 'node:fs';
import { appendFile, mkdir, open, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { readLines, type Row } from './logRows.js';
import { CoalescingWriter } from './writeQueue.js';

export const LOG_FILE = 'records.jsonl';

export interface TenantLogSettings {
  /** Superseded lines a log may hold before it is compacted (it is also compacted only once they outnumber live records). */
  compactAfter: number;
  /** Fields whose column is kept from the start (the ones the product's queries use); any other is built on first use. */
  indexed: readonly string[];
  onWrite: (file: string) => void;
}

/** What a column holds for a value that is an object (not an array): it matches no equality filter, and sorts as an object. */
const OBJECT_VALUE = Object.freeze({});

/** The column form of a field's value: as stored in JSON (undefined: absent). */
export function columnValue(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (typeof value) {
    case 'string': case 'boolean': return value;
    case 'number': return Number.isFinite(value) ? value : null;
    case 'object': {
      const stored = JSON.parse(JSON.stringify(value)) as unknown; // a Date becomes its string, an array a private copy
      return Array.isArray(stored) || typeof stored !== 'object' || stored === null ? stored : OBJECT_VALUE;
    }
    default: return undefined;
  }
}

type Pending = Row | string;

const MAX_SHARED_VALUES = 4096;

export class TenantLog {
  readonly rows = new Map<string, Row>();
  /** Indexed fields, in column-slot order: `row.cols[i]` holds the record's value of `#fields[i]`. */
  readonly #fields: string[];
  /** Per column slot: its distinct string values, or null once there were too many to be worth sharing. */
  readonly #distinct: (Map<string, string> | null | undefined)[] = [];
  /** Rows put and removal lines, not yet appended. */
  pending: Pending[] = [];
  /** Bytes and lines in the log file (live and superseded). */
  size = 0;
  fileLines = 0;
  /** The file needs rewriting before the next append (legacy segments, a torn last line, a failed append). */
  rewrite = false;
  legacyFiles: string[] = [];
  readonly writer: CoalescingWriter;
  /** Read descriptor of the log file, opened on first read; replaced when a compaction replaces the file. */
  #fd: number | undefined;

  constructor(readonly tenantId: string, readonly dir: string, private readonly settings: TenantLogSettings) {
    this.#fields = [...settings.indexed];
    this.writer = new CoalescingWriter(() => this.#write());
  }

  get file(): string {
    return join(this.dir, LOG_FILE);
  }

  /** The lines of the given rows (see readLines). */
  read(rows: readonly Row[]): string[] {
    return readLines(() => (this.#fd ??= openSync(this.file, 'r')), this.file, rows);
  }

  /** Closes the read descriptor (the store's close). */
  closeFile(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  /** A row for a record (its indexed values taken now), at `at` in the file or, with `json`, still in memory. */
  row(record: Record<string, unknown>, at: number, len: number, json?: string): Row {
    const fields = this.#fields;
    const cols = new Array<unknown>(fields.length);
    for (let i = 0; i < fields.length; i++) cols[i] = this.#shared(i, columnValue(record[fields[i]]));
    return { at, len, json, cols };
  }

  /**
   * One string object per distinct value of a column, while the column has few distinct values (an appId repeats
   * over 600k sign-ins; each parsed record brings its own copy). A column with many (user names) stops sharing.
   */
  #shared(slot: number, value: unknown): unknown {
    if (typeof value !== 'string') return value;
    let seen = this.#distinct[slot];
    if (seen === null) return value;
    if (seen === undefined) this.#distinct[slot] = seen = new Map();
    const known = seen.get(value);
    if (known !== undefined) return known;
    if (seen.size >= MAX_SHARED_VALUES) this.#distinct[slot] = null;
    else seen.set(value, value);
    return value;
  }

  /** A put: the record's line goes out with the next write. */
  put(id: string, record: Record<string, unknown>, json: string): void {
    const row = this.row(record, -1, Buffer.byteLength(json), json);
    this.rows.set(id, row);
    this.pending.push(row);
  }

  remove(id: string): void {
    this.rows.delete(id);
    this.pending.push(JSON.stringify({ $removed: id }));
  }

  /** The column slot of a field (see Row.cols), built from the records on first use and kept up to date after. */
  column(field: string): number {
    const known = this.#fields.indexOf(field);
    if (known !== -1) return known;
    const rows = [...this.rows.values()];
    const lines = this.read(rows);
    const slot = this.#fields.length;
    for (let i = 0; i < rows.length; i++) rows[i].cols[slot] = this.#shared(slot, columnValue((JSON.parse(lines[i]) as Record<string, unknown>)[field]));
    this.#fields.push(field);
    return slot;
  }

  #write(): Promise<void> {
    // Captured synchronously (CoalescingWriter's contract): later changes go to the next write.
    const entries = this.pending;
    this.pending = [];
    const superseded = this.fileLines + entries.length - this.rows.size;
    const compact = this.rewrite || (superseded > this.settings.compactAfter && superseded > this.rows.size);
    const written = compact ? this.#compact() : this.#append(entries);
    return written.then(() => this.settings.onWrite(this.file), (err: unknown) => {
      // Nothing of this write is known to be on disk: the next write carries these lines again, rewriting the file.
      this.pending = entries.concat(this.pending);
      this.rewrite = true;
      throw err;
    });
  }

  async #append(entries: Pending[]): Promise<void> {
    if (entries.length === 0) return;
    const lines = entries.map((e) => (typeof e === 'string' ? e : e.json!));
    await mkdir(this.dir, { recursive: true });
    await appendFile(this.file, `${lines.join('\n')}\n`, 'utf8');
    let at = this.size;
    for (const entry of entries) {
      if (typeof entry === 'string') {
        at += Buffer.byteLength(entry) + 1;
      } else {
        entry.at = at;
        entry.json = undefined;
        at += entry.len + 1;
      }
    }
    this.size = at;
    this.fileLines += entries.length;
  }

  /**
   * Rewrites the log with one line per live record (a temp file, then an atomic rename). Lines already on disk are
   * copied from the old file. The rename and the new offsets happen in one synchronous step, so no read sees a
   * new offset in the old file or an old one in the new file.
   */
  async #compact(): Promise<void> {
    const rows = [...this.rows.values()].sort((a, b) => (a.at === -1 ? 1 : b.at === -1 ? -1 : a.at - b.at));
    const newAt = new Array<number>(rows.length);
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const out = await open(tmp, 'w');
    const oldFd = rows.some((r) => r.json === undefined) ? (this.#fd ??= openSync(this.file, 'r')) : undefined;
    let written = 0;
    try {
      let chunk = Buffer.allocUnsafe(1 << 20);
      let used = 0;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i];
        if (used + row.len + 1 > chunk.length) {
          await out.write(chunk, 0, used);
          written += used;
          used = 0;
          if (row.len + 1 > chunk.length) chunk = Buffer.allocUnsafe(row.len + 1);
        }
        newAt[i] = written + used;
        if (row.json !== undefined) chunk.write(row.json, used, 'utf8');
        else if (readSync(oldFd!, chunk, used, row.len, row.at) !== row.len) throw new Error(`the log ${this.file} ends before a line it indexed`);
        chunk[used + row.len] = 10;
        used += row.len + 1;
      }
      await out.write(chunk, 0, used);
      written += used;
      await out.sync();
    } finally {
      await out.close();
    }
    renameSync(tmp, this.file);
    this.closeFile(); // it reads the replaced file
    for (let i = 0; i < rows.length; i++) {
      rows[i].at = newAt[i];
      rows[i].json = undefined;
    }
    this.size = written;
    this.fileLines = rows.length;
    this.rewrite = false;
    const legacy = this.legacyFiles;
    this.legacyFiles = [];
    for (const name of legacy) await unlink(join(this.dir, name)).catch(() => undefined);
  }
}
