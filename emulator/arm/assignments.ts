import type { World } from './../world/types.js';
import { ROLE_IDS, roleById, type Permission } from './roles.js';
import { stableGuid } from './ids.js';

export type PrincipalType = 'User' | 'Group' | 'ServicePrincipal' | 'ForeignGroup' | 'Device';

/** A role assignment at subscription scope, as ARM stores it. */
export interface RoleAssignment {
  /** The assignment's name (a GUID), lower-case. */
  name: string;
  subscriptionId: string;
  /** Role definition GUID, lower-case. */
  roleDefinitionGuid: string;
  principalId: string;
  principalType: PrincipalType;
  createdOn: string;
  updatedOn: string;
  createdBy: string | null;
  updatedBy: string | null;
  description: string | null;
}

/**
 * Role assignments per subscription. A subscription's initial assignments (world owners and User Access
 * Administrators) are created the first time it is touched, so a large world costs nothing until used.
 */
export class RoleAssignmentStore {
  private readonly bySubscription = new Map<string, Map<string, RoleAssignment>>();

  constructor(private readonly world: World, private readonly now: () => number) {}

  list(subscriptionId: string): RoleAssignment[] {
    return [...this.forSubscription(subscriptionId).values()];
  }

  get(subscriptionId: string, name: string): RoleAssignment | undefined {
    return this.forSubscription(subscriptionId).get(name.toLowerCase());
  }

  /** The assignment with the same principal and role, whatever its name. */
  findEquivalent(subscriptionId: string, principalId: string, roleDefinitionGuid: string): RoleAssignment | undefined {
    return this.list(subscriptionId).find((a) => a.principalId.toLowerCase() === principalId.toLowerCase() && a.roleDefinitionGuid === roleDefinitionGuid.toLowerCase());
  }

  add(a: Omit<RoleAssignment, 'createdOn' | 'updatedOn'>): RoleAssignment {
    const at = new Date(this.now()).toISOString();
    const stored: RoleAssignment = { ...a, name: a.name.toLowerCase(), roleDefinitionGuid: a.roleDefinitionGuid.toLowerCase(), createdOn: at, updatedOn: at };
    this.forSubscription(a.subscriptionId).set(stored.name, stored);
    return stored;
  }

  remove(subscriptionId: string, name: string): RoleAssignment | undefined {
    const map = this.forSubscription(subscriptionId);
    const found = map.get(name.toLowerCase());
    if (found) map.delete(found.name);
    return found;
  }

  /** Everything the principal may do in the subscription: one permission block per assignment, as ARM lists them. */
  permissionsOf(subscriptionId: string, principalId: string): Permission[] {
    const pid = principalId.toLowerCase();
    return this.list(subscriptionId)
      .filter((a) => a.principalId.toLowerCase() === pid)
      .flatMap((a) => roleById(a.roleDefinitionGuid)?.permissions ?? []);
  }

  hasAnyRole(subscriptionId: string, principalId: string): boolean {
    const pid = principalId.toLowerCase();
    return this.list(subscriptionId).some((a) => a.principalId.toLowerCase() === pid);
  }

  private forSubscription(subscriptionId: string): Map<string, RoleAssignment> {
    const key = subscriptionId.toLowerCase();
    let map = this.bySubscription.get(key);
    if (!map) {
      map = new Map();
      this.bySubscription.set(key, map);
      this.seed(key, map);
    }
    return map;
  }

  private seed(subscriptionId: string, map: Map<string, RoleAssignment>): void {
    const sub = this.world.azureSubscription(subscriptionId);
    if (!sub) return;
    const createdOn = '2023-01-01T00:00:00.0000000Z';
    const seedOne = (principalId: string, role: string) => {
      const name = stableGuid(`${sub.subscriptionId}/${principalId}/${role}`);
      map.set(name, { name, subscriptionId: sub.subscriptionId, roleDefinitionGuid: role, principalId, principalType: 'User', createdOn, updatedOn: createdOn, createdBy: null, updatedBy: null, description: null });
    };
    for (const id of sub.ownerIds) seedOne(id, ROLE_IDS.owner);
    for (const id of sub.userAccessAdminIds) seedOne(id, ROLE_IDS.userAccessAdministrator);
  }
}
