import { createHash, randomBytes } from 'node:crypto';
import { json, type Ctx, type Router } from '../http/router.js';
import type { ServiceDeps } from '../deps.js';
import type { GraphUser } from '../world/types.js';
import { mix, hashString } from '../world/prng.js';
import { PERMS } from './auth.js';
import { endpoint } from './endpoint.js';
import { badRequest, contextUrl } from './odata.js';
import { graphError } from '../http/errors.js';

/**
 * admin/reportSettings and reports/getOffice365ActiveUserDetail. The report answers 302 to a short-lived,
 * pre-authenticated download URL (as Graph does); the CSV has Microsoft's header row and, while the tenant
 * conceals names, hashes in place of UPNs and display names.
 */

const HEADER = [
  'Report Refresh Date', 'User Principal Name', 'Display Name', 'Is Deleted', 'Deleted Date', 'Has Exchange License', 'Has OneDrive License',
  'Has SharePoint License', 'Has Skype For Business License', 'Has Yammer License', 'Has Teams License', 'Exchange Last Activity Date',
  'OneDrive Last Activity Date', 'SharePoint Last Activity Date', 'Skype For Business Last Activity Date', 'Yammer Last Activity Date',
  'Teams Last Activity Date', 'Exchange License Assign Date', 'OneDrive License Assign Date', 'SharePoint License Assign Date',
  'Skype For Business License Assign Date', 'Yammer License Assign Date', 'Teams License Assign Date', 'Assigned Products',
];

const PERIODS: Record<string, number> = { D7: 7, D30: 30, D90: 90, D180: 180 };
const DOWNLOAD_TTL_MS = 5 * 60_000;

/** Service plan ids that grant each workload. */
const PLAN = {
  exchange: new Set(['efb87545-963c-4e0d-99df-69c6916d9eb0', '113feb6c-3fe4-4440-bddc-54d774bf0318']),
  sharepoint: new Set(['5dbe027f-2339-4123-9542-606e4d348a72']),
  skype: new Set(['4828c8ec-dc2e-4779-b502-87ac9ce28ab7']),
  yammer: new Set(['7547a3fe-08ee-4ccb-b430-5077c5041653']),
  teams: new Set(['57ff2da0-773e-42df-b2af-ffb7a2317929']),
};

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
/** What the admin centre shows instead of a name while concealment is on: an opaque uppercase hex hash. */
const conceal = (tenantId: string, v: string) => createHash('md5').update(`${tenantId}:${v}`).digest('hex').toUpperCase();

function csvFor(deps: ServiceDeps, tenantId: string, periodDays: number): string {
  const { world, state } = deps;
  const concealed = state.concealedNames.has(tenantId);
  const refresh = state.now() - 86_400_000;
  const skus = new Map(world.subscribedSkus(tenantId).map((s) => [s.skuId, s]));
  const lines: string[] = [HEADER.join(',')];
  const key = hashString(tenantId);
  for (const u of world.users(tenantId)) lines.push(row(u));
  return `\ufeff${lines.join('\r\n')}\r\n`;

  function row(u: GraphUser): string {
    const plans = new Set<string>();
    const products: string[] = [];
    for (const l of u.assignedLicenses) {
      const sku = skus.get(l.skuId);
      if (!sku) continue;
      products.push(sku.skuPartNumber === 'ENTERPRISEPACK' ? 'OFFICE 365 E3' : sku.skuPartNumber === 'SPE_E5' ? 'MICROSOFT 365 E5' : sku.skuPartNumber.replace(/_/g, ' '));
      for (const p of sku.servicePlans) if (!l.disabledPlans.includes(p.servicePlanId)) plans.add(p.servicePlanId);
    }
    const has = (s: Set<string>) => [...s].some((id) => plans.has(id));
    const h = mix(key, hashString(u.id));
    const activity = (holds: boolean, salt: number) => (holds && (h >>> salt) % 5 !== 0 ? day(refresh - (((h >>> (salt + 3)) % periodDays) * 86_400_000)) : '');
    const assigned = (holds: boolean) => (holds ? u.createdDateTime.slice(0, 10) : '');
    const [ex, sp, sk, ya, te] = [has(PLAN.exchange), has(PLAN.sharepoint), has(PLAN.skype), has(PLAN.yammer), has(PLAN.teams)];
    const cells = [
      day(refresh), concealed ? conceal(tenantId, u.userPrincipalName) : u.userPrincipalName, concealed ? conceal(tenantId, u.displayName) : u.displayName,
      'False', '', tf(ex), tf(sp), tf(sp), tf(sk), tf(ya), tf(te),
      activity(ex, 1), activity(sp, 4), activity(sp, 7), activity(sk, 10), activity(ya, 13), activity(te, 16),
      assigned(ex), assigned(sp), assigned(sp), assigned(sk), assigned(ya), assigned(te), products.join('+'),
    ];
    return cells.map(csvCell).join(',');
  }
}

const tf = (b: boolean) => (b ? 'True' : 'False');

export function registerReports(router: Router, deps: ServiceDeps): void {
  const { state } = deps;
  const downloads = new Map<string, { tenantId: string; days: number; expires: number }>();

  router.add('graph', 'GET', /^\/v1\.0\/admin\/reportSettings\/?$/i, endpoint(deps, PERMS.reportSettingsRead, (_ctx, caller) =>
    json(200, { '@odata.context': `${contextUrl(deps, 'admin/reportSettings')}/$entity`, displayConcealedNames: state.concealedNames.has(caller.tenantId) }),
  ));

  router.add('graph', 'PATCH', /^\/v1\.0\/admin\/reportSettings\/?$/i, endpoint(deps, PERMS.reportSettingsWrite, (ctx, caller) => {
    let body: { displayConcealedNames?: unknown } | undefined;
    try {
      body = ctx.json();
    } catch {
      throw badRequest('Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.', 'BadRequest');
    }
    if (typeof body?.displayConcealedNames !== 'boolean') throw badRequest("Invalid value for property 'displayConcealedNames'.", 'BadRequest');
    if (body.displayConcealedNames) state.concealedNames.add(caller.tenantId);
    else state.concealedNames.delete(caller.tenantId);
    state.recordWrite({ service: 'graph', kind: 'reportSettings.patch', method: 'PATCH', path: ctx.path, principal: { tenantId: caller.tenantId, oid: caller.oid, appId: caller.appId }, detail: { displayConcealedNames: body.displayConcealedNames }, status: 204 });
    return { status: 204 };
  }));

  router.add('graph', 'GET', /^\/v1\.0\/reports\/getOffice365ActiveUserDetail\((?<arg>[^)]*)\)(?:\/content)?\/?$/i, endpoint(deps, PERMS.reports, (ctx: Ctx, caller) => {
    const arg = ctx.params.arg.trim();
    const period = /^period\s*=\s*'(\w+)'$/i.exec(arg);
    const date = /^date\s*=\s*(\d{4}-\d{2}-\d{2})$/i.exec(arg);
    const days = period ? PERIODS[period[1].toUpperCase()] : date ? 1 : undefined;
    if (!days) throw badRequest(period ? `Invalid value '${period[1]}' for period. Supported values: D7, D30, D90, D180.` : 'Missing or invalid function parameter: period or date.', 'BadRequest');
    const now = state.now();
    for (const [k, v] of downloads) if (v.expires < now) downloads.delete(k);
    const token = randomBytes(18).toString('base64url');
    downloads.set(token, { tenantId: caller.tenantId, days, expires: now + DOWNLOAD_TTL_MS });
    return { status: 302, headers: { location: `${deps.urls.graph}/data/download/${token}`, 'content-type': 'text/plain' }, body: '' };
  }));

  // The pre-authenticated download: no Authorization header needed, valid for a few minutes.
  router.add('graph', 'GET', /^\/data\/download\/(?<token>[\w-]+)$/, (ctx) => {
    const d = downloads.get(ctx.params.token);
    if (!d || d.expires < state.now()) return graphError(404, 'NotFound', 'The download link has expired or is invalid.');
    return { status: 200, headers: { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="Office365ActiveUserDetail.csv"' }, body: csvFor(deps, d.tenantId, d.days) };
  });
}
