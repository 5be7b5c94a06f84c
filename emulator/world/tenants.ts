import { guidFor, mix, Rng } from './prng.js';
import { ADMIN_NAMES, ORGS } from './pools.js';
import { tenantSkuKeys, type SkuKey } from './licences.js';
import { tenantSizes, type TenantSizes } from './sizes.js';
import type { TenantInfo, WorldSizes } from './types.js';

/** A named administrator: the first one is Global Admin and subscription Owner, the second is admin but owns nothing. */
export interface AdminSpec {
  givenName: string;
  surname: string;
  roles: string[];
  ownsSubscriptions: boolean;
}

/** Everything the generators need to know about one tenant; small and built eagerly. */
export interface TenantCtx {
  info: TenantInfo;
  position: number;
  /** Hash namespace for everything generated in this tenant. */
  key: number;
  orgName: string;
  initialDomain: string;
  primaryDomain: string;
  extraDomain: string;
  sizes: TenantSizes;
  skuKeys: SkuKey[];
  admins: AdminSpec[];
  /** When the tenant's directory was created (ISO, and as ms). */
  createdDateTime: string;
  createdMs: number;
}

/** Picks distinct organisations for the home tenant and the customers from the seed. */
function pickOrgs(seedKey: number, count: number): (typeof ORGS)[number][] {
  const rng = new Rng(mix(seedKey, 0x0e65));
  const pool = [...ORGS];
  const out: (typeof ORGS)[number][] = [];
  for (let i = 0; i < count; i++) {
    if (pool.length === 0) pool.push(...ORGS);
    out.push(pool.splice(rng.int(pool.length), 1)[0]);
  }
  return out;
}

export function buildTenants(seedKey: number, sizes: WorldSizes): TenantCtx[] {
  const count = 1 + sizes.customerTenants;
  const orgs = pickOrgs(seedKey, count);
  return orgs.map((org, position) => {
    const kind = position === 0 ? 'home' : 'customer';
    // Every tenant but the last customer has Entra ID P1 (via E5/EMS), so the no-P1 path is always present.
    const hasEntraP1 = position === 0 || position < count - 1;
    const suffix = position >= ORGS.length ? String(Math.floor(position / ORGS.length) + 1) : '';
    const initialDomain = `${org.domain.replace(/-/g, '')}${suffix}.onmicrosoft.com`;
    const primaryDomain = `${org.domain}${suffix}.com`;
    const extraDomain = `${org.extraDomain}${suffix}.com`;
    const id = guidFor(seedKey, 'tenant', position);
    const names = ADMIN_NAMES[position % ADMIN_NAMES.length];
    const admins: AdminSpec[] = names.slice(0, kind === 'home' ? 3 : 2).map(([givenName, surname], i) => ({
      givenName,
      surname,
      roles: i === 1 ? ['Global Administrator'] : ['Global Administrator', 'Privileged Role Administrator'],
      ownsSubscriptions: i !== 1,
    }));
    const rng = new Rng(mix(seedKey, 0x7e4a, position));
    const created = Date.UTC(2016 + rng.int(4), rng.int(12), 1 + rng.int(28), rng.int(24), rng.int(60));
    return {
      info: {
        id,
        displayName: org.name + (suffix ? ` ${suffix}` : ''),
        verifiedDomains: [
          { name: initialDomain, isDefault: false, isInitial: true },
          { name: primaryDomain, isDefault: true, isInitial: false },
          { name: extraDomain, isDefault: false, isInitial: false },
        ],
        kind,
        hasEntraP1,
        countryLetterCode: org.country,
      },
      position,
      key: mix(seedKey, 0x7e11a, position),
      orgName: org.name,
      initialDomain,
      primaryDomain,
      extraDomain,
      sizes: tenantSizes(sizes, kind),
      skuKeys: tenantSkuKeys(hasEntraP1),
      admins,
      createdDateTime: new Date(created).toISOString().replace(/\.\d+Z$/, 'Z'),
      createdMs: created,
    } satisfies TenantCtx;
  });
}
