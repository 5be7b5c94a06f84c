import type { Router } from '../http/router.js';
import type { ServiceDeps } from '../deps.js';
import { ArmContext } from './context.js';
import { registerSubscriptions } from './subscriptions.js';
import { registerResources } from './resources.js';
import { registerTags } from './tags.js';
import { registerRoleAssignments } from './roleAssignments.js';
import { registerRoleDefinitions } from './roleDefinitions.js';
import { PalStore, registerPal } from './pal.js';
import { makeArmControl, registerArmControlRoutes, type ArmControl } from './control.js';

export type { ArmControl } from './control.js';
export { ROLE_IDS } from './roles.js';

/**
 * Azure Resource Manager on `router`: subscriptions, resources, tags, role assignments and definitions,
 * permissions and Partner Admin Link, with ARM's RBAC, throttling and error bodies. Returns its control.
 */
export function registerArm(router: Router, deps: ServiceDeps): ArmControl {
  const arm = new ArmContext(deps);
  const pal = new PalStore();
  registerSubscriptions(router, arm);
  registerResources(router, arm);
  registerTags(router, arm);
  registerRoleAssignments(router, arm);
  registerRoleDefinitions(router, arm);
  registerPal(router, arm, pal);
  const control = makeArmControl(arm, pal);
  registerArmControlRoutes(router, control);
  return control;
}
