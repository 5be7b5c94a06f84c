import { formatGuid, mix, permute32, Rng, unpermute32 } from './prng.js';
import { DEPARTMENTS, GIVEN_NAMES, GUEST_ORGS, JOB_TITLES, PLACES, SURNAMES, type Place } from './pools.js';
import { baseLicenceKeys, SKUS, type SkuKey } from './licences.js';
import type { TenantCtx } from './tenants.js';
import type { GraphUser } from './types.js';

/**
 * Users as a pure function of (tenant, index). Index 0..admins-1 are the named admins; the rest get a unique
 * name from a keyed affine permutation of the name grid, so both the id and the UPN decode back to the index
 * without any table (a 100k-user tenant holds no per-user memory).
 */

const GUEST_SALT = 0x6e57;
const USER_SALT = 0x05e2;
const NAME_GRID = GIVEN_NAMES.length * SURNAMES.length;
const MULTIPLIERS = [7919, 7927, 7933, 7937, 6151, 3079, 1543];
const EPOCH_END = Date.UTC(2025, 0, 1);

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function modInverse(a: number, n: number): number {
  let [t, newT, r, newR] = [0, 1, n, a];
  while (newR !== 0) {
    const q = Math.floor(r / newR);
    [t, newT] = [newT, t - q * newT];
    [r, newR] = [newR, r - q * newR];
  }
  return ((t % n) + n) % n;
}

/** Per-tenant constants of the name permutation. */
export interface NameKey {
  a: number;
  aInv: number;
  b: number;
}

export function nameKey(t: TenantCtx): NameKey {
  const candidates = MULTIPLIERS.filter((m) => gcd(m, NAME_GRID) === 1);
  const a = candidates[t.key % candidates.length];
  return { a, aInv: modInverse(a, NAME_GRID), b: t.key % NAME_GRID };
}

export function isAdminIndex(t: TenantCtx, index: number): boolean {
  return index < t.admins.length;
}

export function isGuestIndex(t: TenantCtx, index: number): boolean {
  return !isAdminIndex(t, index) && mix(t.key, GUEST_SALT, index) % 100 < 8;
}

/** The base licences of a user slot; cheap, used to count consumedUnits without generating users. */
export function licenceKeysAt(t: TenantCtx, index: number): SkuKey[] {
  if (isGuestIndex(t, index)) return [];
  return baseLicenceKeys(t.key, index, isAdminIndex(t, index), t.info.hasEntraP1);
}

export function userIdAt(t: TenantCtx, index: number): string {
  const r = new Rng(mix(t.key, 0x1d, index));
  return formatGuid(r.u32(), r.u32(), r.u32(), permute32(t.key, index));
}

/** The index an id encodes, if it is one of this tenant's user ids. */
export function indexFromUserId(t: TenantCtx, id: string): number | undefined {
  const m = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}([0-9a-f]{8})$/i.exec(id);
  if (!m) return undefined;
  const index = unpermute32(t.key, parseInt(m[1], 16));
  return userIdAt(t, index) === id.toLowerCase() ? index : undefined;
}

function nameAt(t: TenantCtx, nk: NameKey, index: number): { given: string; surname: string; local: string } {
  if (isAdminIndex(t, index)) {
    const a = t.admins[index];
    return { given: a.givenName, surname: a.surname, local: `${a.givenName}.${a.surname}`.toLowerCase() };
  }
  const j = index - t.admins.length;
  const c = (nk.a * (j % NAME_GRID) + nk.b) % NAME_GRID;
  const given = GIVEN_NAMES[Math.floor(c / SURNAMES.length)];
  const surname = SURNAMES[c % SURNAMES.length];
  const round = Math.floor(j / NAME_GRID);
  return { given, surname, local: `${given}.${surname}${round > 0 ? round + 1 : ''}`.toLowerCase() };
}

/** The index a UPN's local part encodes (before verification against the generated user). */
export function indexFromUpn(t: TenantCtx, nk: NameKey, upn: string): number | undefined {
  const lower = upn.toLowerCase();
  let local = lower.split('@')[0];
  if (lower.includes('#ext#')) local = local.slice(0, local.lastIndexOf('_'));
  const adminIndex = t.admins.findIndex((a) => `${a.givenName}.${a.surname}`.toLowerCase() === local);
  if (adminIndex >= 0) return adminIndex;
  const m = /^([a-z]+)\.([a-z]+?)(\d*)$/.exec(local);
  if (!m) return undefined;
  const gi = GIVEN_INDEX.get(m[1]);
  const si = SURNAME_INDEX.get(m[2]);
  if (gi === undefined || si === undefined) return undefined;
  const round = m[3] ? Number(m[3]) - 1 : 0;
  if (round < 0 || (m[3] && round === 0)) return undefined;
  const c = gi * SURNAMES.length + si;
  const jMod = (nk.aInv * (((c - nk.b) % NAME_GRID) + NAME_GRID)) % NAME_GRID;
  return t.admins.length + round * NAME_GRID + jMod;
}

const PLACES_BY_COUNTRY = new Map<string, Place[]>();
for (const p of PLACES) PLACES_BY_COUNTRY.set(p.usageLocation, [...(PLACES_BY_COUNTRY.get(p.usageLocation) ?? []), p]);
const GIVEN_INDEX = new Map<string, number>(GIVEN_NAMES.map((g, i) => [g.toLowerCase(), i]));
const SURNAME_INDEX = new Map<string, number>(SURNAMES.map((s, i) => [s.toLowerCase(), i]));

function placeFor(t: TenantCtx, rng: Rng): Place {
  const local = PLACES_BY_COUNTRY.get(t.info.countryLetterCode) ?? [];
  return local.length > 0 && rng.chance(0.7) ? rng.pick(local) : rng.pick(PLACES);
}

/** A literal with fixed keys: building the 15 keys dynamically made every user object slow (dictionary mode). */
function extensionAttributes(a1: string | null, a2: string | null, a3: string | null): GraphUser['onPremisesExtensionAttributes'] {
  return {
    extensionAttribute1: a1, extensionAttribute2: a2, extensionAttribute3: a3, extensionAttribute4: null, extensionAttribute5: null,
    extensionAttribute6: null, extensionAttribute7: null, extensionAttribute8: null, extensionAttribute9: null, extensionAttribute10: null,
    extensionAttribute11: null, extensionAttribute12: null, extensionAttribute13: null, extensionAttribute14: null, extensionAttribute15: null,
  };
}

/** The fields of a user that a sign-in shows. */
export interface UserIdentity {
  id: string;
  userPrincipalName: string;
  displayName: string;
  city: string | null;
}

/**
 * The identity fields of the user in slot `index`, equal to generateUser's: the same draws in the same order, but
 * the rest of the user is not built (sign-ins need a user each, a thousand per page). Keep in step with generateUser.
 */
export function userIdentity(t: TenantCtx, nk: NameKey, index: number): UserIdentity {
  const rng = new Rng(mix(t.key, USER_SALT, index));
  const { given, surname, local } = nameAt(t, nk, index);
  const admin = isAdminIndex(t, index);
  const guest = isGuestIndex(t, index);
  const place = placeFor(t, rng);
  if (!admin) {
    rng.u32(); // department
    rng.u32(); // createdDateTime
  }
  for (const k of licenceKeysAt(t, index)) if (k === 'E3') rng.u32(); // E3's disabled plans
  rng.u32(); // companyName
  const bare = guest && rng.chance(0.5);
  let upn: string;
  if (guest) upn = `${local}_${rng.pick(GUEST_ORGS).domain}#EXT#@${t.initialDomain}`;
  else {
    const r = rng.int(100);
    upn = `${local}@${admin || r < 78 ? t.primaryDomain : r < 90 ? t.extraDomain : t.initialDomain}`;
  }
  return { id: userIdAt(t, index), userPrincipalName: upn, displayName: `${given} ${surname}`, city: bare ? null : place.city };
}

/** Generates the user in slot `index` of tenant `t`. */
export function generateUser(t: TenantCtx, nk: NameKey, index: number): GraphUser {
  const rng = new Rng(mix(t.key, USER_SALT, index));
  const { given, surname, local } = nameAt(t, nk, index);
  const admin = isAdminIndex(t, index);
  const guest = isGuestIndex(t, index);
  const place = placeFor(t, rng);
  const department = admin ? 'IT' : rng.pick(DEPARTMENTS);
  const created = admin ? t.createdMs : t.createdMs + rng.next() * (EPOCH_END - t.createdMs);
  const licences = licenceKeysAt(t, index).map((k) => ({
    skuId: SKUS[k].skuId,
    disabledPlans: k === 'E3' && rng.chance(0.1) ? [SKUS.E3.plans[4].id] : [],
  }));
  let upn: string;
  let mail: string | null;
  let companyName: string | null = rng.chance(0.9) ? t.orgName : null;
  let userType: GraphUser['userType'] = 'Member';
  const bare = guest && rng.chance(0.5);
  if (guest) {
    const org = rng.pick(GUEST_ORGS);
    mail = `${local}@${org.domain}`;
    upn = `${local}_${org.domain}#EXT#@${t.initialDomain}`;
    companyName = org.company;
    userType = 'Guest';
  } else {
    const r = rng.int(100);
    const domain = admin || r < 78 ? t.primaryDomain : r < 90 ? t.extraDomain : t.initialDomain;
    upn = `${local}@${domain}`;
    const m = rng.int(100);
    mail = domain === t.initialDomain ? `${local}@${t.primaryDomain}` : domain === t.primaryDomain && !admin && m < 8 ? `${local}@${t.extraDomain}` : domain === t.primaryDomain && !admin && m < 10 ? null : upn;
    if (!admin && rng.chance(0.04)) userType = null;
  }
  const title = admin ? ['IT Director', 'Systems Administrator', 'Cloud Architect'][index] ?? 'IT Administrator' : rng.pick(JOB_TITLES[department as keyof typeof JOB_TITLES]);
  return {
    id: userIdAt(t, index),
    displayName: `${given} ${surname}`,
    givenName: bare ? null : given,
    surname: bare ? null : surname,
    userPrincipalName: upn,
    mail,
    otherMails: [],
    proxyAddresses: mail ? [`SMTP:${mail}`, ...(mail !== upn && !guest ? [`smtp:${upn}`] : [])] : [],
    companyName,
    department: bare ? null : department,
    jobTitle: bare ? null : title,
    officeLocation: guest ? null : `${place.city} ${1 + rng.int(9)}/${100 + rng.int(900)}`,
    streetAddress: guest ? null : `${1 + rng.int(400)} ${rng.pick(place.streets)}`,
    city: bare ? null : place.city,
    state: bare ? null : place.state,
    postalCode: guest ? null : place.postalCode,
    country: bare ? null : place.country,
    preferredLanguage: bare ? null : place.preferredLanguage,
    usageLocation: guest ? null : place.usageLocation,
    userType,
    accountEnabled: admin || rng.chance(0.97),
    createdDateTime: `${new Date(created).toISOString().slice(0, 19)}Z`,
    assignedLicenses: licences,
    onPremisesExtensionAttributes: guest
      ? extensionAttributes(null, null, null)
      : extensionAttributes(`CC-${1000 + DEPARTMENTS.indexOf(department as (typeof DEPARTMENTS)[number]) * 10 + rng.int(10)}`, `E${String(100000 + index)}`, rng.chance(0.15) ? 'Contractor' : null),
  };
}
