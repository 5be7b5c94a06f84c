import type { TenantInfo, World } from '../world/types.js';

/** What the `{tenant}` path segment names: one tenant, or a multi-tenant alias. */
export type TenantSegment = { kind: 'tenant'; tenant: TenantInfo; segment: string } | { kind: 'common' | 'organizations'; segment: string };

/** Resolves a GUID, a verified domain, `common` or `organizations`; undefined means AADSTS90002. */
export function resolveTenant(world: World, segment: string): TenantSegment | undefined {
  const s = segment.toLowerCase();
  if (s === 'common' || s === 'organizations') return { kind: s, segment: s };
  const byId = world.tenant(s);
  if (byId) return { kind: 'tenant', tenant: byId, segment };
  const byDomain = world.tenants().find((t) => t.verifiedDomains.some((d) => d.name.toLowerCase() === s));
  return byDomain ? { kind: 'tenant', tenant: byDomain, segment } : undefined;
}

/** The tenant whose verified domain a UPN belongs to. */
export function tenantOfUpn(world: World, upn: string): TenantInfo | undefined {
  const domain = upn.split('@')[1]?.toLowerCase();
  if (!domain) return undefined;
  return world.tenants().find((t) => t.verifiedDomains.some((d) => d.name.toLowerCase() === domain));
}

export function unknownTenantMessage(segment: string): string {
  return `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`;
}

/** Tenant ids the segment allows signing in to (a specific tenant, or every tenant for the aliases). */
export function tenantsFor(world: World, seg: TenantSegment): TenantInfo[] {
  return seg.kind === 'tenant' ? [seg.tenant] : world.tenants();
}
