/**
 * Issue 3's check: a world of 100k users and 1M sign-ins starts in under 5 s and stays under 300 MB RSS while all of
 * it is served. The emulator runs in its own process (so its RSS is its own); this script pages through every user
 * and every sign-in over HTTPS, as a client would, sampling the emulator's RSS from /proc as it goes.
 * Run: `npm run bench:emulator` (it sets NODE_EXTRA_CA_CERTS to the emulator's CA).
 */
import { spawnBenchEmulator } from './rows/emulator-cli.js';
import { memoryOf as rssMb } from './rows/proc.js';

async function main(): Promise<void> {
  const started = performance.now();
  const { child, info } = await spawnBenchEmulator({ latencyMs: 0 });
  const startSeconds = (performance.now() - started) / 1000;
  const pid = child.pid!;
  let peakSampled = rssMb(pid).now;
  const sampler = setInterval(() => (peakSampled = Math.max(peakSampled, rssMb(pid).now)), 100);
  try {
    const token = await appToken(info);
    const users = await drain(`${info.urls.graph}/v1.0/users?$top=999&$select=id,userPrincipalName`, token);
    const signIns = await drain(`${info.urls.graph}/v1.0/auditLogs/signIns?$top=1000`, token);
    const rss = rssMb(pid);
    const peak = Math.max(peakSampled, rss.peak);
    const rows = [
      { check: 'start (spawn to serving, 100k users, 1M sign-ins)', figure: `${startSeconds.toFixed(2)} s`, target: '< 5 s', pass: startSeconds < 5 },
      { check: 'users served', figure: `${users.items} in ${users.pages} pages, ${users.seconds.toFixed(1)} s`, target: '100000', pass: users.items === 100_000 },
      { check: 'sign-ins served', figure: `${signIns.items} in ${signIns.pages} pages, ${signIns.seconds.toFixed(1)} s`, target: '1000000', pass: signIns.items === 1_000_000 },
      { check: 'emulator peak RSS while serving all of it', figure: `${peak.toFixed(0)} MB`, target: '< 300 MB', pass: peak < 300 },
    ];
    console.table(rows);
    if (!rows.every((r) => r.pass)) process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    child.kill('SIGTERM');
  }
}

async function appToken(info: { urls: { authority: string }; homeTenantId: string; clientId: string; clientSecret: string }): Promise<string> {
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: info.clientId, client_secret: info.clientSecret, scope: 'https://graph.microsoft.com/.default' });
  const res = await fetch(`${info.urls.authority}/${info.homeTenantId}/oauth2/v2.0/token`, { method: 'POST', body });
  if (!res.ok) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Follows @odata.nextLink to the end, counting items; nothing is kept, as a streaming client would do. */
async function drain(first: string, token: string): Promise<{ items: number; pages: number; seconds: number }> {
  const t0 = performance.now();
  let url: string | undefined = first;
  let items = 0;
  let pages = 0;
  while (url) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    const page = (await res.json()) as { value: unknown[]; '@odata.nextLink'?: string };
    items += page.value.length;
    pages++;
    url = page['@odata.nextLink'];
  }
  return { items, pages, seconds: (performance.now() - t0) / 1000 };
}

await main();
