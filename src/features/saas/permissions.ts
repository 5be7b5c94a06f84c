import { decodeJwt } from 'jose';
import { TASK_INFO, type SaasTask } from './tasks.js';

/** The Graph application permissions an app-only access token carries (its `roles` claim). */
export function rolesOfToken(accessToken: string): string[] {
  const roles = decodeJwt(accessToken).roles;
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
}

export interface PermissionCheck {
  task: SaasTask;
  /** Required permissions the token holds neither directly nor through an accepted alternative. */
  missing: string[];
  /** Required permission → the alternative role that covers it, when the exact one is absent. */
  coveredBy: Record<string, string>;
}

/** Which of a task's required permissions the roles lack (pure: the doctor's arithmetic). */
export function checkTaskPermissions(task: SaasTask, roles: readonly string[]): PermissionCheck {
  const held = new Set(roles);
  const info = TASK_INFO[task];
  const missing: string[] = [];
  const coveredBy: Record<string, string> = {};
  for (const permission of info.permissions) {
    if (held.has(permission)) continue;
    const alternative = (info.alternatives[permission] ?? []).find((a) => held.has(a));
    if (alternative) coveredBy[permission] = alternative;
    else missing.push(permission);
  }
  return { task, missing, coveredBy };
}

/**
 * The admin-consent URL (v1 form) for the customer's app registration in its tenant. Admin consent grants the
 * permissions configured on the registration, so a missing permission must be added under API permissions first.
 */
export function adminConsentLink(authorityHost: string, tenantId: string, clientId: string): string {
  return `${authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(tenantId)}/adminconsent?client_id=${encodeURIComponent(clientId)}`;
}

