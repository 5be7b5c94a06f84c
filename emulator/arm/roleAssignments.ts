import type { Reply, Router } from '../http/router.js';
import { json } from '../http/router.js';
import { armError } from '../http/errors.js';
import { addSubscriptionRoute, type ArmContext, type ArmRequest } from './context.js';
import type { PrincipalType, RoleAssignment } from './assignments.js';
import { roleById } from './roles.js';
import { isGuid } from './ids.js';

const BASE = String.raw`^\/+subscriptions\/(?<subscriptionId>[^/]+)\/providers\/Microsoft\.Authorization\/roleAssignments`;
const LIST = new RegExp(`${BASE}\\/?$`, 'i');
const ONE = new RegExp(`${BASE}\\/(?<name>[^/]+)\\/?$`, 'i');
const PRINCIPAL_TYPES: PrincipalType[] = ['User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device'];

export function roleAssignmentJson(a: RoleAssignment): Record<string, unknown> {
  const scope = `/subscriptions/${a.subscriptionId}`;
  return {
    properties: {
      roleDefinitionId: `${scope}/providers/Microsoft.Authorization/roleDefinitions/${a.roleDefinitionGuid}`,
      principalId: a.principalId,
      principalType: a.principalType,
      scope,
      condition: null,
      conditionVersion: null,
      createdOn: a.createdOn,
      updatedOn: a.updatedOn,
      createdBy: a.createdBy,
      updatedBy: a.updatedBy,
      delegatedManagedIdentityResourceId: null,
      description: a.description,
    },
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${a.name}`,
    type: 'Microsoft.Authorization/roleAssignments',
    name: a.name,
  };
}

/** Role assignments at subscription scope (api-version 2022-04-01 shapes), with RBAC on the caller. */
export function registerRoleAssignments(router: Router, arm: ArmContext): void {
  addSubscriptionRoute(router, arm, 'GET', LIST, (r) => {
    const denied = arm.authorize(r.caller, r.sub, 'Microsoft.Authorization/roleAssignments/read', scopeOf(r));
    if (denied) return denied;
    const filter = parseFilter(r.ctx.query.get('$filter'));
    if (filter === 'invalid') return armError(400, 'UnsupportedQuery', `The filter '${r.ctx.query.get('$filter')}' is not supported. Supported filters are 'atScope()', 'principalId eq '{value}'' and 'assignedTo('{value}')'.`);
    const value = arm.assignments.list(r.sub.subscriptionId).filter((a) => !filter || a.principalId.toLowerCase() === filter.toLowerCase());
    return json(200, { value: value.map(roleAssignmentJson) });
  });

  addSubscriptionRoute(router, arm, 'GET', ONE, (r) => {
    const denied = arm.authorize(r.caller, r.sub, 'Microsoft.Authorization/roleAssignments/read', scopeOf(r));
    if (denied) return denied;
    const found = arm.assignments.get(r.sub.subscriptionId, r.ctx.params.name);
    return found ? json(200, roleAssignmentJson(found)) : armError(404, 'RoleAssignmentNotFound', `The role assignment '${r.ctx.params.name}' is not found.`);
  });

  addSubscriptionRoute(router, arm, 'PUT', ONE, (r) => create(arm, r));

  addSubscriptionRoute(router, arm, 'DELETE', ONE, (r) => {
    const denied = arm.authorize(r.caller, r.sub, 'Microsoft.Authorization/roleAssignments/delete', scopeOf(r));
    if (denied) return denied;
    const removed = arm.assignments.remove(r.sub.subscriptionId, r.ctx.params.name);
    if (!removed) return { status: 204, body: '' };
    const body = roleAssignmentJson(removed);
    arm.recordWrite(r.ctx, r.caller, 'roleAssignment.delete', summary(removed), 200);
    return json(200, body);
  });
}

function create(arm: ArmContext, r: ArmRequest): Reply {
  const name = r.ctx.params.name;
  if (!isGuid(name)) return armError(400, 'InvalidRoleAssignmentId', `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`);
  const denied = arm.authorize(r.caller, r.sub, 'Microsoft.Authorization/roleAssignments/write', scopeOf(r));
  if (denied) return denied;
  let body: { properties?: { roleDefinitionId?: unknown; principalId?: unknown; principalType?: unknown; description?: unknown } } | undefined;
  try {
    body = r.ctx.json();
  } catch {
    return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
  }
  const p = body?.properties;
  if (typeof p?.roleDefinitionId !== 'string' || typeof p.principalId !== 'string')
    return armError(400, 'InvalidRequestContent', "The request content was invalid: 'properties.roleDefinitionId' and 'properties.principalId' are required.");
  const rd = /^(?:\/subscriptions\/([^/]+))?\/providers\/Microsoft\.Authorization\/roleDefinitions\/([^/]+)$/i.exec(p.roleDefinitionId);
  const role = rd && (!rd[1] || rd[1].toLowerCase() === r.sub.subscriptionId.toLowerCase()) ? roleById(rd[2]) : undefined;
  if (!role) return armError(400, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${rd?.[2] ?? p.roleDefinitionId}' does not exist.`);
  const principalId = p.principalId;
  const compact = principalId.replace(/-/g, '');
  const actualType = arm.principalType(r.sub.tenantId, principalId);
  if (!actualType)
    return armError(400, 'PrincipalNotFound', `Principal ${compact} does not exist in the directory ${r.sub.tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`);
  if (p.principalType !== undefined && (typeof p.principalType !== 'string' || !PRINCIPAL_TYPES.includes(p.principalType as PrincipalType)))
    return armError(400, 'InvalidPrincipalType', `The principal type '${String(p.principalType)}' is not valid.`);
  if (p.principalType !== undefined && p.principalType !== actualType)
    return armError(400, 'UnmatchedPrincipalType', `The PrincipalId '${compact}' has type '${actualType}' , which is different from specified PrincipalType '${p.principalType}'.`);

  const sameName = arm.assignments.get(r.sub.subscriptionId, name);
  if (sameName) {
    const same = sameName.principalId.toLowerCase() === principalId.toLowerCase() && sameName.roleDefinitionGuid === role.id;
    return same ? json(201, roleAssignmentJson(sameName)) : armError(409, 'RoleAssignmentUpdateNotPermitted', 'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.');
  }
  const existing = arm.assignments.findEquivalent(r.sub.subscriptionId, principalId, role.id);
  if (existing) return armError(409, 'RoleAssignmentExists', `The role assignment already exists. The ID of the existing role assignment is ${existing.name.replace(/-/g, '')}.`);
  const created = arm.assignments.add({
    name,
    subscriptionId: r.sub.subscriptionId,
    roleDefinitionGuid: role.id,
    principalId,
    principalType: actualType,
    createdBy: r.caller.oid,
    updatedBy: r.caller.oid,
    description: typeof p.description === 'string' ? p.description : null,
  });
  arm.recordWrite(r.ctx, r.caller, 'roleAssignment.create', summary(created), 201);
  return json(201, roleAssignmentJson(created));
}

function summary(a: RoleAssignment): Record<string, unknown> {
  return { subscriptionId: a.subscriptionId, name: a.name, roleDefinitionId: a.roleDefinitionGuid, roleName: roleById(a.roleDefinitionGuid)?.roleName, principalId: a.principalId, principalType: a.principalType };
}

function scopeOf(r: ArmRequest): string {
  return `/subscriptions/${r.sub.subscriptionId}`;
}

/** `principalId eq '…'`, `assignedTo('…')` and `atScope()`, joined by `and`; returns the principal to keep, if any. */
function parseFilter(raw: string | null): string | undefined | 'invalid' {
  if (!raw || !raw.trim()) return undefined;
  let principal: string | undefined;
  for (const clause of raw.split(/\s+and\s+/i).map((c) => c.trim())) {
    const eq = /^principalId\s+eq\s+'([^']+)'$/i.exec(clause);
    const assigned = /^assignedTo\('([^']+)'\)$/i.exec(clause);
    if (eq || assigned) principal = (eq ?? assigned)![1];
    else if (!/^atScope\(\)$/i.test(clause)) return 'invalid';
  }
  return principal;
}
