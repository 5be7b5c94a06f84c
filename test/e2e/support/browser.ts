import { createHash, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { ensureCertificates } from '../../../emulator/certs.js';

/** Debian's chromium; never a downloaded browser. CI installs it with apt (see .ci/run). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless chromium that trusts exactly the emulator's server key (its SPKI pin), not every certificate: the
 * emulator's sign-in pages are HTTPS with a self-signed CA.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium`);
  const certs = await ensureCertificates();
  const spki = new X509Certificate(certs.cert).publicKey.export({ type: 'spki', format: 'der' });
  const pin = createHash('sha256').update(spki).digest('base64');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run', '--disable-component-update', '--disable-sync', `--ignore-certificate-errors-spki-list=${pin}`],
  });
}
