import type { WorldSizes } from './types.js';

/** Per-tenant sizes (everything in WorldSizes except the tenant count and overrides). */
export type TenantSizes = Omit<WorldSizes, 'customerTenants' | 'customer'>;

const DEMO_TENANT: TenantSizes = {
  usersPerTenant: 40,
  groupsPerTenant: 6,
  servicePrincipalsPerTenant: 8,
  signInsPerTenant: 400,
  subscriptionsPerTenant: 3,
  resourcesPerSubscription: 45,
};

/** demo: home + 2 customers with tens of users. Customers have 2 subscriptions each. */
export const DEMO_SIZES: WorldSizes = {
  customerTenants: 2,
  ...DEMO_TENANT,
  customer: { subscriptionsPerTenant: 2 },
};

/** bench: the home tenant holds 100k users, 1M sign-ins and 50k resources over 20 subscriptions; customers stay demo-sized. */
export const BENCH_SIZES: WorldSizes = {
  customerTenants: 2,
  usersPerTenant: 100_000,
  groupsPerTenant: 20,
  servicePrincipalsPerTenant: 8,
  signInsPerTenant: 1_000_000,
  subscriptionsPerTenant: 20,
  resourcesPerSubscription: 2_500,
  customer: { ...DEMO_TENANT, subscriptionsPerTenant: 2 },
};

export function resolveSizes(size: 'demo' | 'bench' | Partial<WorldSizes> | undefined): WorldSizes {
  if (size === undefined || size === 'demo') return DEMO_SIZES;
  if (size === 'bench') return BENCH_SIZES;
  return { ...DEMO_SIZES, customer: undefined, ...size };
}

export function tenantSizes(sizes: WorldSizes, kind: 'home' | 'customer'): TenantSizes {
  const { customerTenants: _n, customer, ...base } = sizes;
  const merged = kind === 'customer' ? { ...base, ...customer } : base;
  // Room for the named admins and the group/app templates.
  return { ...merged, usersPerTenant: Math.max(merged.usersPerTenant, 3), servicePrincipalsPerTenant: Math.max(merged.servicePrincipalsPerTenant, 2) };
}
