/**
 * Azure built-in role definitions the emulator knows, with their real permissions
 * (learn.microsoft.com, "Azure built-in roles"), and ARM's action matching.
 */

export interface Permission {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

export interface BuiltInRole {
  id: string;
  roleName: string;
  description: string;
  permissions: Permission[];
}

export const ROLE_IDS = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  tagContributor: '4a9ae827-6dc8-4573-8ac7-8239d42aa03f',
  rbacAdministrator: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
} as const;

const perm = (actions: string[], notActions: string[] = []): Permission[] => [{ actions, notActions, dataActions: [], notDataActions: [] }];

export const BUILT_IN_ROLES: BuiltInRole[] = [
  {
    id: ROLE_IDS.owner,
    roleName: 'Owner',
    description: 'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.',
    permissions: perm(['*']),
  },
  {
    id: ROLE_IDS.contributor,
    roleName: 'Contributor',
    description: 'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.',
    permissions: perm(
      ['*'],
      [
        'Microsoft.Authorization/*/Delete',
        'Microsoft.Authorization/*/Write',
        'Microsoft.Authorization/elevateAccess/Action',
        'Microsoft.Blueprint/blueprintAssignments/write',
        'Microsoft.Blueprint/blueprintAssignments/delete',
        'Microsoft.Compute/galleries/share/action',
        'Microsoft.Purview/consents/write',
        'Microsoft.Purview/consents/delete',
        'Microsoft.Resources/deploymentStacks/manageDenySetting/action',
        'Microsoft.Subscription/cancel/action',
        'Microsoft.Subscription/enable/action',
      ],
    ),
  },
  {
    id: ROLE_IDS.reader,
    roleName: 'Reader',
    description: 'View all resources, but does not allow you to make any changes.',
    permissions: perm(['*/read']),
  },
  {
    id: ROLE_IDS.userAccessAdministrator,
    roleName: 'User Access Administrator',
    description: 'Lets you manage user access to Azure resources.',
    permissions: perm(['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*']),
  },
  {
    id: ROLE_IDS.rbacAdministrator,
    roleName: 'Role Based Access Control Administrator',
    description: 'Manage access to Azure resources by assigning roles using Azure RBAC. This role does not allow you to manage access using other ways, such as Azure Policy.',
    permissions: perm(['Microsoft.Authorization/roleAssignments/write', 'Microsoft.Authorization/roleAssignments/delete', '*/read', 'Microsoft.Support/*']),
  },
  {
    id: ROLE_IDS.tagContributor,
    roleName: 'Tag Contributor',
    description: 'Lets you manage tags on entities, without providing access to the entities themselves.',
    permissions: perm([
      'Microsoft.Authorization/*/read',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
      'Microsoft.Resources/subscriptions/resourceGroups/resources/read',
      'Microsoft.Resources/subscriptions/resources/read',
      'Microsoft.Resources/deployments/*',
      'Microsoft.Insights/alertRules/*',
      'Microsoft.Support/*',
      'Microsoft.Resources/tags/*',
    ]),
  },
];

/** Built-in roles were created long ago; ARM reports fixed dates for them. */
export const BUILT_IN_CREATED_ON = '2015-02-02T21:55:09.8806423Z';

export function roleById(id: string): BuiltInRole | undefined {
  const guid = id.toLowerCase().split('/').pop() ?? '';
  return BUILT_IN_ROLES.find((r) => r.id === guid);
}

/** `*` matches any run of characters, case-insensitively, as in ARM's action strings. */
function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(escapeRe).join('.*')}$`, 'i');
  return re.test(action);
}

function escapeRe(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\/]/g, '\\$&');
}

/** Whether one role's permission block grants `action`: some action matches and no notAction does. */
export function permissionAllows(p: Permission, action: string): boolean {
  return p.actions.some((a) => actionMatches(a, action)) && !p.notActions.some((n) => actionMatches(n, action));
}
