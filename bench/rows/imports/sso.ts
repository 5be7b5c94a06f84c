/**
 * Row 3 of issue 9: SSO access over 1M sign-ins. The product's saas.discover run (SSO access task, lowdb in a temp
 * dir) runs in a child process against the bench emulator in another process:
 *   (a) the first full pass vs the sequential floor ⌈1,000,000 / 1000⌉ pages × latency (Graph's signIns page is at
 *       most 1000, its default);
 *   (b) an incremental pass after new sign-ins: it must read only what lies after the watermark (with the product's
 *       documented 15-minute look-back) and store every new last login;
 *   (c) the import process's peak RSS minus its idle RSS (after start-up, before the import) ≤ 100 MB.
 */
import { loadavg } from 'node:os';
import type { BenchContext, BenchRow } from '../types.js';
import { cpuSecondsOf, memoryOf, resetPeak, spawnSsoChild, spawnSsoEmulator, type EmulatorProcess } from './sso-processes.js';
import type { NewSignIn, SsoChildReply } from './sso-protocol.js';

const ROW = '3. SSO access (1M sign-ins)';
const SIGN_INS = 1_000_000;
const GRAPH_SIGNIN_PAGE = 1000;
const NEW_SIGN_INS = 5000;
const MEMORY_BOUND_MB = 100;

type Ran = Extract<SsoChildReply, { kind: 'ran' }>;

/** Measures row 3 (three lines) in its own emulator and import processes. */
export async function measureSsoAccess(ctx: BenchContext): Promise<BenchRow[]> {
  ctx.progress('sso: starting the bench emulator (1M sign-ins)');
  const emulator = await spawnSsoEmulator(ctx.latencyMs);
  try {
    const child = await spawnSsoChild(emulator);
    try {
      const idle = memoryOf(child.pid).now;
      const peakReset = resetPeak(child.pid);
      let sampledPeak = idle;
      const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, memoryOf(child.pid).now)), 50);
      ctx.progress('sso: first full pass');
      const cpu0 = { ours: cpuSecondsOf(child.pid), emulator: cpuSecondsOf(emulator.pid) };
      const full = (await child.request({ kind: 'run' })) as Ran;
      const cpu = { ours: cpuSecondsOf(child.pid) - cpu0.ours, emulator: cpuSecondsOf(emulator.pid) - cpu0.emulator };
      clearInterval(sampler);
      const peak = Math.max(sampledPeak, memoryOf(child.pid).peak);
      ctx.progress(`sso: full pass ${(full.ms / 1000).toFixed(1)} s, ${full.pages} pages; adding ${NEW_SIGN_INS} sign-ins`);

      const added = await addNewSignIns(emulator, full.watermark!);
      const lookBack = await countSignIns(emulator, full.watermark!, added.token);
      const incremental = (await child.request({ kind: 'run' })) as Ran;
      const check = await child.request({ kind: 'check', signIns: added.signIns });
      const missing = check.kind === 'checked' ? check.missing : NaN;
      await child.request({ kind: 'close' });
      return [fullRow(ctx, full, cpu), incrementalRow(ctx, full, incremental, lookBack, missing), memoryRow(idle, peak, peakReset, full)];
    } finally {
      child.kill();
    }
  } finally {
    emulator.close();
  }
}

function fullRow(ctx: BenchContext, full: Ran, cpu: { ours: number; emulator: number }): BenchRow {
  const pages = Math.ceil(SIGN_INS / GRAPH_SIGNIN_PAGE);
  const floor = (pages * ctx.latencyMs) / 1000;
  const seconds = full.ms / 1000;
  const readFloor = (full.pages * ctx.latencyMs) / 1000;
  return {
    row: ROW,
    measure: 'first full pass vs sequential floor',
    figure: seconds,
    unit: 's',
    against: floor,
    againstLabel: `sequential floor ⌈${SIGN_INS}/${GRAPH_SIGNIN_PAGE}⌉ × ${ctx.latencyMs} ms`,
    ratio: seconds / floor,
    ratioMeaning: 'figure/against',
    target: '≤ 1.25× floor',
    pass: seconds / floor <= 1.25,
    detail: {
      'sign-in pages read': full.pages,
      'successful sign-ins read (status/errorCode eq 0 filtered by Graph)': full.read,
      'last logins stored': full.records,
      'vs pages read × latency': `${(seconds / readFloor).toFixed(2)}×`,
      'ms per page': (full.ms / Math.max(full.pages, 1)).toFixed(1),
      // Wall time moves with the machine's load; the CPU each side spent per page does not (much).
      'import CPU ms/page': ((cpu.ours * 1000) / Math.max(full.pages, 1)).toFixed(1),
      'emulator CPU ms/page': ((cpu.emulator * 1000) / Math.max(full.pages, 1)).toFixed(1),
      'load average (1 min)': loadavg()[0].toFixed(1),
    },
  };
}

function incrementalRow(ctx: BenchContext, full: Ran, inc: Ran, lookBack: number, missing: number): BenchRow {
  const expectedRead = NEW_SIGN_INS + lookBack;
  const expectedPages = Math.ceil(expectedRead / GRAPH_SIGNIN_PAGE);
  const onlyNew = inc.read === expectedRead && inc.pages === expectedPages && missing === 0;
  return {
    row: ROW,
    measure: `incremental pass after ${NEW_SIGN_INS} new sign-ins`,
    figure: inc.ms / 1000,
    unit: 's',
    against: full.ms / 1000,
    againstLabel: 'first full pass',
    ratio: inc.ms / full.ms,
    ratioMeaning: 'figure/against',
    target: 'reads only from the watermark (new + 15 min look-back), every new login stored',
    pass: onlyNew,
    detail: {
      'pages read': `${inc.pages} (expected ${expectedPages})`,
      'sign-ins read': `${inc.read} = ${NEW_SIGN_INS} new + ${inc.read - NEW_SIGN_INS} look-back (expected ${lookBack})`,
      'new logins not stored': missing,
      'pages × latency': `${((inc.pages * ctx.latencyMs) / 1000).toFixed(2)} s`,
      since: inc.since ?? 'none',
    },
  };
}

function memoryRow(idle: number, peak: number, peakReset: boolean, full: Ran): BenchRow {
  const growth = peak - idle;
  return {
    row: ROW,
    measure: 'import process peak RSS − idle RSS',
    figure: growth,
    unit: 'MB',
    against: MEMORY_BOUND_MB,
    againstLabel: 'bound above idle',
    ratio: growth / MEMORY_BOUND_MB,
    ratioMeaning: 'figure/against',
    target: `≤ ${MEMORY_BOUND_MB} MB above idle`,
    pass: growth <= MEMORY_BOUND_MB,
    detail: { 'idle RSS MB': idle.toFixed(0), 'peak RSS MB': peak.toFixed(0), 'peak since': peakReset ? 'idle (VmHWM reset)' : 'process start', 'last logins held': full.records },
  };
}

async function appToken(emulator: EmulatorProcess): Promise<string> {
  const { urls, tenantId, clientId, clientSecret } = emulator.info;
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'https://graph.microsoft.com/.default' });
  const res = await fetch(`${urls.authority}/${tenantId}/oauth2/v2.0/token`, { method: 'POST', body });
  if (!res.ok) throw new Error(`token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function graphGet<T>(emulator: EmulatorProcess, token: string, url: string): Promise<T> {
  const res = await fetch(url.startsWith('https:') ? url : `${emulator.info.urls.graph}/v1.0${url}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** NEW_SIGN_INS successful sign-ins after the watermark, over 999 users and the tenant's apps (control API). */
async function addNewSignIns(emulator: EmulatorProcess, watermark: string): Promise<{ token: string; signIns: NewSignIn[] }> {
  const token = await appToken(emulator);
  const users = (await graphGet<{ value: { id: string }[] }>(emulator, token, '/users?$top=999&$select=id')).value;
  const apps = (await graphGet<{ value: { appId: string }[] }>(emulator, token, '/servicePrincipals?$top=999&$select=appId')).value;
  const base = Date.parse(watermark);
  const signIns: NewSignIn[] = Array.from({ length: NEW_SIGN_INS }, (_, i) => ({
    userId: users[(i * 7919) % users.length].id,
    appId: apps[i % apps.length].appId,
    createdDateTime: new Date(base + 1000 * (1 + (i % 120))).toISOString().replace(/\.\d+Z$/, 'Z'),
  }));
  const partials = signIns.map((s) => ({ ...s, status: { errorCode: 0, failureReason: null } }));
  const res = await fetch(`${emulator.info.urls.graph}/_emulator/events/addSignIns`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ args: [emulator.info.tenantId, partials] }) });
  if (!res.ok) throw new Error(`addSignIns: ${res.status} ${await res.text()}`);
  return { token, signIns };
}

/** Successful sign-ins in the product's look-back window (watermark − 15 min … watermark), as Graph lists them. */
async function countSignIns(emulator: EmulatorProcess, watermark: string, token: string): Promise<number> {
  const since = new Date(Date.parse(watermark) - 15 * 60_000).toISOString().replace(/\.000Z$/, 'Z');
  const filter = encodeURIComponent(`createdDateTime ge ${since} and createdDateTime le ${watermark} and status/errorCode eq 0`);
  let count = 0;
  for (let url: string | undefined = `/auditLogs/signIns?$filter=${filter}&$top=1000`; url; ) {
    const page: { value: unknown[]; '@odata.nextLink'?: string } = await graphGet(emulator, token, url);
    count += page.value.length;
    url = page['@odata.nextLink'];
  }
  return count;
}
