import type { World } from '../world/types.js';

/**
 * Whether `customerTenantId` is a customer of the partner whose tenant is `partnerTenantId` (a reseller
 * relationship with delegated admin rights, GDAP-style). The login service asks this before it lets a partner
 * user's refresh token be redeemed at a customer tenant (the CSP "double hop").
 */
export function isPartnerOf(world: World, partnerTenantId: string, customerTenantId: string): boolean {
  if (world.partner.tenantId.toLowerCase() !== partnerTenantId.toLowerCase()) return false;
  return world.partnerCustomers().some((c) => c.id.toLowerCase() === customerTenantId.toLowerCase());
}
