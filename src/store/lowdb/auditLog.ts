/**
 * The audit trail as a JSON-lines file (`<dataDir>/audit.jsonl`): each entry is appended, never rewritten,
 * so an audit costs one small write however long the trail grows. Appends are chained, so the file order
 * is the order of append() calls; those made while a write runs share the next one. A torn last line (crash mid-append) is skipped when reading.
 */
import { appendFile, open, readFile } from 'node:fs/promises';
import type { AuditListOptions, AuditLog } from '../port.js';
import type { OpTracker } from '../ops.js';
import type { AuditEntry, NewAuditEntry } from '../types.js';
import { checkAuditList, stampAuditEntry } from '../audit.js';
import { matches } from './query.js';

export class JsonLinesAuditLog implements AuditLog {
  #chain: Promise<void> = Promise.resolve();
  /** Lines appended while the previous write runs: they go out together, in order, as one write. */
  #batch: { lines: string[]; written: Promise<void> } | undefined;

  private constructor(
    private readonly file: string, private readonly ops: OpTracker, private readonly onWrite: (file: string) => void,
  ) {}

  /** Opens the trail; ends a torn last line first, so the next entry does not get glued to it. */
  static async open(file: string, ops: OpTracker, onWrite: (file: string) => void): Promise<JsonLinesAuditLog> {
    await endTornLine(file);
    return new JsonLinesAuditLog(file, ops, onWrite);
  }

  /** Resolves once the entry is in the file (with any others appended meanwhile: 50 audited turns, a few writes). */
  append(entry: NewAuditEntry): Promise<AuditEntry> {
    return this.ops.run(async () => {
      const stored = stampAuditEntry(entry);
      await this.#write(`${JSON.stringify(stored)}\n`);
      this.onWrite(this.file);
      return stored;
    });
  }

  #write(line: string): Promise<void> {
    if (!this.#batch) {
      const lines: string[] = [];
      const written = this.#chain.catch(() => undefined).then(() => {
        this.#batch = undefined; // later lines start the next batch
        return appendFile(this.file, lines.join(''), 'utf8');
      });
      this.#batch = { lines, written };
      this.#chain = written;
    }
    this.#batch.lines.push(line);
    return this.#batch.written;
  }

  list(workspaceId: string, opts?: AuditListOptions): Promise<AuditEntry[]> {
    return this.ops.run(async () => {
      const { filter, newestFirst, limit, offset } = checkAuditList(workspaceId, opts);
      if (filter === null || limit === 0) return [];
      const hits: AuditEntry[] = [];
      for (const line of (await readText(this.file)).split('\n')) {
        const entry = parseLine(line);
        if (entry?.workspaceId === workspaceId && matches(entry, filter)) hits.push(entry);
      }
      if (newestFirst) hits.reverse();
      return hits.slice(offset, limit === undefined ? undefined : offset + limit);
    });
  }
}

function parseLine(line: string): AuditEntry | undefined {
  if (line.length === 0) return undefined;
  try {
    return JSON.parse(line) as AuditEntry;
  } catch {
    return undefined;
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

async function endTornLine(file: string): Promise<void> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    if (last[0] !== 0x0a) await appendFile(file, '\n', 'utf8');
  } finally {
    await handle.close();
  }
}
