import { guidFor, hex, mix, Rng } from './prng.js';
import type { TenantCtx } from './tenants.js';
import type { AzureResource, AzureSubscription } from './types.js';

const SUB_NAMES = ['Production', 'Development', 'Sandbox', 'Shared Services', 'Data Platform', 'Analytics'];
const RG_NAMES = ['rg-prod-web', 'rg-prod-data', 'rg-shared-network', 'rg-dev-apps', 'rg-analytics', 'rg-identity', 'NetworkWatcherRG'];
const LOCATIONS = ['westeurope', 'northeurope', 'eastus', 'eastus2', 'westus2', 'uksouth', 'germanywestcentral'];
const ENVS = ['prod', 'dev', 'test', 'staging'];
const COST_CENTERS = ['CC-1001', 'CC-1010', 'CC-1020', 'CC-1035', 'CC-2040', 'CC-3050'];
const APPS = ['webshop', 'crm', 'payroll', 'datalake', 'intranet', 'billing'];

const TYPES: { type: string; prefix: string; compact?: boolean }[] = [
  { type: 'Microsoft.Compute/virtualMachines', prefix: 'vm' },
  { type: 'Microsoft.Compute/disks', prefix: 'disk' },
  { type: 'Microsoft.Storage/storageAccounts', prefix: 'st', compact: true },
  { type: 'Microsoft.Network/virtualNetworks', prefix: 'vnet' },
  { type: 'Microsoft.Network/publicIPAddresses', prefix: 'pip' },
  { type: 'Microsoft.Network/networkSecurityGroups', prefix: 'nsg' },
  { type: 'Microsoft.Web/sites', prefix: 'app' },
  { type: 'Microsoft.Web/serverFarms', prefix: 'plan' },
  { type: 'Microsoft.Sql/servers', prefix: 'sql' },
  { type: 'Microsoft.KeyVault/vaults', prefix: 'kv' },
];

/**
 * Subscriptions of a tenant. Owners: the first admin owns all; in the home tenant the third admin (the approver)
 * owns the first two as well; the second admin owns none (the "skipped: not owner" case).
 */
/** `delegateId`: a non-admin user who holds User Access Administrator on the last subscription. */
export function buildSubscriptions(t: TenantCtx, adminIds: string[], delegateId: string | undefined): AzureSubscription[] {
  const out: AzureSubscription[] = [];
  for (let s = 0; s < t.sizes.subscriptionsPerTenant; s++) {
    const rng = new Rng(mix(t.key, 0x5b, s));
    const rgCount = 3 + rng.int(3);
    const start = rng.int(RG_NAMES.length);
    const ownerIds = [adminIds[0]];
    if (t.info.kind === 'home' && s < 2 && adminIds[2]) ownerIds.push(adminIds[2]);
    out.push({
      tenantId: t.info.id,
      subscriptionId: guidFor(t.key, 'subscription', s),
      displayName: `${t.orgName} ${SUB_NAMES[s % SUB_NAMES.length]}${s >= SUB_NAMES.length ? ` ${Math.floor(s / SUB_NAMES.length) + 1}` : ''}`,
      state: 'Enabled',
      ownerIds,
      userAccessAdminIds: s === t.sizes.subscriptionsPerTenant - 1 && s > 0 && delegateId ? [delegateId] : [],
      resourceGroups: Array.from({ length: rgCount }, (_, i) => RG_NAMES[(start + i) % RG_NAMES.length]),
      resourceCount: t.sizes.resourcesPerSubscription,
    });
  }
  return out;
}

/** Resource `index` of a subscription: a pure function, so 50k resources cost nothing until listed. */
export function resourceAt(t: TenantCtx, sub: AzureSubscription, subPosition: number, index: number): AzureResource | undefined {
  if (index < 0 || index >= sub.resourceCount) return undefined;
  const rng = new Rng(mix(t.key, 0x4e5, subPosition, index));
  const kind = TYPES[rng.int(TYPES.length)];
  const rg = sub.resourceGroups[rng.int(sub.resourceGroups.length)];
  const env = rng.pick(ENVS);
  const app = rng.pick(APPS);
  const suffix = String(index).padStart(4, '0');
  const name = kind.compact ? `st${app}${env}${hex(mix(t.key, subPosition, index), 6)}`.slice(0, 24) : `${kind.prefix}-${app}-${env}-${suffix}`;
  const tagged = rng.next();
  const tags: Record<string, string> = {};
  if (tagged < 0.7) {
    tags.env = env;
    tags.costCenter = rng.pick(COST_CENTERS);
    if (rng.chance(0.6)) tags.app = app;
  } else if (tagged < 0.8) tags.env = env;
  return {
    id: `/subscriptions/${sub.subscriptionId}/resourceGroups/${rg}/providers/${kind.type}/${name}`,
    name,
    type: kind.type,
    location: rg === 'NetworkWatcherRG' ? 'westeurope' : rng.pick(LOCATIONS),
    resourceGroup: rg,
    tags,
  };
}
