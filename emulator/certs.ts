import { X509Certificate, createPrivateKey } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { generate } from 'selfsigned';

/** Where the emulator keeps its CA and server certificate unless told otherwise (gitignored). */
export const DEFAULT_CERT_DIR = fileURLToPath(new URL('./.certs/', import.meta.url));

export interface Certificates {
  dir: string;
  /** Path of the CA certificate that clients trust (NODE_EXTRA_CA_CERTS). */
  caPath: string;
  /** PEM of the server certificate followed by the CA, as a TLS server sends its chain. */
  cert: string;
  key: string;
  ca: string;
}

const CA_DAYS = 3650;
/** Browsers cap leaf validity at 398 days; reissue well before the end. */
const SERVER_DAYS = 397;
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/**
 * Creates (once) a CA and a server certificate for IP:127.0.0.1 and DNS:localhost in `dir`, and reuses them
 * while they are valid. The CA key stays beside it so an expiring server certificate can be reissued without
 * changing the CA that processes already trust. Safe to call from several processes at once (directory lock).
 */
export async function ensureCertificates(dir: string = DEFAULT_CERT_DIR): Promise<Certificates> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const existing = await readValid(dir);
  if (existing) return existing;
  return withLock(join(dir, '.lock'), async () => {
    const again = await readValid(dir);
    if (again) return again;
    let ca = await readValidCa(dir);
    if (!ca) {
      ca = await makeCa();
      await writeAtomic(join(dir, 'ca-key.pem'), ca.key, 0o600);
      await writeAtomic(join(dir, 'ca.pem'), ca.cert, 0o644);
    }
    const server = await makeServerCert(ca);
    await writeAtomic(join(dir, 'server-key.pem'), server.key, 0o600);
    await writeAtomic(join(dir, 'server.pem'), server.cert, 0o644);
    const result = await readValid(dir);
    if (!result) throw new Error(`emulator certificates in ${dir} are not valid right after creating them`);
    return result;
  });
}

async function makeCa(): Promise<{ key: string; cert: string }> {
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: 'Tenant Steward Emulator Local CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - DAY_MS),
    notAfterDate: new Date(now.getTime() + CA_DAYS * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

async function makeServerCert(ca: { key: string; cert: string }): Promise<{ key: string; cert: string }> {
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - DAY_MS),
    notAfterDate: new Date(now.getTime() + SERVER_DAYS * DAY_MS),
    ca,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

async function readValidCa(dir: string): Promise<{ key: string; cert: string } | undefined> {
  const [cert, key] = await Promise.all([readOptional(join(dir, 'ca.pem')), readOptional(join(dir, 'ca-key.pem'))]);
  if (!cert || !key) return undefined;
  try {
    const x = new X509Certificate(cert);
    if (!x.ca || !x.checkPrivateKey(createPrivateKey(key)) || !validFor(x, RENEW_BEFORE_MS)) return undefined;
    return { key, cert };
  } catch {
    return undefined;
  }
}

async function readValid(dir: string): Promise<Certificates | undefined> {
  const ca = await readValidCa(dir);
  const [cert, key] = await Promise.all([readOptional(join(dir, 'server.pem')), readOptional(join(dir, 'server-key.pem'))]);
  if (!ca || !cert || !key) return undefined;
  try {
    const server = new X509Certificate(cert);
    const issuer = new X509Certificate(ca.cert);
    const ok =
      server.verify(issuer.publicKey) &&
      server.checkPrivateKey(createPrivateKey(key)) &&
      server.checkIP('127.0.0.1') !== undefined &&
      server.checkHost('localhost') !== undefined &&
      validFor(server, RENEW_BEFORE_MS);
    if (!ok) return undefined;
  } catch {
    return undefined;
  }
  return { dir, caPath: join(dir, 'ca.pem'), cert: `${cert.trim()}\n${ca.cert.trim()}\n`, key, ca: ca.cert };
}

function validFor(x: X509Certificate, marginMs: number): boolean {
  const now = Date.now();
  return new Date(x.validFrom).getTime() <= now && new Date(x.validTo).getTime() > now + marginMs;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function writeAtomic(path: string, content: string, mode: number): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, content, { mode });
  await chmod(tmp, mode);
  await rename(tmp, path);
}

/** mkdir is atomic, so it serves as a cross-process lock; a lock older than a minute is considered abandoned. */
async function withLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch {
      const age = await stat(lockDir).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > 60_000) await rm(lockDir, { recursive: true, force: true });
      else await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
