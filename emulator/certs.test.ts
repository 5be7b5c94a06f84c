import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ensureCertificates } from './certs.js';

describe('ensureCertificates', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'emu-certs-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a CA and a server cert that a client trusting only that CA accepts for 127.0.0.1', async () => {
    const certs = await ensureCertificates(dir);
    expect((await stat(join(dir, 'server-key.pem'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'ca-key.pem'))).mode & 0o777).toBe(0o600);
    const server = createServer({ key: certs.key, cert: certs.cert }, (_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/', ca: certs.ca, agent: false }, (res) => {
          let s = '';
          res.on('data', (c) => (s += c));
          res.on('end', () => resolve(s));
        });
        req.on('error', reject);
        req.end();
      });
      expect(body).toBe('ok');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('reuses valid files and replaces a broken server certificate without changing the CA', async () => {
    const first = await ensureCertificates(dir);
    const again = await ensureCertificates(dir);
    expect(again.cert).toBe(first.cert);
    await writeFile(join(dir, 'server.pem'), 'garbage');
    const fixed = await ensureCertificates(dir);
    expect(fixed.ca).toBe(first.ca);
    expect(fixed.cert).not.toBe(first.cert);
    expect(await readFile(join(dir, 'server.pem'), 'utf8')).toContain('BEGIN CERTIFICATE');
  });
});
