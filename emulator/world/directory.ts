import { generateUser, indexFromUpn, indexFromUserId, isGuestIndex, licenceKeysAt, nameKey, userIdentity, type NameKey, type UserIdentity } from './users.js';
import { SKUS, skuKeyById, type SkuKey } from './licences.js';
import type { UserSlots } from './groups.js';
import type { TenantCtx } from './tenants.js';
import type { GraphUser } from './types.js';

/**
 * One tenant's users: the lazy generated base plus an overlay of additions, edits and removals.
 * Licence counts are the base counts (counted once, cheaply, on first use) plus deltas kept by every mutation,
 * so subscribedSkus.consumedUnits always equals the number of users holding the SKU.
 */
export class TenantDirectory implements UserSlots {
  readonly nk: NameKey;
  private added = 0;
  private readonly patched = new Map<number, GraphUser>();
  private readonly removed = new Set<number>();
  private readonly changes = new Map<string, { version: number; removed: boolean }>();
  private readonly licenceDelta = new Map<SkuKey, number>();
  private baseCounts: Map<SkuKey, number> | null = null;

  constructor(readonly t: TenantCtx) {
    this.nk = nameKey(t);
  }

  baseSlots(): number {
    return this.t.sizes.usersPerTenant;
  }
  slots(): number {
    return this.t.sizes.usersPerTenant + this.added;
  }
  count(): number {
    return this.slots() - this.removed.size;
  }

  baseAt(index: number): GraphUser {
    return generateUser(this.t, this.nk, index);
  }

  /** The user in a slot: undefined past the end, null when removed. */
  at(index: number): GraphUser | null | undefined {
    if (index < 0 || index >= this.slots()) return undefined;
    if (this.removed.has(index)) return null;
    return this.patched.get(index) ?? this.baseAt(index);
  }

  /**
   * What a sign-in shows of the user in a base slot: the edited user when edited; otherwise the generated one, also
   * when removed (its old sign-ins stay). Only the identity fields are generated, as sign-ins need one per row.
   */
  identityAt(index: number): UserIdentity {
    return this.patched.get(index) ?? userIdentity(this.t, this.nk, index);
  }

  indexOf(idOrUpn: string): number | undefined {
    if (idOrUpn.includes('@')) {
      const wanted = idOrUpn.toLowerCase();
      for (const [i, u] of this.patched) if (u.userPrincipalName.toLowerCase() === wanted) return this.removed.has(i) ? undefined : i;
      const i = indexFromUpn(this.t, this.nk, idOrUpn);
      const u = i === undefined ? undefined : this.at(i);
      return u && u.userPrincipalName.toLowerCase() === wanted ? i : undefined;
    }
    const i = indexFromUserId(this.t, idOrUpn);
    return i !== undefined && this.at(i) ? i : undefined;
  }

  consumed(key: SkuKey): number {
    if (!this.baseCounts) {
      const counts = new Map<SkuKey, number>();
      for (let i = 0; i < this.baseSlots(); i++) for (const k of licenceKeysAt(this.t, i)) counts.set(k, (counts.get(k) ?? 0) + 1);
      this.baseCounts = counts;
    }
    return (this.baseCounts.get(key) ?? 0) + (this.licenceDelta.get(key) ?? 0);
  }

  baseConsumed(key: SkuKey): number {
    return this.consumed(key) - (this.licenceDelta.get(key) ?? 0);
  }

  private countLicences(u: GraphUser, sign: 1 | -1): void {
    for (const l of u.assignedLicenses) {
      const k = skuKeyById(l.skuId);
      if (k) this.licenceDelta.set(k, (this.licenceDelta.get(k) ?? 0) + sign);
    }
  }

  add(version: number, nowIso: string, licensed: boolean | undefined): GraphUser {
    const index = this.slots();
    this.added++;
    const u = { ...this.baseAt(index), createdDateTime: nowIso };
    if (licensed === true) u.assignedLicenses = [{ skuId: SKUS.E3.skuId, disabledPlans: [] }];
    if (licensed === false) u.assignedLicenses = [];
    this.patched.set(index, u);
    this.countLicences(u, 1);
    this.changes.set(u.id, { version, removed: false });
    return u;
  }

  update(version: number, index: number, patch: Partial<GraphUser>): GraphUser {
    const current = this.at(index)!;
    const next: GraphUser = { ...current, ...patch, id: current.id };
    this.countLicences(current, -1);
    this.countLicences(next, 1);
    this.patched.set(index, next);
    this.changes.set(next.id, { version, removed: false });
    return next;
  }

  remove(version: number, index: number): void {
    const current = this.at(index)!;
    this.countLicences(current, -1);
    this.removed.add(index);
    this.patched.delete(index);
    this.changes.set(current.id, { version, removed: true });
  }

  changedSince(version: number): { id: string; removed: boolean }[] {
    const out: { id: string; removed: boolean }[] = [];
    for (const [id, c] of this.changes) if (c.version > version) out.push({ id, removed: c.removed });
    return out;
  }

  isGuestSlot(index: number): boolean {
    return isGuestIndex(this.t, index);
  }
}
