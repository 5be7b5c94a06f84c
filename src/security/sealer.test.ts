import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSealer, loadOrCreateLocalKey } from './sealer.js';

describe('sealer', () => {
  const sealer = createSealer(Buffer.alloc(32, 1));

  test('round-trips, and the sealed form hides the plaintext', () => {
    const sealed = sealer.seal('super-secret-value', 'tenant:1');
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain('super-secret-value');
    expect(sealer.unseal(sealed, 'tenant:1')).toBe('super-secret-value');
    expect(sealer.seal('x', 'c')).not.toBe(sealer.seal('x', 'c'));
  });

  test('refuses another context, a tampered value and another key', () => {
    const sealed = sealer.seal('s3cret', 'tenant:1');
    expect(() => sealer.unseal(sealed, 'tenant:2')).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('forged').toString('base64url');
    expect(() => sealer.unseal(parts.join('.'), 'tenant:1')).toThrow();
    expect(() => createSealer(Buffer.alloc(32, 2)).unseal(sealed, 'tenant:1')).toThrow();
    expect(() => sealer.unseal('plaintext', 'tenant:1')).toThrow('not a sealed value');
  });

  test('the local key is made once, mode 0600, and reused', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ts-key-'));
    try {
      const first = await loadOrCreateLocalKey(dir);
      const second = await loadOrCreateLocalKey(dir);
      expect(first.equals(second)).toBe(true);
      expect(first.length).toBe(32);
      expect((await stat(path.join(dir, 'sealing.key'))).mode & 0o777).toBe(0o600);
      expect((await readFile(path.join(dir, 'sealing.key'), 'utf8')).trim()).toBe(first.toString('base64'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
