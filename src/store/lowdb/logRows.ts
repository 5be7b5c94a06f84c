/**
 * Where the lines of an import log live: a record's line is either still in memory (written by a put, not yet
 * appended) or in the log file at a byte offset. Reads of file lines are synchronous preads: they run between two
 * awaits, so a compaction (which swaps the file and every offset in one synchronous step) can never interleave.
 */
import { createReadStream, readSync } from 'node:fs';

/** One live record of a log. Replaced, never edited, by a put; only its writer moves it from memory to the file. */
export interface Row {
  /** Byte offset of its line in the log file, or -1 while the line is only in memory. */
  at: number;
  /** Byte length of its line, without the newline. */
  len: number;
  /** The line, until it is on disk. */
  json: string | undefined;
  /** The record's values of the log's indexed fields, by column slot (see TenantLog.column). */
  cols: unknown[];
}

const WINDOW = 1 << 20;

/** The lines of `rows`, in the order given; file lines are read from `fd` in offset order, a scan through a 1 MB window. */
export function readLines(fd: () => number, file: string, rows: readonly Row[]): string[] {
  const out = new Array<string>(rows.length);
  const onDisk: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const json = rows[i].json;
    if (json !== undefined) out[i] = json;
    else onDisk.push(i);
  }
  if (onDisk.length === 0) return out;
  onDisk.sort((a, b) => rows[a].at - rows[b].at);
  {
    const handle = fd();
    // A few scattered rows are read one by one; a scan reads the file in windows.
    const windowed = onDisk.length > 64;
    let buf = Buffer.allocUnsafe(windowed ? WINDOW : 0);
    let start = 0;
    let end = 0;
    for (const i of onDisk) {
      const { at, len } = rows[i];
      if (at < start || at + len > end) {
        const size = windowed ? Math.max(WINDOW, len) : len;
        if (buf.length < size) buf = Buffer.allocUnsafe(size);
        end = at + readSync(handle, buf, 0, size, at);
        start = at;
        if (at + len > end) throw new Error(`the log ${file} ends before a line it indexed (offset ${at}, ${len} bytes)`);
      }
      out[i] = buf.toString('utf8', at - start, at - start + len);
    }
  }
  return out;
}

/** Calls `onLine` with every newline-terminated line of the file and its byte offset; resolves the bytes read and whether a last line lacked its newline (a torn append). */
export async function scanLines(file: string, onLine: (line: string, at: number, len: number) => void): Promise<{ size: number; torn: boolean }> {
  let carry: Buffer | undefined;
  let carryAt = 0;
  let offset = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    const data: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    const dataAt = carry ? carryAt : offset;
    offset += chunk.length;
    let from = 0;
    for (let nl = data.indexOf(10, from); nl !== -1; nl = data.indexOf(10, from)) {
      if (nl > from) onLine(data.toString('utf8', from, nl), dataAt + from, nl - from);
      from = nl + 1;
    }
    carry = from < data.length ? data.subarray(from) : undefined;
    carryAt = dataAt + from;
  }
  if (carry) onLine(carry.toString('utf8'), carryAt, carry.length);
  return { size: offset, torn: carry !== undefined };
}
