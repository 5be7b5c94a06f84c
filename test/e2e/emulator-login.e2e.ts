import { createHash, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CryptoProvider } from '@azure/msal-node';
import { chromium, type Browser } from 'playwright-core';
import { decodeJwt } from 'jose';
import { ensureCertificates } from '../../emulator/certs.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { msalClient } from '../../emulator/login/testkit.js';

/**
 * The emulator's sign-in and consent pages in a real browser (Debian's chromium via playwright-core).
 * Chromium trusts exactly the emulator's server key through --ignore-certificate-errors-spki-list (no blanket
 * ignoreHTTPSErrors). Needs /usr/bin/chromium (`apt-get install -y chromium`).
 */
describe('emulator login pages in chromium', () => {
  let emu: Emulator;
  let browser: Browser;
  let callback: Server;
  let callbackUrl: string;
  const received: URLSearchParams[] = [];

  beforeAll(async () => {
    emu = await startEmulator({ seed: 'browser-e2e' });
    const certs = await ensureCertificates();
    const spki = new X509Certificate(certs.cert).publicKey.export({ type: 'spki', format: 'der' });
    const pin = createHash('sha256').update(spki).digest('base64');
    callback = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/auth/callback') received.push(url.searchParams);
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1 id="done">Signed in</h1>');
    });
    await new Promise<void>((r) => callback.listen(0, '127.0.0.1', r));
    callbackUrl = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/auth/callback`;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-component-update', '--disable-sync', '--no-first-run', `--ignore-certificate-errors-spki-list=${pin}`],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => callback?.close(r));
    await emu?.close();
  });

  it('signs an admin in, consents, and lands on the redirect_uri with code and state; the code redeems with PKCE', async () => {
    const msal = msalClient(emu);
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const state = 'browser-state-123';
    const scopes = ['https://management.azure.com/user_impersonation'];
    const url = await msal.getAuthCodeUrl({ scopes, redirectUri: callbackUrl, state, codeChallenge: challenge, codeChallengeMethod: 'S256' });
    const admin = emu.adminUpns[0];

    const page = await browser.newPage();
    await page.goto(url);
    await page.getByRole('radio', { name: new RegExp(admin.replace('.', '\\.')) }).check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#permissions li[data-scope="https://management.azure.com/user_impersonation"]').waitFor();
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.waitForURL((u) => u.pathname === '/auth/callback');
    await page.locator('#done').waitFor();
    await page.close();

    expect(received).toHaveLength(1);
    const params = received[0];
    expect(params.get('state')).toBe(state);
    const code = params.get('code');
    expect(code).toBeTruthy();
    const result = await msal.acquireTokenByCode({ code: code!, scopes, redirectUri: callbackUrl, codeVerifier: verifier });
    expect(decodeJwt(result.accessToken)).toMatchObject({ upn: admin, scp: 'user_impersonation', tid: emu.homeTenantId });
  });
});
