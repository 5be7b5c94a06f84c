import type { GraphPage } from '../../../microsoft/graph-pages.js';
import { scopedId, type SsoAssignment } from '../../../store/types.js';
import { deleteUnseen, type ImportContext } from './context.js';
import { expandGroup, type ExpandedGroup, type GroupMember } from './group-expansion.js';

interface GraphAssignment {
  id: string;
  appRoleId?: string;
  createdDateTime?: string;
  principalId: string;
  principalType: 'User' | 'Group' | 'ServicePrincipal';
  principalDisplayName?: string | null;
}

export interface RosterApp {
  appId: string;
  servicePrincipalId?: string;
  displayName: string;
}

export interface SsoRosterResult {
  /** Distinct (app, user) pairs stored. */
  stored: number;
  /** Users per app id. */
  perApp: Map<string, number>;
  /** Users who were on an app's roster at the last run and are not any more (the records are removed). */
  lostAccess: SsoAssignment[];
  /** Groups nested deeper than one level, which seed 003's rule leaves unexpanded. */
  notExpanded: number;
  /** Apps whose roster could not be read (their earlier records are kept). */
  failed: { app: RosterApp; error: unknown }[];
}

const MEMBER_SELECT = 'id,displayName,userPrincipalName,mail,givenName,surname';
const ASSIGNMENT_SELECT = 'id,appRoleId,createdDateTime,principalId,principalType,principalDisplayName';
const USER_SELECT = 'id,displayName,userPrincipalName,mail,givenName,surname';

async function allPages<T>(ctx: ImportContext, first: string): Promise<T[]> {
  const items: T[] = [];
  for (let url: string | undefined = first; url; ) {
    const page: GraphPage<T> = await ctx.graph.page<T>(url);
    items.push(...page.value);
    url = page.nextLink;
  }
  return items;
}

const earliest = (a: string | undefined, b: string | undefined) => (!a ? b : !b ? a : a < b ? a : b);

interface Access {
  userId: string;
  direct: boolean;
  groups: Set<string>;
  activeDate?: string;
  appRoleId?: string;
  details?: GroupMember;
}

/**
 * SSO application roster: for each app, its users assigned directly or through groups (appRoleAssignedTo; each
 * group's members, nested groups expanded once). One record per app and user. Groups are read once per run.
 */
export async function importSsoRoster(ctx: ImportContext, apps: RosterApp[]): Promise<SsoRosterResult> {
  const groupCache = new Map<string, Promise<ExpandedGroup>>();
  const memberCache = new Map<string, Promise<GroupMember[]>>();
  const membersOf = (groupId: string) => {
    let p = memberCache.get(groupId);
    if (!p) memberCache.set(groupId, (p = allPages<GroupMember>(ctx, `/groups/${encodeURIComponent(groupId)}/members?$select=${MEMBER_SELECT}`)));
    return p;
  };
  const expand = (groupId: string) => {
    let p = groupCache.get(groupId);
    if (!p) groupCache.set(groupId, (p = expandGroup(groupId, membersOf)));
    return p;
  };
  const lookUpUser = userLookup(ctx);
  const result: SsoRosterResult = { stored: 0, perApp: new Map(), lostAccess: [], notExpanded: 0, failed: [] };
  const unexpanded = new Set<string>();

  for (const app of apps) {
    if (!app.servicePrincipalId) continue;
    try {
      const access = new Map<string, Access>();
      const entry = (userId: string) => access.get(userId) ?? access.set(userId, { userId, direct: false, groups: new Set() }).get(userId)!;
      const assignments = await allPages<GraphAssignment>(ctx, `/servicePrincipals/${encodeURIComponent(app.servicePrincipalId)}/appRoleAssignedTo?$select=${ASSIGNMENT_SELECT}`);
      for (const a of assignments) {
        if (a.principalType === 'User') {
          const e = entry(a.principalId);
          e.direct = true;
          e.activeDate = earliest(e.activeDate, a.createdDateTime);
          e.appRoleId ??= a.appRoleId;
          e.details ??= { id: a.principalId, displayName: a.principalDisplayName };
        } else if (a.principalType === 'Group') {
          const group = await expand(a.principalId);
          group.notExpanded.forEach((g) => unexpanded.add(g));
          for (const user of group.users) {
            const e = entry(user.id);
            e.groups.add(a.principalId);
            e.activeDate = earliest(e.activeDate, a.createdDateTime);
            e.appRoleId ??= a.appRoleId;
            if (!e.details?.userPrincipalName) e.details = user;
          }
        }
      }
      const records: SsoAssignment[] = [];
      for (const e of access.values()) records.push(toAssignment(ctx, app, e, e.details?.userPrincipalName ? e.details : await lookUpUser(e.userId, e.details)));
      for (let i = 0; i < records.length; i += 500) await ctx.store.ssoAssignments.bulkUpsert(records.slice(i, i + 500));
      result.stored += records.length;
      result.perApp.set(app.appId, records.length);
      await ctx.touch?.();
    } catch (error) {
      result.failed.push({ app, error });
    }
  }
  const failedApps = new Set(result.failed.map((f) => f.app.appId));
  result.lostAccess = await deleteUnseen(ctx.store.ssoAssignments, ctx, (r) => !failedApps.has(r.appId));
  result.notExpanded = unexpanded.size;
  return result;
}

function toAssignment(ctx: ImportContext, app: RosterApp, e: Access, user: GroupMember | undefined): SsoAssignment {
  const groups = [...e.groups];
  return {
    id: scopedId(ctx.tenantId, `${app.servicePrincipalId}/${e.userId}`),
    workspaceId: ctx.workspaceId,
    tenantId: ctx.tenantId,
    appId: app.appId,
    servicePrincipalId: app.servicePrincipalId,
    appDisplayName: app.displayName,
    principalId: e.userId,
    principalType: 'User',
    ...(user?.displayName ? { principalDisplayName: user.displayName } : {}),
    ...(e.appRoleId ? { appRoleId: e.appRoleId } : {}),
    assignedDirectly: e.direct,
    ...(groups.length ? { viaGroupIds: groups } : {}),
    ...(!e.direct && groups.length ? { viaGroupId: groups[0] } : {}),
    email: user?.mail ?? null,
    givenName: user?.givenName ?? null,
    surname: user?.surname ?? null,
    ...(e.activeDate ? { activeDate: e.activeDate } : {}),
    lastSeenAt: ctx.runAt,
  };
}

/**
 * Details of a directly assigned user: from the HR roster when it holds them, else from Graph (User.Read.All is an
 * HR roster permission, so without it the roster keeps the assignment's display name only).
 */
function userLookup(ctx: ImportContext) {
  let graphRefused = false;
  return async (userId: string, fallback: GroupMember | undefined): Promise<GroupMember | undefined> => {
    const known = await ctx.store.saasUsers.get(ctx.workspaceId, scopedId(ctx.tenantId, userId));
    if (known) return { id: userId, displayName: fallback?.displayName, userPrincipalName: known.userPrincipalName, mail: known.email, givenName: known.firstName, surname: known.lastName };
    if (graphRefused) return fallback;
    try {
      return await ctx.graph.get<GroupMember>(`/users/${encodeURIComponent(userId)}?$select=${USER_SELECT}`);
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 403) graphRefused = true;
      else if (status !== 404) throw err;
      return fallback;
    }
  };
}
