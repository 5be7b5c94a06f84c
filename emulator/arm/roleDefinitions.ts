import type { Router } from '../http/router.js';
import { json } from '../http/router.js';
import { armError } from '../http/errors.js';
import { addSubscriptionRoute, addTenantRoute, type ArmContext } from './context.js';
import { BUILT_IN_CREATED_ON, BUILT_IN_ROLES, roleById, type BuiltInRole } from './roles.js';

const AUTH = String.raw`\/providers\/Microsoft\.Authorization`;
const SUB = String.raw`^\/+subscriptions\/(?<subscriptionId>[^/]+)`;

function roleDefinitionJson(role: BuiltInRole, scope: string): Record<string, unknown> {
  return {
    properties: {
      roleName: role.roleName,
      type: 'BuiltInRole',
      description: role.description,
      assignableScopes: ['/'],
      permissions: role.permissions,
      createdOn: BUILT_IN_CREATED_ON,
      updatedOn: BUILT_IN_CREATED_ON,
      createdBy: null,
      updatedBy: null,
    },
    id: `${scope}/providers/Microsoft.Authorization/roleDefinitions/${role.id}`,
    type: 'Microsoft.Authorization/roleDefinitions',
    name: role.id,
  };
}

/** Role definitions (built-in roles) and `Microsoft.Authorization/permissions` (the caller's effective permissions). */
export function registerRoleDefinitions(router: Router, arm: ArmContext): void {
  addSubscriptionRoute(router, arm, 'GET', new RegExp(`${SUB}${AUTH}\\/roleDefinitions\\/?$`, 'i'), ({ ctx, caller, sub }) => {
    const scope = `/subscriptions/${sub.subscriptionId}`;
    const denied = arm.authorize(caller, sub, 'Microsoft.Authorization/roleDefinitions/read', scope);
    if (denied) return denied;
    const raw = ctx.query.get('$filter');
    let roles = BUILT_IN_ROLES;
    if (raw) {
      const byName = /^roleName\s+eq\s+'((?:[^']|'')*)'$/i.exec(raw.trim());
      const byType = /^type\s+eq\s+'([^']*)'$/i.exec(raw.trim());
      if (byName) roles = roles.filter((r) => r.roleName.toLowerCase() === byName[1].replace(/''/g, "'").toLowerCase());
      else if (byType) roles = byType[1].toLowerCase() === 'builtinrole' ? roles : [];
      else return armError(400, 'UnsupportedQuery', `The filter '${raw}' is not supported. Supported filters are 'roleName eq '{value}'' and 'type eq 'BuiltInRole|CustomRole''.`);
    }
    return json(200, { value: roles.map((r) => roleDefinitionJson(r, scope)) });
  });

  addSubscriptionRoute(router, arm, 'GET', new RegExp(`${SUB}${AUTH}\\/roleDefinitions\\/(?<roleId>[^/]+)\\/?$`, 'i'), ({ ctx, caller, sub }) => {
    const scope = `/subscriptions/${sub.subscriptionId}`;
    const denied = arm.authorize(caller, sub, 'Microsoft.Authorization/roleDefinitions/read', scope);
    if (denied) return denied;
    const role = roleById(ctx.params.roleId);
    return role ? json(200, roleDefinitionJson(role, scope)) : notFound(ctx.params.roleId);
  });

  addTenantRoute(router, arm, 'GET', new RegExp(`^\\/+providers\\/Microsoft\\.Authorization\\/roleDefinitions\\/(?<roleId>[^/]+)\\/?$`, 'i'), ({ ctx }) => {
    const role = roleById(ctx.params.roleId);
    return role ? json(200, roleDefinitionJson(role, '')) : notFound(ctx.params.roleId);
  });

  const permissions = (subscriptionId: string, oid: string) => json(200, { value: arm.assignments.permissionsOf(subscriptionId, oid) });
  addSubscriptionRoute(router, arm, 'GET', new RegExp(`${SUB}${AUTH}\\/permissions\\/?$`, 'i'), ({ caller, sub }) => permissions(sub.subscriptionId, caller.oid));
  addSubscriptionRoute(router, arm, 'GET', new RegExp(`${SUB}\\/resourceGroups\\/(?<resourceGroup>[^/]+)${AUTH}\\/permissions\\/?$`, 'i'), ({ ctx, caller, sub }) => {
    if (!arm.catalog.resourceGroup(sub.subscriptionId, ctx.params.resourceGroup)) return armError(404, 'ResourceGroupNotFound', `Resource group '${ctx.params.resourceGroup}' could not be found.`);
    return permissions(sub.subscriptionId, caller.oid);
  });
}

function notFound(id: string) {
  return armError(404, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${id}' does not exist.`);
}
