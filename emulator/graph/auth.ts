import type { Ctx, Reply } from '../http/router.js';
import { graphError } from '../http/errors.js';
import { RESOURCE_IDS, type ServiceDeps } from '../deps.js';
import type { TokenClaims } from '../auth/tokens.js';

/** Who is calling Graph and with which permissions (app `roles` or delegated `scp`). */
export interface GraphCaller {
  tenantId: string;
  oid: string;
  appId: string;
  delegated: boolean;
  permissions: Set<string>;
  claims: TokenClaims;
}

function clientRequestId(ctx: Ctx): string | undefined {
  const v = ctx.headers['client-request-id'];
  return typeof v === 'string' ? v : undefined;
}

function unauthorized(ctx: Ctx, deps: ServiceDeps, message: string): Reply {
  const challenge = `Bearer realm="", authorization_uri="${deps.urls.authority}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`;
  return graphError(401, 'InvalidAuthenticationToken', message, { 'WWW-Authenticate': challenge }, clientRequestId(ctx));
}

/** Verifies the bearer token as Graph does; returns the caller or Graph's 401. */
export async function authenticateGraph(ctx: Ctx, deps: ServiceDeps): Promise<GraphCaller | Reply> {
  const header = ctx.headers.authorization;
  const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!m) return unauthorized(ctx, deps, 'Access token is empty.');
  const result = await deps.tokens.verify(m[1], [...RESOURCE_IDS.graph, deps.urls.graph, `${deps.urls.graph}/`], deps.state.now());
  if (!result.ok) {
    if (result.reason === 'expired') return unauthorized(ctx, deps, 'Lifetime validation failed, the token is expired.');
    if (result.reason === 'audience') return unauthorized(ctx, deps, 'Access token validation failure. Invalid audience.');
    return unauthorized(ctx, deps, 'Access token validation failure.');
  }
  const c = result.claims;
  if (!c.tid || !deps.world.tenant(c.tid)) return unauthorized(ctx, deps, 'Access token validation failure. Invalid issuer.');
  const delegated = c.idtyp === 'user' || (c.idtyp !== 'app' && typeof c.scp === 'string');
  const permissions = new Set<string>([...(c.roles ?? []), ...(typeof c.scp === 'string' ? c.scp.split(' ').filter(Boolean) : [])]);
  return { tenantId: deps.world.tenant(c.tid)!.id, oid: c.oid, appId: c.appid ?? c.azp ?? '', delegated, permissions, claims: c };
}

/** A permission requirement: any one of `anyOf`, and (if given) every one of `allOf`. */
export interface Requirement {
  anyOf?: string[];
  allOf?: string[];
}

/** Write permissions imply their read counterparts, as in Graph. */
function holds(caller: GraphCaller, permission: string): boolean {
  return caller.permissions.has(permission) || caller.permissions.has(permission.replace('.Read.', '.ReadWrite.'));
}

export function authorized(caller: GraphCaller, req: Requirement): boolean {
  if (req.anyOf && !req.anyOf.some((p) => holds(caller, p))) return false;
  if (req.allOf && !req.allOf.every((p) => holds(caller, p))) return false;
  return true;
}

export function forbidden(ctx: Ctx): Reply {
  return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.', {}, clientRequestId(ctx));
}

/** Graph's permissions per endpoint family (application permissions; delegated scopes use the same names). */
export const PERMS = {
  users: { anyOf: ['User.Read.All', 'User.ReadBasic.All', 'Directory.Read.All'] },
  organization: { anyOf: ['Organization.Read.All', 'Directory.Read.All', 'User.Read'] },
  subscribedSkus: { anyOf: ['Organization.Read.All', 'Directory.Read.All', 'LicenseAssignment.Read.All'] },
  servicePrincipals: { anyOf: ['Application.Read.All', 'Directory.Read.All'] },
  applications: { anyOf: ['Application.Read.All', 'Directory.Read.All'] },
  groups: { anyOf: ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All'] },
  signIns: { allOf: ['AuditLog.Read.All', 'Directory.Read.All'] },
  reportSettingsRead: { anyOf: ['ReportSettings.Read.All'] },
  reportSettingsWrite: { anyOf: ['ReportSettings.ReadWrite.All'] },
  reports: { anyOf: ['Reports.Read.All'] },
} satisfies Record<string, Requirement>;
