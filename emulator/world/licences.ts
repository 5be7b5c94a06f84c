import { mix } from './prng.js';
import type { SubscribedSku } from './types.js';

/** Microsoft's real SKU and service-plan ids, so anything keyed on them (price lists, names) behaves as in production. */
interface PlanDef {
  id: string;
  name: string;
  /** The `service` of organization.assignedPlans. */
  service: string;
}

const P = {
  exchange: { id: 'efb87545-963c-4e0d-99df-69c6916d9eb0', name: 'EXCHANGE_S_ENTERPRISE', service: 'exchange' },
  sharepoint: { id: '5dbe027f-2339-4123-9542-606e4d348a72', name: 'SHAREPOINTENTERPRISE', service: 'SharePoint' },
  office: { id: '43de0ff5-c92c-492b-9116-175376d08c38', name: 'OFFICESUBSCRIPTION', service: 'MicrosoftOffice' },
  teams: { id: '57ff2da0-773e-42df-b2af-ffb7a2317929', name: 'TEAMS1', service: 'TeamspaceAPI' },
  yammer: { id: '7547a3fe-08ee-4ccb-b430-5077c5041653', name: 'YAMMER_ENTERPRISE', service: 'YammerEnterprise' },
  aadP1: { id: '41781fb2-bc02-4b7c-bd55-b576c07bb09d', name: 'AAD_PREMIUM', service: 'AADPremiumService' },
  aadP2: { id: 'eec0eb4f-6444-4f95-aba0-50c24d67f998', name: 'AAD_PREMIUM_P2', service: 'AADPremiumService' },
  intune: { id: 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5', name: 'INTUNE_A', service: 'SCO' },
  rms: { id: '6c57d4b6-3b23-47a5-9bc9-69f17b4947b3', name: 'RMS_S_PREMIUM', service: 'RMSOnline' },
  mfa: { id: '8a256a2b-b617-496d-b51b-e76466e88db0', name: 'MFA_PREMIUM', service: 'MultiFactorService' },
  phone: { id: '4828c8ec-dc2e-4779-b502-87ac9ce28ab7', name: 'MCOEV', service: 'MicrosoftCommunicationsOnline' },
  biPro: { id: '70d33638-9c74-4d01-bfd3-562de28bd4ba', name: 'BI_AZURE_P2', service: 'ProcessSimple' },
  biFree: { id: '2049e525-b859-401b-b2a0-e0a31c4b1fe4', name: 'BI_AZURE_P0', service: 'ProcessSimple' },
  foundation: { id: '113feb6c-3fe4-4440-bddc-54d774bf0318', name: 'EXCHANGE_S_FOUNDATION', service: 'exchange' },
  visio: { id: '663a804f-1c30-4ff0-9915-9db84f0d1cea', name: 'VISIO_CLIENT_SUBSCRIPTION', service: 'Visio' },
  visioOnline: { id: '2bdbaf8f-738f-4ac7-9234-3c3ee2ce7d0f', name: 'VISIOONLINE', service: 'SharePoint' },
  project: { id: 'fafd7243-e5c1-4a3a-9e40-495efcb1d3c3', name: 'PROJECT_CLIENT_SUBSCRIPTION', service: 'ProjectProgramsAndPortfolios' },
  projectOnline: { id: 'fe71d6c3-a2ea-4499-9778-da042bf08063', name: 'SHAREPOINT_PROJECT', service: 'ProjectWorkManagement' },
} satisfies Record<string, PlanDef>;

export interface SkuDef {
  skuId: string;
  skuPartNumber: string;
  /** Product name as the admin centre shows it. */
  productName: string;
  plans: PlanDef[];
}

export const SKUS = {
  E3: { skuId: '6fd2c87f-b296-42f0-b197-1e91e994b900', skuPartNumber: 'ENTERPRISEPACK', productName: 'Office 365 E3', plans: [P.exchange, P.sharepoint, P.office, P.teams, P.yammer] },
  E5: { skuId: '06ebc4ee-1bb5-47dd-8120-11324bc54e06', skuPartNumber: 'SPE_E5', productName: 'Microsoft 365 E5', plans: [P.exchange, P.sharepoint, P.office, P.teams, P.aadP1, P.aadP2, P.intune, P.phone, P.biPro] },
  EMS: { skuId: 'efccb6f7-5641-4e0e-bd10-b4976e1bf68e', skuPartNumber: 'EMS', productName: 'Enterprise Mobility + Security E3', plans: [P.aadP1, P.intune, P.rms, P.mfa] },
  PBI: { skuId: 'a403ebcc-fae0-4ca2-8c8c-7a907fd6c235', skuPartNumber: 'POWER_BI_STANDARD', productName: 'Microsoft Fabric (Free)', plans: [P.biFree, P.foundation] },
  VISIO: { skuId: 'c5928f49-12ba-48f7-ada3-0d743a3601d5', skuPartNumber: 'VISIOCLIENT', productName: 'Visio Plan 2', plans: [P.visio, P.visioOnline] },
  PROJECT: { skuId: '09015f9f-377f-4538-bbb5-f75ceb09358a', skuPartNumber: 'PROJECTPREMIUM', productName: 'Project Plan 5', plans: [P.project, P.projectOnline] },
} satisfies Record<string, SkuDef>;

export type SkuKey = keyof typeof SKUS;

/** Which SKUs a tenant owns: tenants with Entra P1 have E5 and EMS; the last customer has neither. */
export function tenantSkuKeys(hasEntraP1: boolean): SkuKey[] {
  return hasEntraP1 ? ['E3', 'E5', 'EMS', 'PBI', 'VISIO', 'PROJECT'] : ['E3', 'PBI', 'VISIO'];
}

const LICENCE_SALT = 0x11ce;

/**
 * The licences a generated member holds, as a pure function of its index: cheap enough to count over 100k users.
 * Guests never hold licences; admins hold the top SKU.
 */
export function baseLicenceKeys(tenantKey: number, index: number, isAdmin: boolean, hasEntraP1: boolean): SkuKey[] {
  if (isAdmin) return hasEntraP1 ? ['E5'] : ['E3'];
  const r = mix(tenantKey, LICENCE_SALT, index) % 100;
  if (r < 45) return hasEntraP1 && r % 3 === 0 ? ['E3', 'EMS'] : ['E3'];
  if (r < 60) return hasEntraP1 ? ['E5'] : ['E3'];
  if (r < 72) return ['E3', 'PBI'];
  if (r < 78) return ['PBI'];
  return [];
}

export function skuKeyById(skuId: string): SkuKey | undefined {
  return (Object.keys(SKUS) as SkuKey[]).find((k) => SKUS[k].skuId === skuId);
}

/**
 * A subscribedSku as Graph returns it. Prepaid units are fixed at creation with headroom; if mutations push
 * consumption past them, the enabled count follows (as if the admin bought more), because Graph never reports
 * consumed > enabled for an Enabled SKU.
 */
export function subscribedSku(tenantId: string, key: SkuKey, consumed: number, baseConsumed: number): SubscribedSku {
  const def = SKUS[key];
  const prepaid = { enabled: Math.max(consumed, Math.ceil(baseConsumed * 1.1) + 5), suspended: 0, warning: 0, lockedOut: 0 };
  let capabilityStatus: SubscribedSku['capabilityStatus'] = 'Enabled';
  if (key === 'VISIO') prepaid.enabled = Math.max(consumed, 10);
  if (key === 'PROJECT') {
    capabilityStatus = 'Warning';
    prepaid.enabled = consumed;
    prepaid.warning = 5;
  }
  if (key === 'EMS') prepaid.suspended = 10;
  return {
    id: `${tenantId}_${def.skuId}`,
    skuId: def.skuId,
    skuPartNumber: def.skuPartNumber,
    capabilityStatus,
    appliesTo: 'User',
    consumedUnits: consumed,
    prepaidUnits: prepaid,
    servicePlans: def.plans.map((p) => ({ servicePlanId: p.id, servicePlanName: p.name, provisioningStatus: 'Success', appliesTo: 'User' })),
  };
}

/** organization.assignedPlans for a tenant's SKUs (deduplicated by plan). */
export function assignedPlans(keys: SkuKey[], assignedDateTime: string): { assignedDateTime: string; capabilityStatus: string; service: string; servicePlanId: string }[] {
  const seen = new Map<string, { assignedDateTime: string; capabilityStatus: string; service: string; servicePlanId: string }>();
  for (const k of keys)
    for (const p of SKUS[k].plans) if (!seen.has(p.id)) seen.set(p.id, { assignedDateTime, capabilityStatus: 'Enabled', service: p.service, servicePlanId: p.id });
  return [...seen.values()];
}
