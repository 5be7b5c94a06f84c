import { join } from 'node:path';

/**
 * A directory name for an id: percent-encoded, dots included, so no id can climb out of the data dir
 * (`..`) or reach a hidden or temporary file name.
 */
export function safeName(id: string): string {
  return encodeURIComponent(id).replace(/\./g, '%2E').replace(/\*/g, '%2A');
}

export function fromSafeName(name: string): string {
  return decodeURIComponent(name);
}

/** `<dataDir>/imports/<collection>/<workspace>/` */
export function importsDir(dataDir: string, collection: string, workspaceId: string): string {
  return join(dataDir, 'imports', collection, safeName(workspaceId));
}

/** Segment files of the earlier layout (`seg-0001.json`), read until a tenant's log replaces them. */
const SEGMENT_FILE = /^seg-(\d+)\.json$/;

export function segmentNumber(fileName: string): number | undefined {
  const m = SEGMENT_FILE.exec(fileName);
  return m ? Number(m[1]) : undefined;
}
