import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Starts each run with no figures left over from the previous one. */
export default function globalSetup() {
  rmSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '.figures'), { recursive: true, force: true });
}
