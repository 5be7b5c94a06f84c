import type { Router } from '../http/router.js';
import type { ServiceDeps } from '../deps.js';
import { registerUsers } from './users.js';
import { registerDelta } from './delta.js';
import { registerDirectory } from './directory.js';
import { registerSignIns } from './signins.js';
import { registerReports } from './reports.js';
import { registerApplications } from './applications.js';

/** Programmatic control of Graph-only behaviour (directory changes and concealed names are in the core control). */
export interface GraphControl {
  /**
   * Turns a tenant's Entra ID P1 on or off as far as auditLogs/signIns is concerned (off: 403 premium-licence error).
   * `null` returns to what the world says.
   */
  setEntraP1(tenantId: string, on: boolean | null): void;
}

/**
 * Microsoft Graph v1.0 on `router`: users (+delta, $count), organization, subscribedSkus, servicePrincipals and
 * appRoleAssignedTo, groups and (transitive) members, auditLogs/signIns, admin/reportSettings, the Office 365 active
 * user report, and applications. Bearer auth and per-endpoint permissions as Graph enforces them.
 */
export function registerGraph(router: Router, deps: ServiceDeps): GraphControl {
  const premium = new Map<string, boolean>();
  const hasPremium = (tenantId: string) => premium.get(tenantId) ?? deps.world.tenant(tenantId)?.hasEntraP1 ?? false;
  // users/delta before users/{id}: both match /users/delta.
  registerDelta(router, deps);
  registerUsers(router, deps);
  registerDirectory(router, deps);
  registerSignIns(router, deps, hasPremium);
  registerReports(router, deps);
  registerApplications(router, deps);
  return {
    setEntraP1(tenantId, on) {
      const t = deps.world.tenant(tenantId);
      if (!t) throw new Error(`unknown tenant ${tenantId}`);
      if (on === null) premium.delete(t.id);
      else premium.set(t.id, on);
    },
  };
}
