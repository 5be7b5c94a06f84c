import type { RetryOptions } from './retry.js';
import { restJson } from './rest.js';

/** A Partner Admin Link: the partner id associated with the calling identity in its tenant. */
export interface PalLink {
  partnerId: string;
  partnerName?: string;
  tenantId?: string;
  objectId?: string;
  updatedTime?: string;
  createdTime?: string;
}

export type PalChange = 'created' | 'updated' | 'unchanged' | 'removed' | 'none';

const API = 'api-version=2018-02-01';

/**
 * Microsoft.ManagementPartner (Partner Admin Link) for the identity whose ARM token `token` returns: our service
 * principal's app-only token in a customer tenant links our partner id to that credential. It grants nothing: it only
 * attributes the access the credential already has to the partner.
 */
export class PalClient {
  constructor(
    private readonly armEndpoint: string,
    private readonly token: () => Promise<string>,
    private readonly retry: RetryOptions = {},
  ) {}

  /** The current link, or undefined when none. */
  async get(): Promise<PalLink | undefined> {
    const { status, body } = await restJson<{ properties?: PalLink }>({ url: `${this.armEndpoint}/providers/Microsoft.ManagementPartner/partners?${API}`, token: this.token, accept: [404] }, this.retry);
    return status === 404 || !body?.properties ? undefined : pick(body.properties);
  }

  /** Links `partnerId`: PUT when nothing is linked, PATCH to replace another id, nothing when already linked. */
  async set(partnerId: string): Promise<{ change: PalChange; link: PalLink; previous?: PalLink }> {
    const previous = await this.get();
    if (previous?.partnerId === partnerId) return { change: 'unchanged', link: previous, previous };
    const method = previous ? 'PATCH' : 'PUT';
    const { body } = await restJson<{ properties?: PalLink }>({ method, url: this.url(partnerId), token: this.token, body: {} }, this.retry);
    return { change: previous ? 'updated' : 'created', link: pick(body?.properties ?? { partnerId }), previous };
  }

  /** Removes the current link, if any. */
  async remove(): Promise<{ change: PalChange; previous?: PalLink }> {
    const previous = await this.get();
    if (!previous) return { change: 'none' };
    await restJson({ method: 'DELETE', url: this.url(previous.partnerId), token: this.token, accept: [204] }, this.retry);
    return { change: 'removed', previous };
  }

  private url(partnerId: string): string {
    return `${this.armEndpoint}/providers/Microsoft.ManagementPartner/partners/${encodeURIComponent(partnerId)}?${API}`;
  }
}

function pick(p: PalLink): PalLink {
  return { partnerId: p.partnerId, partnerName: p.partnerName, tenantId: p.tenantId, objectId: p.objectId, updatedTime: p.updatedTime, createdTime: p.createdTime };
}

/**
 * A Partner ID (Microsoft AI Cloud Partner Program id, formerly MPN id): digits only. Real ids are 6 to 8 digits;
 * anything else is refused before Microsoft is called.
 */
export function isValidPartnerId(id: string): boolean {
  return /^[0-9]{6,8}$/.test(id);
}
