import type { Attachment } from 'botbuilder';
import type { Store } from '../../store/port.js';
import type { SaasApp, SsoAssignment, SsoSignin } from '../../store/types.js';
import type { CardRenderer } from '../../teams/cards.js';
import { defuseTemplateText } from '../status/view.js';
import type { SaasTenant } from './connection.js';

const MAX_APPS = 25;
const MAX_ROSTER = 30;
const utc = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
const yesNo = (b: boolean | undefined) => (b ? 'yes' : 'no');

/** Newest login among records, or undefined. */
const newest = (logins: SsoSignin[]) => logins.map((l) => l.createdDateTime).sort().at(-1);

/** Apps first seen in the tenant's last run are "new"; apps that run did not see are gone upstream. */
function freshness(app: SaasApp, tenant: SaasTenant): '' | 'new' | 'gone' {
  const run = tenant.saas.lastRun;
  if (!run) return '';
  const discovered = run.tasks.some((t) => t.task === 'appDiscovery' && t.state === 'done');
  if (discovered && (app.lastSeenAt ?? '') < run.startedAt) return 'gone';
  return (app.firstSeenAt ?? '') >= run.startedAt ? 'new' : '';
}

/** `apps`: the discovered apps of every SaaS-connected tenant, those new since the last run first. */
export async function appsCard(cards: CardRenderer, store: Store, workspaceId: string, tenants: SaasTenant[]): Promise<Attachment> {
  const rows: { app: SaasApp; tenant: SaasTenant; last?: string }[] = [];
  for (const tenant of tenants) {
    for (const app of await store.saasApps.find(workspaceId, { tenantId: tenant.id })) {
      rows.push({ app, tenant, last: newest(await store.ssoSignins.find(workspaceId, { tenantId: tenant.id, appId: app.appId })) });
    }
  }
  rows.sort((a, b) => (b.app.firstSeenAt ?? '').localeCompare(a.app.firstSeenAt ?? '') || a.app.displayName.localeCompare(b.app.displayName));
  const several = tenants.length > 1;
  const shown = rows.slice(0, MAX_APPS).map(({ app, tenant, last }) => {
    const state = freshness(app, tenant);
    return {
      name: app.displayName,
      badge: state === 'new' ? ' · NEW since the last run' : state === 'gone' ? ' · not seen in the last run' : '',
      line: [
        several ? tenant.displayName || tenant.id : '',
        app.publisher ? `publisher ${app.publisher}` : 'publisher unknown',
        `open access: ${yesNo(app.openAccess)}`,
        `SSO: ${app.ssoMode ?? 'none'}`,
        `OAuth2: ${yesNo(app.oauth2Integration)}`,
        app.assignmentCount !== undefined ? `${app.assignmentCount} assigned user(s)` : 'roster not read',
        last ? `last login ${utc(last)}` : 'no login recorded',
      ].filter(Boolean).join(' · '),
    };
  });
  const lastRun = tenants.map((t) => t.saas.lastRun?.finishedAt).filter((v): v is string => Boolean(v)).sort().at(-1);
  return cards.attachment('saas-apps', defuseTemplateText({
    title: `Discovered SaaS apps (${rows.length})`,
    subtitle: `${lastRun ? `Last discovery ${utc(lastRun)}` : 'Not discovered yet'} · newest first · type \`apps <name>\` for an app's roster and last logins`,
    empty: tenants.length === 0
      ? 'No tenant is connected for SaaS discovery: an admin types `connect saas`.'
      : rows.length === 0 ? 'No apps discovered yet: an admin types `sync saas` (Application Discovery must be selected).' : '',
    apps: shown,
    more: rows.length > MAX_APPS ? `…and ${rows.length - MAX_APPS} more: type \`apps <name>\` to see one.` : '',
  }));
}

export type AppMatch = { app: SaasApp; tenant: SaasTenant } | { message: string };

/** The app `apps <name>` means: an exact name (any case), else the one app whose name contains it. */
export async function findApp(store: Store, workspaceId: string, tenants: SaasTenant[], name: string): Promise<AppMatch> {
  const wanted = name.trim().toLowerCase();
  const all: { app: SaasApp; tenant: SaasTenant }[] = [];
  for (const tenant of tenants) for (const app of await store.saasApps.find(workspaceId, { tenantId: tenant.id })) all.push({ app, tenant });
  const exact = all.filter((a) => a.app.displayName.toLowerCase() === wanted || a.app.appId === wanted);
  const partial = exact.length ? exact : all.filter((a) => a.app.displayName.toLowerCase().includes(wanted));
  if (partial.length === 1) return partial[0];
  if (partial.length === 0) return { message: `No discovered app matches "${name.trim().slice(0, 80)}". Type \`apps\` for the list.` };
  return { message: `${partial.length} apps match "${name.trim().slice(0, 80)}": ${partial.slice(0, 15).map((a) => a.app.displayName).join(', ')}. Type more of the name.` };
}

/** `apps <name>`: the app's details, its roster (direct or through groups) and each user's last login. */
export async function appCard(cards: CardRenderer, store: Store, app: SaasApp, tenant: SaasTenant): Promise<Attachment> {
  const roster = await store.ssoAssignments.find(app.workspaceId, { tenantId: tenant.id, appId: app.appId });
  const logins = new Map((await store.ssoSignins.find(app.workspaceId, { tenantId: tenant.id, appId: app.appId })).map((l) => [l.userId, l]));
  const rows = roster.map((a) => rosterRow(a, logins.get(a.principalId)));
  const assigned = new Set(roster.map((a) => a.principalId));
  for (const l of logins.values()) if (!assigned.has(l.userId)) rows.push({ sort: l.createdDateTime, name: l.userPrincipalName ?? l.userId, email: '', line: `not assigned (open access) · last login ${utc(l.createdDateTime)}${l.location ? ` from ${l.location}` : ''}` });
  rows.sort((a, b) => b.sort.localeCompare(a.sort) || a.name.localeCompare(b.name));
  const direct = roster.filter((a) => a.assignedDirectly).length;
  return cards.attachment('saas-app', defuseTemplateText({
    title: app.displayName,
    facts: [
      { name: 'Tenant', value: tenant.displayName || tenant.id },
      { name: 'Application ID', value: app.appId },
      { name: 'App instance ID', value: app.servicePrincipalId ?? 'unknown' },
      { name: 'Publisher', value: app.publisher ?? 'unknown' },
      { name: 'open_access', value: `${yesNo(app.openAccess)}${app.openAccess ? ' (SSO without a role assignment)' : ' (assignment required)'}` },
      { name: 'oauth2Integration', value: yesNo(app.oauth2Integration) },
      { name: 'SSO mode', value: app.ssoMode ?? 'none' },
      { name: 'First seen', value: app.firstSeenAt ? utc(app.firstSeenAt) : 'unknown' },
    ],
    rosterTitle: `Roster: ${roster.length} user(s) (${direct} direct, ${roster.length - direct} through groups only)`,
    rosterNote: roster.length === 0 && app.assignmentCount === undefined ? 'The roster has not been read: SSO Application Roster must be selected and allowed.' : '',
    roster: rows.slice(0, MAX_ROSTER).map(({ name, email, line }) => ({ name, email, line })),
    more: rows.length > MAX_ROSTER ? `…and ${rows.length - MAX_ROSTER} more.` : '',
  }));
}

function rosterRow(a: SsoAssignment, login: SsoSignin | undefined) {
  const name = [a.givenName, a.surname].filter(Boolean).join(' ') || a.principalDisplayName || a.principalId;
  const via = [a.assignedDirectly ? 'assigned directly' : '', a.viaGroupIds?.length ? `through ${a.viaGroupIds.length} group(s)` : ''].filter(Boolean).join(' and ');
  const access = login ? `last login ${utc(login.createdDateTime)}${login.location ? ` from ${login.location}` : ''}` : 'no login recorded';
  return { sort: login?.createdDateTime ?? '', name, email: a.email ? `(${a.email})` : '', line: `${via || 'assigned'}${a.activeDate ? ` since ${a.activeDate.slice(0, 10)}` : ''} · ${access}` };
}
