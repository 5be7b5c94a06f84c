import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OpTracker } from '../ops.js';
import { JsonLinesAuditLog } from './auditLog.js';

const entry = (n: number) => ({ workspaceId: 'ws', actor: 'a', action: 'test.append', target: `t${n}`, outcome: 'success' as const, detail: { n } });

describe('lowdb audit log', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ts-audit-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('200 appends made at once are all in the file, one line each, in the order of the calls, when each resolves', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const log = await JsonLinesAuditLog.open(file, new OpTracker(), () => undefined);
    const lineCounts: number[] = [];
    await Promise.all(
      Array.from({ length: 200 }, (_, n) =>
        log.append(entry(n)).then(async (stored) => {
          // Resolved means written: the entry is in the file now.
          const text = await readFile(file, 'utf8');
          expect(text).toContain(`"id":"${stored.id}"`);
          lineCounts.push(text.split('\n').length - 1);
        }),
      ),
    );
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { target: string });
    expect(lines.map((l) => l.target)).toEqual(Array.from({ length: 200 }, (_, n) => `t${n}`));
    expect(lineCounts).toHaveLength(200);
    const listed = await log.list('ws', { newestFirst: false });
    expect(listed.map((e) => e.target)).toEqual(lines.map((l) => l.target));
  });

  test('appends after a failed write still land (the failure rejects only the appends that shared it)', async () => {
    const file = path.join(dir, 'missing-dir', 'audit.jsonl');
    const log = await JsonLinesAuditLog.open(file, new OpTracker(), () => undefined);
    await expect(log.append(entry(1))).rejects.toThrow(/ENOENT/);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.dirname(file));
    await log.append(entry(2));
    expect((await readFile(file, 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as { target: string }).target)).toEqual(['t2']);
  });
});
