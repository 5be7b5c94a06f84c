import { assignedPlans } from './licences.js';
import { PLACES } from './pools.js';
import type { TenantCtx } from './tenants.js';
import type { Organization } from './types.js';

/** Graph's `organization` for a tenant; its plans follow the tenant's SKUs (AAD_PREMIUM only with Entra P1). */
export function buildOrganization(t: TenantCtx): Organization {
  const place = PLACES.find((p) => p.usageLocation === t.info.countryLetterCode) ?? PLACES[0];
  const plans = assignedPlans(t.skuKeys, t.createdDateTime);
  return {
    id: t.info.id,
    displayName: t.info.displayName,
    tenantType: 'AAD',
    countryLetterCode: t.info.countryLetterCode,
    createdDateTime: t.createdDateTime,
    city: place.city,
    country: place.country,
    postalCode: place.postalCode,
    state: place.state,
    street: `1 ${place.streets[0]}`,
    preferredLanguage: place.preferredLanguage.startsWith('en') ? 'en' : place.preferredLanguage.slice(0, 2),
    businessPhones: ['+1 425 555 0100'],
    technicalNotificationMails: [`it@${t.primaryDomain}`],
    onPremisesSyncEnabled: null,
    verifiedDomains: t.info.verifiedDomains.map((d) => ({
      capabilities: d.isInitial ? 'Email, OfficeCommunicationsOnline' : 'Email',
      isDefault: d.isDefault,
      isInitial: d.isInitial,
      name: d.name,
      type: 'Managed' as const,
    })),
    assignedPlans: plans,
    provisionedPlans: [...new Set(plans.map((p) => p.service))].map((service) => ({ capabilityStatus: 'Enabled', provisioningStatus: 'Success', service })),
  };
}
