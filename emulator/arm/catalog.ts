import { createHash } from 'node:crypto';
import type { AzureResource, AzureSubscription, World } from '../world/types.js';

export type Tags = Record<string, string>;

/** A resource as ARM lists it: the world's resource with the tags Azure holds now. */
export interface CatalogResource extends AzureResource {
  createdTime: string;
  changedTime: string;
}

const ADDED_TYPES = ['Microsoft.Storage/storageAccounts', 'Microsoft.Compute/virtualMachines', 'Microsoft.Network/virtualNetworks', 'Microsoft.Web/sites'];
const EPOCH = Date.UTC(2022, 0, 1);

/**
 * The resources ARM serves: the world's (lazily generated, read by index) plus resources added at run time,
 * with a tag overlay for every scope whose tags changed (by API writes or by "someone in Azure").
 */
export class ResourceCatalog {
  private readonly added = new Map<string, AzureResource[]>();
  private readonly addedAt = new Map<string, string>();
  private readonly tagOverlay = new Map<string, { tags: Tags; changedTime: string }>();
  /** Lower-case resource id → index, built per subscription on the first lookup by id. */
  private readonly indexes = new Map<string, Map<string, number>>();

  constructor(private readonly world: World, private readonly now: () => number) {}

  subscription(id: string): AzureSubscription | undefined {
    return this.world.azureSubscription(id) ?? this.world.azureSubscription(id.toLowerCase());
  }

  count(subscriptionId: string): number {
    const sub = this.subscription(subscriptionId);
    return sub ? sub.resourceCount + (this.added.get(sub.subscriptionId.toLowerCase())?.length ?? 0) : 0;
  }

  at(subscriptionId: string, index: number): CatalogResource | undefined {
    const sub = this.subscription(subscriptionId);
    if (!sub || index < 0) return undefined;
    const raw = index < sub.resourceCount ? this.world.resourceAt(sub.subscriptionId, index) : this.added.get(sub.subscriptionId.toLowerCase())?.[index - sub.resourceCount];
    return raw ? this.present(raw) : undefined;
  }

  findById(resourceId: string): CatalogResource | undefined {
    const m = /^\/subscriptions\/([^/]+)\//i.exec(resourceId);
    if (!m) return undefined;
    const sub = this.subscription(m[1]);
    if (!sub) return undefined;
    const index = this.indexFor(sub).get(resourceId.toLowerCase());
    return index === undefined ? undefined : this.at(sub.subscriptionId, index);
  }

  resourceGroup(subscriptionId: string, name: string): string | undefined {
    return this.subscription(subscriptionId)?.resourceGroups.find((rg) => rg.toLowerCase() === name.toLowerCase());
  }

  /** Tags at a scope id (subscription, resource group or resource), overlay first. */
  tagsAt(scopeId: string, fallback: Tags = {}): Tags {
    return { ...(this.tagOverlay.get(scopeId.toLowerCase())?.tags ?? fallback) };
  }

  setTags(scopeId: string, tags: Tags): void {
    this.tagOverlay.set(scopeId.toLowerCase(), { tags: { ...tags }, changedTime: new Date(this.now()).toISOString() });
  }

  addResources(subscriptionId: string, n: number): AzureResource[] {
    const sub = this.subscription(subscriptionId);
    if (!sub) throw new Error(`unknown subscription ${subscriptionId}`);
    const key = sub.subscriptionId.toLowerCase();
    const list = this.added.get(key) ?? [];
    this.added.set(key, list);
    const location = this.world.resourceAt(sub.subscriptionId, 0)?.location ?? 'westeurope';
    const rg = sub.resourceGroups[0] ?? 'rg-added';
    const created: AzureResource[] = [];
    for (let i = 0; i < n; i++) {
      const k = list.length + 1;
      const type = ADDED_TYPES[k % ADDED_TYPES.length];
      const name = `added${k}${type.split('/')[1].slice(0, 4).toLowerCase()}`;
      const r: AzureResource = { id: `/subscriptions/${sub.subscriptionId}/resourceGroups/${rg}/providers/${type}/${name}`, name, type, location, resourceGroup: rg, tags: {} };
      list.push(r);
      this.addedAt.set(r.id.toLowerCase(), new Date(this.now()).toISOString());
      this.indexes.get(key)?.set(r.id.toLowerCase(), sub.resourceCount + list.length - 1);
      created.push(r);
    }
    return created;
  }

  private present(r: AzureResource): CatalogResource {
    const key = r.id.toLowerCase();
    const overlay = this.tagOverlay.get(key);
    const createdTime = this.addedAt.get(key) ?? seededTime(key);
    return { ...r, tags: overlay ? { ...overlay.tags } : { ...r.tags }, createdTime, changedTime: overlay?.changedTime ?? createdTime };
  }

  private indexFor(sub: AzureSubscription): Map<string, number> {
    const key = sub.subscriptionId.toLowerCase();
    let index = this.indexes.get(key);
    if (!index) {
      index = new Map();
      let i = 0;
      for (const r of this.world.resources(sub.subscriptionId)) {
        if (i >= sub.resourceCount) break;
        index.set(r.id.toLowerCase(), i++);
      }
      (this.added.get(key) ?? []).forEach((r, j) => index!.set(r.id.toLowerCase(), sub.resourceCount + j));
      this.indexes.set(key, index);
    }
    return index;
  }
}

/** A stable creation time for a seeded resource, within its first two years. */
function seededTime(key: string): string {
  const n = createHash('sha1').update(key).digest().readUInt32BE(0);
  return new Date(EPOCH + (n % (730 * 24 * 3600)) * 1000).toISOString();
}
