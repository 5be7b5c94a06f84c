import { getContinuationToken, ResourceManagementClient } from '@azure/arm-resources';
import type { TokenCredential } from '@azure/core-auth';
import type { MicrosoftEndpoints } from './endpoints.js';
import { ArmWritePacer } from './arm-write-pacer.js';
import { retryAfterMs, retryReason, withRetries, type RetryOptions } from './retry.js';

/** The api-version design.md names for tags at scope; resources list answers the same shapes. */
export const TAGS_API_VERSION = '2021-04-01';

/** Resources asked for per page (`$top`) when listing a subscription; ARM allows up to 1000. */
export const RESOURCE_PAGE_SIZE = 200;

export interface ArmResource {
  /** The ARM id, as ARM spells it. */
  id: string;
  name: string;
  type: string;
  location?: string;
  resourceGroup?: string;
  tags: Record<string, string>;
}

export interface PatchResult {
  /** The tags at the scope after the write, as ARM answered. */
  tags: Record<string, string>;
  /** `x-ms-ratelimit-remaining-subscription-writes`, when ARM sent it. */
  remainingWrites?: number;
}

/**
 * Resources and tags of one subscription through @azure/arm-resources (ResourceManagementClient), for one
 * credential (the app-only credential of the tenant). The SDK's own retries are off: every call goes through
 * {@link withRetries}, which honours `Retry-After` on 429 and backs off on 5xx and resets, so a caller sees
 * (and can log, pace and test) every wait.
 */
export class ResourceTags {
  private readonly client: ResourceManagementClient;

  constructor(
    endpoints: MicrosoftEndpoints,
    credential: TokenCredential,
    readonly subscriptionId: string,
    private readonly retry: RetryOptions = {},
    /** Paces this subscription's writes (one per subscription and credential, as ARM's bucket is). */
    readonly writes: ArmWritePacer = new ArmWritePacer(),
  ) {
    this.client = new ResourceManagementClient(credential, subscriptionId, {
      endpoint: endpoints.arm,
      credentialScopes: [endpoints.scopes.arm],
      apiVersion: TAGS_API_VERSION,
      retryOptions: { maxRetries: 0 },
    });
  }

  /**
   * The subscription's resources, one ARM page at a time (`$top` = pageSize, following `nextLink`). Each page says
   * the `nextLink` that follows it, so a caller may stop and resume from there (`from`). A page that fails is
   * fetched again from the same link: the SDK's iterator ends on an error, so each try starts one afresh.
   */
  async *pages(opts: { pageSize?: number; from?: string } = {}): AsyncGenerator<{ resources: ArmResource[]; nextLink?: string }> {
    let link = opts.from;
    for (;;) {
      const from = link;
      const page = await withRetries(
        () => annotated(() => this.client.resources.list({ top: opts.pageSize ?? RESOURCE_PAGE_SIZE }).byPage(from ? { continuationToken: from } : undefined).next()),
        this.retry,
      );
      if (page.done) return;
      link = getContinuationToken(page.value);
      yield { resources: page.value.filter((r) => r.id && r.name).map(toResource), nextLink: link };
      if (!link) return;
    }
  }

  /** The tags at a scope now (a read; `GET {scope}/providers/Microsoft.Resources/tags/default`). */
  async tagsAt(scope: string): Promise<Record<string, string>> {
    const res = await withRetries(() => annotated(() => this.client.tagsOperations.getAtScope(scope)), this.retry);
    return { ...res.properties?.tags };
  }

  /**
   * `PATCH {scope}/providers/Microsoft.Resources/tags/default` with Merge or Delete. Replace is deliberately not
   * offered: it would drop every tag the request does not name. Both operations are idempotent (Delete names the
   * value it removes, so ARM removes nothing that changed meanwhile); a retry after a lost answer first reads the tags
   * and writes only if Azure does not already hold the change.
   * Every try waits for the subscription's {@link ArmWritePacer} first, and tells it what ARM answered, so parallel
   * calls spend ARM's write burst and then follow its refill instead of meeting 429s.
   */
  async patch(scope: string, operation: 'Merge' | 'Delete', tags: Record<string, string>): Promise<PatchResult> {
    let remainingWrites: number | undefined;
    let mayHaveApplied = false;
    const res = await withRetries(async () => {
      // The answer to the last try was lost after ARM may have applied it (a reset or a cut body): look before
      // writing again, so Azure (and its activity log) sees each edit once.
      if (mayHaveApplied) {
        const now = await this.tagsAt(scope);
        if (patchHolds(now, operation, tags)) return { properties: { tags: now } };
      }
      await this.writes.acquire();
      let remaining: number | undefined;
      try {
        const answer = await annotated(() =>
          this.client.tagsOperations.beginUpdateAtScopeAndWait(scope, { operation, properties: { tags } }, {
            onResponse: (raw) => {
              remaining = remainingWritesOf(raw.headers);
            },
          }),
        );
        this.writes.settle({ remaining });
        remainingWrites = remaining;
        return answer;
      } catch (err) {
        const e = err as { statusCode?: number; response?: { headers?: { get(name: string): string | undefined } } };
        this.writes.settle({ remaining: remaining ?? remainingWritesOf(e.response?.headers), retryAfterMs: e.statusCode === 429 ? (retryAfterMs(err) ?? 1000) : undefined });
        const reason = retryReason(err);
        mayHaveApplied = reason === 'truncated response' || reason === 'connection reset' || reason === 'unreadable response';
        throw err;
      }
    }, this.retry);
    return { tags: { ...res.properties?.tags }, remainingWrites };
  }
}

/** Azure already holds what the PATCH asks: Merge's values are there, or Delete's tags are gone. */
export function patchHolds(now: Record<string, string>, operation: 'Merge' | 'Delete', tags: Record<string, string>): boolean {
  return Object.entries(tags).every(([name, value]) => {
    const key = Object.keys(now).find((k) => k.toLowerCase() === name.toLowerCase());
    return operation === 'Merge' ? key !== undefined && now[key] === value : key === undefined || now[key] !== value;
  });
}

function remainingWritesOf(headers: { get(name: string): string | undefined } | undefined): number | undefined {
  const header = headers?.get('x-ms-ratelimit-remaining-subscription-writes');
  return header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
}

function toResource(r: { id?: string; name?: string; type?: string; location?: string; tags?: Record<string, string> }): ArmResource {
  const id = r.id!;
  return { id, name: r.name!, type: r.type ?? '', location: r.location, resourceGroup: /\/resourceGroups\/([^/]+)/i.exec(id)?.[1], tags: { ...r.tags } };
}

/** The SDK's RestError keeps `Retry-After` on `response.headers`; withRetries reads `retryAfterMs`. */
async function annotated<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const e = err as { response?: { headers?: { get(name: string): string | undefined } }; retryAfterMs?: number };
    const raw = e?.response?.headers?.get('retry-after');
    if (raw && e.retryAfterMs === undefined) {
      const seconds = Number(raw);
      const ms = Number.isFinite(seconds) ? seconds * 1000 : Math.max(0, Date.parse(raw) - Date.now());
      if (!Number.isNaN(ms)) e.retryAfterMs = ms;
    }
    throw err;
  }
}
