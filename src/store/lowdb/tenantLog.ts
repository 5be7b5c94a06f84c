/**
 * One tenant's import log (`records.jsonl`) and what stays of it in memory: per live record its line's place (a
 * {@link Row}), and a column per field that queries filter or sort on. Records are not kept as objects: a 100k-user
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

export class TenantLog {
  readonly rows = new Map<string, Row>();
  readonly #columns = new Map<string, Map<string, unknown>>();
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
    for (const field of settings.indexed) this.#columns.set(field, new Map());
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

  /** Sets a record's row, from its (already serialised) record. */
  set(id: string, row: Row, record: Record<string, unknown>): void {
    this.rows.set(id, row);
    for (const [field, column] of this.#columns) {
      const value = columnValue(record[field]);
      if (value === undefined) column.delete(id);
      else column.set(id, value);
    }
  }

  /** A put: the record's line goes out with the next write. */
  put(id: string, record: Record<string, unknown>, json: string): void {
    const row: Row = { at: -1, len: Buffer.byteLength(json), json };
    this.set(id, row, record);
    this.pending.push(row);
  }

  delete(id: string): void {
    this.rows.delete(id);
    for (const column of this.#columns.values()) column.delete(id);
  }

  remove(id: string): void {
    this.delete(id);
    this.pending.push(JSON.stringify({ $removed: id }));
  }

  /** A field's column (id → stored value), built from the records on first use and kept up to date after. */
  column(field: string): Map<string, unknown> {
    let column = this.#columns.get(field);
    if (column) return column;
    column = new Map();
    const ids = [...this.rows.keys()];
    const lines = this.read(ids.map((id) => this.rows.get(id)!));
    for (let i = 0; i < ids.length; i++) {
      const value = columnValue((JSON.parse(lines[i]) as Record<string, unknown>)[field]);
      if (value !== undefined) column.set(ids[i], value);
    }
    this.#columns.set(field, column);
    return column;
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
