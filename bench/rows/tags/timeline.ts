/** Per-subscription timeline of a run from the emulator's request log: listing and PATCH spans, for the report. */
import type { RequestRecord } from '../../../emulator/index.js';

export interface SubscriptionTimeline {
  subscriptionId: string;
  listFirst: number;
  listLast: number;
  patchFirst?: number;
  patchLast?: number;
  patches: number;
}

export function timelines(requests: RequestRecord[], t0: number): SubscriptionTimeline[] {
  const by = new Map<string, SubscriptionTimeline>();
  for (const r of requests) {
    const id = /\/subscriptions\/([^/?]+)/i.exec(r.url)?.[1]?.toLowerCase();
    if (!id) continue;
    const at = Date.parse(r.at) - t0;
    const t = by.get(id) ?? { subscriptionId: id, listFirst: Infinity, listLast: -Infinity, patches: 0 };
    by.set(id, t);
    if (r.method === 'GET' && /\/resources\?/.test(r.url)) {
      t.listFirst = Math.min(t.listFirst, at);
      t.listLast = Math.max(t.listLast, at);
    } else if (r.method === 'PATCH') {
      t.patches++;
      t.patchFirst = Math.min(t.patchFirst ?? Infinity, at);
      t.patchLast = Math.max(t.patchLast ?? -Infinity, at);
    }
  }
  return [...by.values()];
}
