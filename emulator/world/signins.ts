import { formatGuid, mix, Rng } from './prng.js';
import { PLACES, type Place } from './pools.js';
import type { TenantCtx } from './tenants.js';
import type { UserIdentity } from './users.js';
import type { ServicePrincipal, SignIn } from './types.js';

/**
 * Sign-ins newest first. Base sign-in i is a pure function of i; its time strictly decreases with i, so a
 * createdDateTime bound maps to an index by binary search. Added sign-ins live in a small sorted overlay that is
 * merged in by position.
 */

const SPAN_MS = 30 * 86_400_000;
const SALT = 0x5161;

const FIRST_PARTY = [
  { appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', name: 'Microsoft Teams' },
  { appId: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' },
  { appId: '00000003-0000-0ff1-ce00-000000000000', name: 'Office 365 SharePoint Online' },
  { appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', name: 'Azure Portal' },
  { appId: '4765445b-32c6-49b0-83e6-1d93765276ca', name: 'OfficeHome' },
];

const FAILURES = [
  { errorCode: 50126, failureReason: 'Error validating credentials due to invalid username or password.' },
  { errorCode: 50074, failureReason: 'Strong Authentication is required.' },
  { errorCode: 53003, failureReason: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.' },
  { errorCode: 50140, failureReason: "This error occurred due to 'Keep me signed in' interrupt when the user was signing in." },
];

const DEVICES = [
  { operatingSystem: 'Windows10', browser: 'Edge 126.0.0' },
  { operatingSystem: 'MacOs', browser: 'Safari 17.5' },
  { operatingSystem: 'Ios', browser: 'Mobile Safari 17.5' },
  { operatingSystem: 'Android', browser: 'Chrome Mobile 126.0.0' },
  { operatingSystem: 'Windows10', browser: 'Chrome 126.0.0' },
].map((d) => ({ ...d, mobile: d.browser.startsWith('Mobile') }));

/** A user's home place by city; sign-ins are made a thousand per page, so no linear search per row. */
const PLACE_INDEX_BY_CITY = new Map<string | null, number>(PLACES.map((p, i) => [p.city, i]));

/** Each place's first IP octet in a tenant: a per-tenant constant, so computed once per tenant. */
function firstOctets(key: number): number[] {
  return PLACES.map((_, i) => 20 + (mix(key, i) % 180));
}

/** Whole seconds, as Graph writes createdDateTime (ms are floored, so toISOString's fraction is always .000). */
export const isoSeconds = (ms: number) => `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;

/** The users sign-ins are drawn from. */
export interface SignInUsers {
  baseSlots(): number;
  identityAt(slot: number): UserIdentity;
}

/** The app of a sign-in (appId/appDisplayName, also its resourceId/resourceDisplayName). */
export type SignInApp = { readonly appId: string; readonly name: string };

export class BaseSignIns {
  private readonly step: number;
  private readonly octets: number[];
  private saas: { from: ServicePrincipal[]; length: number; apps: SignInApp[] } | undefined;
  constructor(
    private readonly t: TenantCtx,
    private readonly anchorMs: number,
    private readonly users: SignInUsers,
    private readonly sps: () => ServicePrincipal[],
  ) {
    this.step = SPAN_MS / Math.max(t.sizes.signInsPerTenant, 1);
    this.octets = firstOctets(t.key);
  }

  /**
   * The SaaS apps (every service principal after the first two) as sign-ins name them, made once instead of per
   * sign-in; rebuilt if the tenant's list is ever replaced or grows.
   */
  private saasApps(): SignInApp[] {
    const sps = this.sps();
    if (this.saas?.from !== sps || this.saas.length !== sps.length) {
      this.saas = { from: sps, length: sps.length, apps: sps.slice(2).map(({ appId, displayName }) => ({ appId, name: displayName })) };
    }
    return this.saas.apps;
  }

  get count(): number {
    return this.t.sizes.signInsPerTenant;
  }

  timeAt(i: number): number {
    const jitter = (mix(this.t.key, SALT, i) / 4294967296) * 0.9;
    return Math.floor((this.anchorMs - (i + jitter) * this.step - 1000) / 1000) * 1000;
  }

  /** First index whose time is < ms (or <= ms when orEqual); count when none. */
  firstOlder(ms: number, orEqual: boolean): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const t = this.timeAt(mid);
      if (t < ms || (orEqual && t === ms)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Base sign-in i's draws, filled into `into` (no object or string is built but the user's identity). */
  drawAt(i: number, into: SignInDraw): SignInDraw | undefined {
    if (i < 0 || i >= this.count) return undefined;
    const rng = new Rng(mix(this.t.key, SALT + 1, i));
    const slot = rng.int(this.users.baseSlots());
    const user = this.users.identityAt(slot);
    const saas = this.saasApps();
    const app = saas.length > 0 && rng.chance(0.55) ? rng.pick(saas) : rng.pick(FIRST_PARTY);
    return drawSignIn(rng, user, app, this.timeAt(i), this.octets, into);
  }
}

/** A sign-in of `user` to `app` at `timeMs`, its other fields drawn from `rng`. */
export function makeSignIn(rng: Rng, user: UserIdentity, app: SignInApp, timeMs: number, key: number): SignIn {
  return signInFromDraw(drawSignIn(rng, user, app, timeMs, firstOctets(key), new SignInDraw()));
}

type Failure = (typeof FAILURES)[number];
type Device = (typeof DEVICES)[number];

/**
 * What one generated sign-in is made of, as drawn: references into the world's pools and plain numbers, no strings
 * built. signInFromDraw turns it into a SignIn; Graph's page writer serialises it straight to JSON. One instance is
 * reused for a whole page, so paging makes (almost) no garbage.
 */
export class SignInDraw {
  user: UserIdentity = { id: '', userPrincipalName: '', displayName: '', city: null };
  app: SignInApp = FIRST_PARTY[0];
  timeMs = 0;
  place: Place = PLACES[0];
  failure: Failure | null = null;
  device: Device = DEVICES[0];
  interactive = false;
  /** The four 32-bit words of the id GUID and of the correlationId GUID (see formatGuid). */
  id0 = 0;
  id1 = 0;
  id2 = 0;
  id3 = 0;
  corr0 = 0;
  corr1 = 0;
  corr2 = 0;
  corr3 = 0;
  /** ipAddress is `${ip0}.${ip1}.${ip2}.${ip3}`. */
  ip0 = 0;
  ip1 = 0;
  ip2 = 0;
  ip3 = 0;
  clientAppUsed: SignIn['clientAppUsed'] = 'Browser';
  conditionalAccessStatus: NonNullable<SignIn['conditionalAccessStatus']> = 'notApplied';
}

/** The draws and their order are the world's contract: the same seed must keep giving the same sign-ins. */
function drawSignIn(rng: Rng, user: UserIdentity, app: SignInApp, timeMs: number, octets: readonly number[], d: SignInDraw): SignInDraw {
  d.user = user;
  d.app = app;
  d.timeMs = timeMs;
  const home = PLACE_INDEX_BY_CITY.get(user.city);
  const placeIndex = home !== undefined && rng.chance(0.85) ? home : rng.int(PLACES.length);
  d.place = PLACES[placeIndex];
  d.failure = rng.chance(0.08) ? rng.pick(FAILURES) : null;
  d.device = rng.pick(DEVICES);
  d.interactive = rng.chance(0.7);
  d.id0 = rng.u32();
  d.id1 = rng.u32();
  d.id2 = rng.u32();
  d.id3 = rng.u32();
  d.ip0 = octets[placeIndex];
  d.ip1 = rng.int(256);
  d.ip2 = rng.int(256);
  d.ip3 = 1 + rng.int(254);
  d.clientAppUsed = d.device.mobile || rng.chance(0.3) ? 'Mobile Apps and Desktop clients' : 'Browser';
  d.corr0 = rng.u32();
  d.corr1 = rng.u32();
  d.corr2 = rng.u32();
  d.corr3 = rng.u32();
  d.conditionalAccessStatus = d.failure?.errorCode === 53003 ? 'failure' : rng.chance(0.6) ? 'success' : 'notApplied';
  return d;
}

/** The error code a draw's status carries (0 for success). */
export const drawErrorCode = (d: SignInDraw): number => d.failure?.errorCode ?? 0;

export function signInFromDraw(d: SignInDraw): SignIn {
  const { user, app, place, failure, device } = d;
  return {
    id: formatGuid(d.id0, d.id1, d.id2, d.id3),
    createdDateTime: isoSeconds(d.timeMs),
    userId: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName,
    appId: app.appId,
    appDisplayName: app.name,
    ipAddress: `${d.ip0}.${d.ip1}.${d.ip2}.${d.ip3}`,
    clientAppUsed: d.clientAppUsed,
    correlationId: formatGuid(d.corr0, d.corr1, d.corr2, d.corr3),
    isInteractive: d.interactive,
    resourceDisplayName: app.name,
    resourceId: app.appId,
    conditionalAccessStatus: d.conditionalAccessStatus,
    deviceDetail: { deviceId: '', displayName: '', operatingSystem: device.operatingSystem, browser: device.browser, isCompliant: false, isManaged: false, trustType: '' },
    location: { city: place.city, state: place.state ?? '', countryOrRegion: place.usageLocation },
    status: failure ? { errorCode: failure.errorCode, failureReason: failure.failureReason, additionalDetails: null } : { errorCode: 0, failureReason: null, additionalDetails: null },
    riskDetail: 'none',
    riskLevelAggregated: 'none',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    riskEventTypes_v2: [],
    appliedConditionalAccessPolicies: [],
  };
}

/** Base sign-ins merged with added ones (newest first; an added one precedes a base one with the same time). */
export class SignInLog {
  private added: { ms: number; signIn: SignIn }[] = [];
  private positions: number[] | null = null;
  constructor(readonly base: BaseSignIns) {}

  get count(): number {
    return this.base.count + this.added.length;
  }

  add(s: SignIn): void {
    const ms = Date.parse(s.createdDateTime);
    let i = 0;
    while (i < this.added.length && this.added[i].ms >= ms) i++;
    this.added.splice(i, 0, { ms, signIn: s });
    this.positions = null;
  }

  firstOlder(ms: number, orEqual: boolean): number {
    const newerAdded = this.added.filter((a) => !(a.ms < ms || (orEqual && a.ms === ms))).length;
    return this.base.firstOlder(ms, orEqual) + newerAdded;
  }

  at(p: number): SignIn | undefined {
    const e = this.entryAt(p, undefined);
    return e instanceof SignInDraw ? signInFromDraw(e) : e;
  }

  /** The sign-in at position p: an added one as its SignIn, a generated one as its draws (filled into `into`). */
  entryAt(p: number, into: SignInDraw | undefined): SignIn | SignInDraw | undefined {
    if (p < 0 || p >= this.count) return undefined;
    let before = 0;
    if (this.added.length > 0) {
      this.positions ??= this.added.map((a, j) => j + this.base.firstOlder(a.ms, true));
      for (let j = 0; j < this.positions.length; j++) {
        if (this.positions[j] === p) return this.added[j].signIn;
        if (this.positions[j] < p) before++;
      }
    }
    return this.base.drawAt(p - before, into ?? new SignInDraw());
  }
}
