import { isoSeconds, signInFromDraw, SignInDraw, type SignInApp } from '../world/signins.js';
import type { SignIn } from '../world/types.js';

/**
 * Graph's JSON for a page of sign-ins, written straight into one buffer. A page is a thousand sign-ins (~1 MB);
 * building each as objects and then running JSON.stringify over them cost more CPU than everything else the
 * emulator does per request, so generated sign-ins are written from their draws. The bytes are exactly
 * JSON.stringify(view(signIn)) (graph.signins.pinned.test.ts holds the emulator to that).
 */

/** A sign-in as Graph lists it: riskEventTypes (deprecated, always empty) first, geoCoordinates unknown. */
export function view(s: SignIn): Record<string, unknown> {
  return { riskEventTypes: [], ...s, location: { ...s.location, geoCoordinates: null } };
}

const bytes = (text: string) => Buffer.from(text, 'utf8');
const OPEN_ID = bytes('{"riskEventTypes":[],"id":"');
const CREATED = bytes('","createdDateTime":"');
const USER_ID = bytes('","userId":');
const UPN = bytes(',"userPrincipalName":');
const USER_NAME = bytes(',"userDisplayName":');
const IP = bytes(',"ipAddress":"');
const INTERACTIVE_TRUE = bytes('","isInteractive":true');
const INTERACTIVE_FALSE = bytes('","isInteractive":false');
/** The sign-in's last properties, all constant. */
const CLOSE = ',"riskDetail":"none","riskLevelAggregated":"none","riskLevelDuringSignIn":"none","riskState":"none","riskEventTypes_v2":[],"appliedConditionalAccessPolicies":[]}';
const HEX = bytes(Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0')).join(''));
const DAY_MS = 86_400_000;
/** Past 9999-12-31 (or before 1970, to keep it simple) toISOString's date is not four digits: written whole. */
const LAST_FOUR_DIGIT_YEAR_MS = Date.UTC(10000, 0, 1);
/** Room before the first sign-in for the collection's opening (context and nextLink), so no copy is needed. */
const HEADROOM = 8192;
const NO_FAILURE = {};

export class SignInPageWriter {
  private buf: Buffer;
  private len = HEADROOM;
  private items = 0;
  private day = NaN;
  private dayPrefix = Buffer.alloc(0);
  // Properties that depend on one drawn value only, written once per page per value (see part()).
  private readonly clientApps = new Map<unknown, Buffer>();
  private readonly caStatuses = new Map<unknown, Buffer>();
  private readonly devices = new Map<unknown, Buffer>();
  private readonly places = new Map<unknown, Buffer>();
  private readonly statuses = new Map<unknown, Buffer>();
  /** Per app (a page holds a few dozen): its appId/appDisplayName and resourceDisplayName/resourceId pairs. */
  private readonly apps = new Map<SignInApp, { app: Buffer; resource: Buffer }>();

  constructor(expectedItems: number) {
    this.buf = Buffer.allocUnsafe(HEADROOM + expectedItems * 1200 + 64);
  }

  /** Appends one sign-in: an added one (a SignIn) through JSON.stringify, a generated one from its draws. */
  add(entry: SignIn | SignInDraw): void {
    if (!(entry instanceof SignInDraw) || !writable(entry)) return this.text(JSON.stringify(view(entry instanceof SignInDraw ? signInFromDraw(entry) : entry)));
    const d = entry;
    // Fixed text and pool parts stay under 2 KB; the free-text fields are written inline only while short and plain.
    const app = this.appParts(d.app);
    this.ensure(2048 + 2 * (d.user.id.length + d.user.userPrincipalName.length + d.user.displayName.length) + app.app.length + app.resource.length);
    this.comma();
    this.raw(OPEN_ID);
    this.guid(d.id0, d.id1, d.id2, d.id3);
    this.raw(CREATED);
    this.time(d.timeMs);
    this.raw(USER_ID);
    this.str(d.user.id);
    this.raw(UPN);
    this.str(d.user.userPrincipalName);
    this.raw(USER_NAME);
    this.str(d.user.displayName);
    this.raw(app.app);
    this.raw(IP);
    this.uint(d.ip0);
    this.buf[this.len++] = 0x2e;
    this.uint(d.ip1);
    this.buf[this.len++] = 0x2e;
    this.uint(d.ip2);
    this.buf[this.len++] = 0x2e;
    this.uint(d.ip3);
    this.raw(part(this.clientApps, d.clientAppUsed, d, (v) => `","clientAppUsed":${JSON.stringify(v.clientAppUsed)},"correlationId":"`));
    this.guid(d.corr0, d.corr1, d.corr2, d.corr3);
    this.raw(d.interactive ? INTERACTIVE_TRUE : INTERACTIVE_FALSE);
    this.raw(app.resource);
    this.raw(part(this.caStatuses, d.conditionalAccessStatus, d, (v) => `,"conditionalAccessStatus":${JSON.stringify(v.conditionalAccessStatus)}`));
    this.raw(part(this.devices, d.device, d, (v) => `,"deviceDetail":${JSON.stringify(v.deviceDetail)}`));
    this.raw(part(this.places, d.place, d, (v) => `,"location":${JSON.stringify(v.location)}`));
    this.raw(part(this.statuses, d.failure ?? NO_FAILURE, d, (v) => `,"status":${JSON.stringify(v.status)}${CLOSE}`));
  }

  /**
   * The collection's body: `envelope` is JSON.stringify of the collection with an empty value array (it ends
   * `[]}`), and the sign-ins go between the brackets.
   */
  body(envelope: string): Buffer {
    if (!envelope.endsWith('[]}')) throw new Error('sign-in page envelope must end with an empty value array');
    const open = bytes(envelope.slice(0, -2));
    this.ensure(2);
    this.buf[this.len++] = 0x5d; // ]
    this.buf[this.len++] = 0x7d; // }
    if (open.length <= HEADROOM) {
      open.copy(this.buf, HEADROOM - open.length);
      return this.buf.subarray(HEADROOM - open.length, this.len);
    }
    return Buffer.concat([open, this.buf.subarray(HEADROOM, this.len)]);
  }

  private appParts(a: SignInApp): { app: Buffer; resource: Buffer } {
    let parts = this.apps.get(a);
    if (!parts) {
      const id = JSON.stringify(a.appId);
      const name = JSON.stringify(a.name);
      parts = { app: bytes(`,"appId":${id},"appDisplayName":${name}`), resource: bytes(`,"resourceDisplayName":${name},"resourceId":${id}`) };
      this.apps.set(a, parts);
    }
    return parts;
  }

  private text(json: string): void {
    this.ensure(Buffer.byteLength(json) + 1);
    this.comma();
    this.len += this.buf.write(json, this.len, 'utf8');
  }

  private comma(): void {
    if (this.items++ > 0) this.buf[this.len++] = 0x2c;
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  private raw(b: Buffer): void {
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** A string known to be plain ASCII with nothing to escape (the world's own enum-like values). */
  private ascii(s: string): void {
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i);
  }

  /** A JSON string: printable ASCII inline, anything else (escapes, non-ASCII) as JSON.stringify writes it. */
  private str(s: string): void {
    const start = this.len;
    const buf = this.buf;
    if (s.length > 400) return this.text2(s);
    buf[this.len++] = 0x22;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) {
        this.len = start;
        return this.text2(s);
      }
      buf[this.len++] = c;
    }
    buf[this.len++] = 0x22;
  }

  private text2(s: string): void {
    const json = JSON.stringify(s);
    this.ensure(Buffer.byteLength(json));
    this.len += this.buf.write(json, this.len, 'utf8');
  }

  private uint(n: number): void {
    if (n >= 10) this.uint(Math.floor(n / 10));
    this.buf[this.len++] = 0x30 + (n % 10);
  }

  /** Exactly formatGuid's text: a version-4, variant-1 GUID from four words. */
  private guid(a: number, b: number, c: number, d: number): void {
    this.hex(a >>> 24);
    this.hex(a >>> 16);
    this.hex(a >>> 8);
    this.hex(a);
    this.buf[this.len++] = 0x2d;
    this.hex(b >>> 24);
    this.hex(b >>> 16);
    this.buf[this.len++] = 0x2d;
    const timeHi = (b & 0x0fff) | 0x4000;
    this.hex(timeHi >>> 8);
    this.hex(timeHi);
    this.buf[this.len++] = 0x2d;
    const clock = ((c >>> 16) & 0x3fff) | 0x8000;
    this.hex(clock >>> 8);
    this.hex(clock);
    this.buf[this.len++] = 0x2d;
    this.hex(c >>> 8);
    this.hex(c);
    this.hex(d >>> 24);
    this.hex(d >>> 16);
    this.hex(d >>> 8);
    this.hex(d);
  }

  private hex(byte: number): void {
    const i = (byte & 0xff) * 2;
    this.buf[this.len++] = HEX[i];
    this.buf[this.len++] = HEX[i + 1];
  }

  /** isoSeconds(ms): the date part once per day (a page spans minutes), the time of day digit by digit. */
  private time(ms: number): void {
    if (!(ms >= 0 && ms < LAST_FOUR_DIGIT_YEAR_MS)) return this.ascii(isoSeconds(ms));
    const day = Math.floor(ms / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.dayPrefix = bytes(isoSeconds(day * DAY_MS).slice(0, 11));
    }
    this.raw(this.dayPrefix);
    const seconds = Math.floor((ms - day * DAY_MS) / 1000);
    this.two(Math.floor(seconds / 3600));
    this.buf[this.len++] = 0x3a;
    this.two(Math.floor(seconds / 60) % 60);
    this.buf[this.len++] = 0x3a;
    this.two(seconds % 60);
    this.buf[this.len++] = 0x5a;
  }

  private two(n: number): void {
    this.buf[this.len++] = 0x30 + Math.floor(n / 10);
    this.buf[this.len++] = 0x30 + (n % 10);
  }
}

/** Whether every free-text field of a generated sign-in is a string (an edited user may hold anything). */
function writable(d: SignInDraw): boolean {
  const u = d.user;
  return typeof u.id === 'string' && typeof u.userPrincipalName === 'string' && typeof u.displayName === 'string' && typeof d.app.appId === 'string' && typeof d.app.name === 'string';
}

/**
 * The text of properties that depend on one drawn value (`key`) only, rendered once from the first sign-in with that
 * value, from its own view, so its bytes are JSON.stringify's.
 */
function part(cache: Map<unknown, Buffer>, key: unknown, d: SignInDraw, render: (v: Record<string, unknown>) => string): Buffer {
  let b = cache.get(key);
  if (!b) cache.set(key, (b = bytes(render(view(signInFromDraw(d))))));
  return b;
}
