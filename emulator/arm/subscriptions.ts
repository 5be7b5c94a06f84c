import type { Router } from '../http/router.js';
import { json } from '../http/router.js';
import type { AzureSubscription } from '../world/types.js';
import { addSubscriptionRoute, addTenantRoute, authorizationFailed, type ArmContext } from './context.js';

/** The Subscription object of api-version 2022-12-01 (SubscriptionClient). */
export function subscriptionJson(sub: AzureSubscription): Record<string, unknown> {
  return {
    id: `/subscriptions/${sub.subscriptionId}`,
    authorizationSource: 'RoleBased',
    managedByTenants: [],
    subscriptionId: sub.subscriptionId,
    tenantId: sub.tenantId,
    displayName: sub.displayName,
    state: sub.state,
    subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
  };
}

/**
 * `GET /subscriptions` lists the subscriptions of the token's tenant where the caller holds any role,
 * as ARM does; `GET /subscriptions/{id}` answers 403 to a caller without one.
 */
export function registerSubscriptions(router: Router, arm: ArmContext): void {
  addTenantRoute(router, arm, 'GET', /^\/+subscriptions\/?$/i, ({ caller }) => {
    const visible = arm.deps.world.azureSubscriptions(caller.tenantId).filter((s) => arm.assignments.hasAnyRole(s.subscriptionId, caller.oid));
    return json(200, { value: visible.map(subscriptionJson), count: { type: 'Total', value: visible.length } });
  });

  addSubscriptionRoute(router, arm, 'GET', /^\/+subscriptions\/(?<subscriptionId>[^/]+)\/?$/i, ({ caller, sub }) => {
    if (!arm.assignments.hasAnyRole(sub.subscriptionId, caller.oid)) return authorizationFailed(caller, 'Microsoft.Resources/subscriptions/read', `/subscriptions/${sub.subscriptionId}`);
    return json(200, subscriptionJson(sub));
  });
}
