import { mix, Rng } from './prng.js';
import { PLACES } from './pools.js';
import type { TenantCtx } from './tenants.js';
import type { UserSlots } from './groups.js';
import type { GraphUser, ServicePrincipal, SignIn } from './types.js';

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
];

export const isoSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

export class BaseSignIns {
  private readonly step: number;
  constructor(
    private readonly t: TenantCtx,
    private readonly anchorMs: number,
    private readonly users: UserSlots,
    private readonly sps: () => ServicePrincipal[],
  ) {
    this.step = SPAN_MS / Math.max(t.sizes.signInsPerTenant, 1);
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

  at(i: number): SignIn | undefined {
    if (i < 0 || i >= this.count) return undefined;
    const rng = new Rng(mix(this.t.key, SALT + 1, i));
    const slot = rng.int(this.users.baseSlots());
    const user = this.users.at(slot) ?? this.users.baseAt(slot);
    const saas = this.sps().slice(2);
    const app = saas.length > 0 && rng.chance(0.55) ? (({ appId, displayName }) => ({ appId, name: displayName }))(rng.pick(saas)) : rng.pick(FIRST_PARTY);
    return makeSignIn(rng, user, app, this.timeAt(i), this.t.key);
  }
}

export function makeSignIn(rng: Rng, user: GraphUser, app: { appId: string; name: string }, timeMs: number, key: number): SignIn {
  const home = PLACES.find((p) => p.city === user.city);
  const place = home && rng.chance(0.85) ? home : rng.pick(PLACES);
  const failure = rng.chance(0.08) ? rng.pick(FAILURES) : null;
  const device = rng.pick(DEVICES);
  const interactive = rng.chance(0.7);
  return {
    id: rng.guid(),
    createdDateTime: isoSeconds(timeMs),
    userId: user.id,
    userPrincipalName: user.userPrincipalName,
    userDisplayName: user.displayName,
    appId: app.appId,
    appDisplayName: app.name,
    ipAddress: `${20 + (mix(key, PLACES.indexOf(place)) % 180)}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`,
    clientAppUsed: device.browser.startsWith('Mobile') || rng.chance(0.3) ? 'Mobile Apps and Desktop clients' : 'Browser',
    correlationId: rng.guid(),
    isInteractive: interactive,
    resourceDisplayName: app.name,
    resourceId: app.appId,
    conditionalAccessStatus: failure?.errorCode === 53003 ? 'failure' : rng.chance(0.6) ? 'success' : 'notApplied',
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
    if (p < 0 || p >= this.count) return undefined;
    this.positions ??= this.added.map((a, j) => j + this.base.firstOlder(a.ms, true));
    let before = 0;
    for (let j = 0; j < this.positions.length; j++) {
      if (this.positions[j] === p) return this.added[j].signIn;
      if (this.positions[j] < p) before++;
    }
    return this.base.at(p - before);
  }
}
