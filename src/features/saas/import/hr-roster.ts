import type { GraphPage } from '../../../microsoft/graph-pages.js';
import { scopedId, type SaasUser } from '../../../store/types.js';
import { RosterTally, rosterVerdict, type RosterFilter } from '../roster-filter.js';
import { deleteUnseen, type ImportContext } from './context.js';

/** The Graph user fields HR roster reads (seed 003: user id, email, aliases, names, active date, department, location). */
export interface GraphRosterUser {
  id: string;
  userPrincipalName: string;
  mail?: string | null;
  otherMails?: string[] | null;
  proxyAddresses?: string[] | null;
  givenName?: string | null;
  surname?: string | null;
  createdDateTime?: string | null;
  department?: string | null;
  officeLocation?: string | null;
  city?: string | null;
  state?: string | null;
  country?: string | null;
  userType?: string | null;
  accountEnabled?: boolean | null;
}

const SELECT = 'id,userPrincipalName,mail,otherMails,proxyAddresses,givenName,surname,createdDateTime,department,officeLocation,city,state,country,userType,accountEnabled';

/** Addresses the user also receives mail at: proxy SMTP addresses and other mails, without the primary email. */
export function emailAliases(user: GraphRosterUser): string[] {
  const primary = user.mail?.toLowerCase();
  const fromProxies = (user.proxyAddresses ?? []).filter((p) => /^smtp:/i.test(p)).map((p) => p.slice(5));
  const all = [...fromProxies, ...(user.otherMails ?? [])].filter((a) => a && a.toLowerCase() !== primary);
  const seen = new Set<string>();
  return all.filter((a) => !seen.has(a.toLowerCase()) && seen.add(a.toLowerCase()));
}

export function locationOf(user: Pick<GraphRosterUser, 'city' | 'state' | 'country' | 'officeLocation'>): string | null {
  const place = [user.city, user.state, user.country].filter((p): p is string => Boolean(p)).join(', ');
  return place || user.officeLocation || null;
}

export function toSaasUser(user: GraphRosterUser, ctx: Pick<ImportContext, 'workspaceId' | 'tenantId' | 'runAt'>, emailOutsideDomains: boolean): SaasUser {
  return {
    id: scopedId(ctx.tenantId, user.id),
    workspaceId: ctx.workspaceId,
    tenantId: ctx.tenantId,
    userId: user.id,
    userPrincipalName: user.userPrincipalName,
    email: user.mail ?? null,
    emailAliases: emailAliases(user),
    firstName: user.givenName ?? null,
    lastName: user.surname ?? null,
    activeDate: user.createdDateTime ?? null,
    department: user.department ?? null,
    location: locationOf(user),
    userType: user.userType ?? null,
    ...(typeof user.accountEnabled === 'boolean' ? { accountEnabled: user.accountEnabled } : {}),
    ...(emailOutsideDomains ? { emailOutsideDomains: true } : {}),
    lastSeenAt: ctx.runAt,
  };
}

export interface HrRosterResult {
  stored: number;
  removed: number;
  /** Which filter applied, in words (seed 003's domain and include-guests rules). */
  filter: string;
}

/** HR roster: every page of /users, filtered by domain and guests, stored as it arrives; users gone since are removed. */
export async function importHrRoster(ctx: ImportContext, filter: RosterFilter): Promise<HrRosterResult> {
  const tally = new RosterTally(filter);
  let url: string | undefined = `/users?$select=${SELECT}`;
  while (url) {
    const page: GraphPage<GraphRosterUser> = await ctx.graph.page<GraphRosterUser>(url);
    const kept: SaasUser[] = [];
    for (const user of page.value) {
      const verdict = rosterVerdict(user, filter);
      tally.count(verdict);
      if (verdict.keep) kept.push(toSaasUser(user, ctx, verdict.emailOutsideDomains));
    }
    if (kept.length) await ctx.store.saasUsers.bulkUpsert(kept);
    await ctx.touch?.();
    url = page.nextLink;
  }
  const removed = await deleteUnseen(ctx.store.saasUsers, ctx);
  return { stored: tally.kept, removed: removed.length, filter: tally.describe() };
}
