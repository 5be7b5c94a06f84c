/**
 * Seed 003's four integration tasks: what each stores, the Graph endpoints it reads and the application
 * permissions it needs (exactly as the seed lists them).
 */

export const SAAS_TASKS = ['hrRoster', 'appDiscovery', 'ssoRoster', 'ssoAccess'] as const;
export type SaasTask = (typeof SAAS_TASKS)[number];

export interface TaskInfo {
  label: string;
  /** The application permissions the seed requires, all of them. */
  permissions: string[];
  /** Other roles Graph accepts in place of a required one (a ReadWrite or a wider read). */
  alternatives: Record<string, string[]>;
  endpoints: string[];
  stores: string;
  /** Needs an Entra ID P1 (or P2) licence in the tenant: auditLogs/signIns answers 403 without one. */
  needsP1?: boolean;
}

export const TASK_INFO: Record<SaasTask, TaskInfo> = {
  hrRoster: {
    label: 'HR Roster',
    permissions: ['User.Read.All'],
    alternatives: { 'User.Read.All': ['User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] },
    endpoints: ['/v1.0/users'],
    stores: 'user id, email, email aliases, first and last name, active date, department, location',
  },
  appDiscovery: {
    label: 'Application Discovery',
    permissions: ['Application.Read.All', 'Organization.Read.All'],
    alternatives: {
      'Application.Read.All': ['Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
      'Organization.Read.All': ['Organization.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    },
    endpoints: ['/v1.0/servicePrincipals', '/v1.0/organization'],
    stores: 'application id, name, instance id, open_access, publisher, oauth2 integration; the organization',
  },
  ssoRoster: {
    label: 'SSO Application Roster',
    permissions: ['Application.Read.All', 'GroupMember.Read.All'],
    alternatives: {
      'Application.Read.All': ['Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
      'GroupMember.Read.All': ['Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    },
    endpoints: ['/v1.0/servicePrincipals/{id}/appRoleAssignedTo', '/v1.0/groups/{id}/members'],
    stores: 'per app: the users assigned directly or through groups (email, first and last name, active date)',
  },
  ssoAccess: {
    label: 'SSO Application Access',
    // Microsoft's List signIns needs both; the seed warns the integration fails without consent to both.
    permissions: ['AuditLog.Read.All', 'Directory.Read.All'],
    alternatives: { 'Directory.Read.All': ['Directory.ReadWrite.All'] },
    endpoints: ['/v1.0/auditLogs/signIns'],
    stores: 'per user and app: last login and login location',
    needsP1: true,
  },
};

/** Every permission any task needs, in seed order, once. */
export function allTaskPermissions(tasks: readonly SaasTask[] = SAAS_TASKS): string[] {
  return [...new Set(tasks.flatMap((t) => TASK_INFO[t].permissions))];
}

export function isSaasTask(value: unknown): value is SaasTask {
  return typeof value === 'string' && (SAAS_TASKS as readonly string[]).includes(value);
}
