import { hashString, Rng, mix } from './prng.js';
import { resolveSizes } from './sizes.js';
import { buildTenants, type TenantCtx } from './tenants.js';
import { TenantDirectory } from './directory.js';
import { buildGroups, directMembers, transitiveMembers, type GroupData } from './groups.js';
import { buildApplications, buildAssignments, buildServicePrincipals, makeDemoApp } from './apps.js';
import { BaseSignIns, makeSignIn, SignInLog, isoSeconds, type SignInDraw } from './signins.js';
import { buildSubscriptions, resourceAt } from './azure.js';
import { subscribedSku, SKUS } from './licences.js';
import { buildOrganization } from './organization.js';
import type { AppRoleAssignment, AzureSubscription, GraphApplication, GraphUser, ServicePrincipal, SignIn, World, WorldSizes } from './types.js';

export type { World } from './types.js';

export interface CreateWorldOptions {
  seed: string | number;
  size?: 'demo' | 'bench' | Partial<WorldSizes>;
  /** End of the generated sign-in history (ms). Default: now, floored to the hour, so a seed gives the same world all hour. */
  anchorTime?: number;
  /** Clock for things added at run time (users, sign-ins); pass EmulatorState.now so tests can move time. */
  clock?: () => number;
}

/** Per-tenant lazily built parts. */
class TenantParts {
  readonly dir: TenantDirectory;
  readonly signIns: SignInLog;
  private groupData?: GroupData;
  private sps?: ServicePrincipal[];
  private readonly assignments = new Map<string, AppRoleAssignment[] | undefined>();
  private apps?: GraphApplication[];
  subs: AzureSubscription[] = [];

  constructor(readonly t: TenantCtx, private readonly world: WorldImpl) {
    this.dir = new TenantDirectory(t);
    this.signIns = new SignInLog(new BaseSignIns(t, world.anchorTime, this.dir, () => this.servicePrincipals()));
  }
  groups(): GroupData {
    return (this.groupData ??= buildGroups(this.t, this.dir));
  }
  servicePrincipals(): ServicePrincipal[] {
    return (this.sps ??= buildServicePrincipals(this.t, this.world.seedKey, this.world.homeCtx, this.world.demoApp));
  }
  assignedTo(spId: string): AppRoleAssignment[] | undefined {
    if (!this.assignments.has(spId)) this.assignments.set(spId, buildAssignments(this.t, this.servicePrincipals(), spId, this.groups().groups, this.dir));
    return this.assignments.get(spId);
  }
  applications(): GraphApplication[] {
    return (this.apps ??= buildApplications(this.t, this.world.homeCtx, this.world.demoApp, this.world.anchorTime));
  }
}

class WorldImpl implements World {
  readonly seed: string;
  readonly seedKey: number;
  readonly sizes: WorldSizes;
  readonly anchorTime: number;
  readonly demoApp: ReturnType<typeof makeDemoApp>;
  readonly partner: World['partner'];
  readonly homeCtx: TenantCtx;
  version = 0;
  private readonly parts = new Map<string, TenantParts>();
  private readonly subIndex = new Map<string, { parts: TenantParts; position: number }>();
  private readonly clock: () => number;

  constructor(opts: CreateWorldOptions) {
    this.seed = String(opts.seed);
    this.seedKey = hashString(this.seed);
    this.sizes = resolveSizes(opts.size);
    this.clock = opts.clock ?? Date.now;
    this.anchorTime = opts.anchorTime ?? Math.floor(Date.now() / 3_600_000) * 3_600_000;
    this.demoApp = makeDemoApp(this.seedKey, this.anchorTime);
    const ctxs = buildTenants(this.seedKey, this.sizes);
    this.homeCtx = ctxs[0];
    for (const t of ctxs) this.parts.set(t.info.id, new TenantParts(t, this));
    for (const p of this.parts.values()) {
      const adminIds = p.t.admins.map((_, i) => p.dir.baseAt(i).id);
      const delegate = p.dir.baseSlots() > p.t.admins.length ? p.dir.baseAt(p.t.admins.length).id : undefined;
      p.subs = buildSubscriptions(p.t, adminIds, delegate);
      p.subs.forEach((s, position) => this.subIndex.set(s.subscriptionId, { parts: p, position }));
    }
    const rng = new Rng(mix(this.seedKey, 0x9a27));
    this.partner = { partnerId: rng.guid(), tenantId: this.homeCtx.info.id, mpnId: String(1_000_000 + rng.int(8_999_999)) };
  }

  get home() {
    return this.homeCtx.info;
  }

  /** Tenant parts by id (case-insensitive) or by any verified domain. */
  private p(tenantId: string): TenantParts | undefined {
    const key = tenantId.toLowerCase();
    const direct = this.parts.get(key);
    if (direct) return direct;
    for (const p of this.parts.values()) if (p.t.info.verifiedDomains.some((d) => d.name === key)) return p;
    return undefined;
  }
  private must(tenantId: string): TenantParts {
    const p = this.p(tenantId);
    if (!p) throw new Error(`unknown tenant ${tenantId}`);
    return p;
  }

  tenants() {
    return [...this.parts.values()].map((p) => p.t.info);
  }
  tenant(id: string) {
    return this.p(id)?.t.info;
  }

  userCount(tenantId: string) {
    return this.p(tenantId)?.dir.count() ?? 0;
  }
  userSlots(tenantId: string) {
    return this.p(tenantId)?.dir.slots() ?? 0;
  }
  userAt(tenantId: string, index: number) {
    return this.p(tenantId)?.dir.at(index);
  }
  *users(tenantId: string): Iterable<GraphUser> {
    const dir = this.p(tenantId)?.dir;
    if (!dir) return;
    for (let i = 0; i < dir.slots(); i++) {
      const u = dir.at(i);
      if (u) yield u;
    }
  }
  user(tenantId: string, idOrUpn: string) {
    const dir = this.p(tenantId)?.dir;
    const i = dir?.indexOf(idOrUpn);
    return i === undefined ? undefined : (dir!.at(i) ?? undefined);
  }
  admins(tenantId: string) {
    const p = this.must(tenantId);
    return p.t.admins.map((_, i) => p.dir.at(i)).filter((u): u is GraphUser => !!u);
  }
  adminRoles(tenantId: string) {
    const p = this.must(tenantId);
    return p.t.admins.map((a, i) => {
      const u = p.dir.at(i) ?? p.dir.baseAt(i);
      return { userId: u.id, userPrincipalName: u.userPrincipalName, roles: a.roles, ownsSubscriptions: p.subs.some((s) => s.ownerIds.includes(u.id)) };
    });
  }
  organization(tenantId: string) {
    const p = this.p(tenantId);
    return p && buildOrganization(p.t);
  }

  groups(tenantId: string) {
    return this.p(tenantId)?.groups().groups ?? [];
  }
  group(tenantId: string, groupId: string) {
    return this.groups(tenantId).find((g) => g.id === groupId.toLowerCase());
  }
  groupMembers(tenantId: string, groupId: string) {
    const p = this.p(tenantId);
    return (p && directMembers(p.groups(), p.dir, groupId.toLowerCase())) ?? [];
  }
  transitiveGroupMembers(tenantId: string, groupId: string) {
    const p = this.p(tenantId);
    return p && transitiveMembers(p.groups(), p.dir, groupId.toLowerCase());
  }

  subscribedSkus(tenantId: string) {
    const p = this.p(tenantId);
    if (!p) return [];
    return p.t.skuKeys.map((k) => subscribedSku(p.t.info.id, k, p.dir.consumed(k), p.dir.baseConsumed(k)));
  }
  servicePrincipals(tenantId: string) {
    return this.p(tenantId)?.servicePrincipals() ?? [];
  }
  servicePrincipal(tenantId: string, idOrAppId: string) {
    const key = idOrAppId.toLowerCase();
    return this.servicePrincipals(tenantId).find((s) => s.id === key || s.appId === key);
  }
  appRoleAssignedTo(tenantId: string, servicePrincipalId: string) {
    return this.p(tenantId)?.assignedTo(servicePrincipalId.toLowerCase()) ?? [];
  }
  applications(tenantId: string) {
    return this.p(tenantId)?.applications() ?? [];
  }

  signInCount(tenantId: string) {
    return this.p(tenantId)?.signIns.count ?? 0;
  }
  signInAt(tenantId: string, index: number) {
    return this.p(tenantId)?.signIns.at(index);
  }
  signInEntryAt(tenantId: string, index: number, into: SignInDraw) {
    return this.p(tenantId)?.signIns.entryAt(index, into);
  }
  signInIndexOlderThan(tenantId: string, ms: number, orEqual: boolean) {
    return this.p(tenantId)?.signIns.firstOlder(ms, orEqual) ?? 0;
  }
  *signIns(tenantId: string): Iterable<SignIn> {
    const log = this.p(tenantId)?.signIns;
    if (!log) return;
    for (let i = 0; i < log.count; i++) yield log.at(i)!;
  }

  azureSubscriptions(tenantId: string) {
    // A copy: callers sorting or filtering it must not reorder the world (ARM resolves subscriptions through it).
    return [...(this.p(tenantId)?.subs ?? [])];
  }
  azureSubscription(subscriptionId: string) {
    return this.subIndex.get(subscriptionId.toLowerCase())?.parts.subs.find((s) => s.subscriptionId === subscriptionId.toLowerCase());
  }
  resourceAt(subscriptionId: string, index: number) {
    const e = this.subIndex.get(subscriptionId.toLowerCase());
    return e && resourceAt(e.parts.t, e.parts.subs[e.position], e.position, index);
  }
  *resources(subscriptionId: string) {
    const sub = this.azureSubscription(subscriptionId);
    for (let i = 0; sub && i < sub.resourceCount; i++) yield this.resourceAt(subscriptionId, i)!;
  }

  partnerCustomers() {
    return [...this.parts.values()]
      .filter((p) => p.t.info.kind === 'customer')
      .map((p) => ({ id: p.t.info.id, companyProfile: { tenantId: p.t.info.id, domain: p.t.initialDomain, companyName: p.t.info.displayName }, relationshipToPartner: 'reseller' as const }));
  }

  userChangesSince(tenantId: string, sinceVersion: number) {
    return this.p(tenantId)?.dir.changedSince(sinceVersion) ?? [];
  }
  addUsers(tenantId: string, count: number, opts: { licensed?: boolean } = {}) {
    const dir = this.must(tenantId).dir;
    const version = ++this.version;
    return Array.from({ length: count }, () => dir.add(version, isoSeconds(this.clock()), opts.licensed));
  }
  updateUser(tenantId: string, id: string, patch: Partial<GraphUser>) {
    const dir = this.must(tenantId).dir;
    const i = dir.indexOf(id);
    if (i === undefined) throw new Error(`unknown user ${id} in ${tenantId}`);
    return dir.update(++this.version, i, patch);
  }
  removeUser(tenantId: string, id: string) {
    const dir = this.must(tenantId).dir;
    const i = dir.indexOf(id);
    if (i === undefined) throw new Error(`unknown user ${id} in ${tenantId}`);
    dir.remove(++this.version, i);
  }
  addSignIns(tenantId: string, partials: Partial<SignIn>[]) {
    const p = this.must(tenantId);
    const version = ++this.version;
    const saas = p.servicePrincipals().slice(2);
    return partials.map((partial, n) => {
      const rng = new Rng(mix(p.t.key, 0xadd, version, n));
      const user = (partial.userId && this.user(tenantId, partial.userId)) || this.admins(tenantId)[0];
      const sp = (partial.appId && this.servicePrincipal(tenantId, partial.appId)) || saas[0] || p.servicePrincipals()[0];
      const time = partial.createdDateTime ? Date.parse(partial.createdDateTime) : this.clock();
      const s: SignIn = { ...makeSignIn(rng, user, { appId: sp.appId, name: sp.displayName }, time, p.t.key), ...partial };
      s.createdDateTime = isoSeconds(Date.parse(s.createdDateTime));
      p.signIns.add(s);
      return s;
    });
  }
}

/** Creates a deterministic world: the same seed (and anchor time) gives the same world. */
export function createWorld(opts: CreateWorldOptions): World {
  return new WorldImpl(opts);
}

export { SKUS };
