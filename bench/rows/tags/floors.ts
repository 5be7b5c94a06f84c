/** The floors row 4 is judged against, with the arithmetic spelled out in their labels. */

/** ARM's write bucket per subscription and principal (learn.microsoft.com, "request limits and throttling"). */
export const ARM_WRITE_BURST = 200;
export const ARM_WRITE_REFILL_PER_SECOND = 10;

/**
 * Listing every subscription's resources page by page, `parallel` subscriptions at a time: each subscription is
 * ⌈resources/pageSize⌉ sequential pages of one round trip each; the subscriptions run in waves of `parallel`.
 */
export function listingFloor(o: { subscriptions: number; resourcesEach: number; pageSize: number; parallel: number; latencyMs: number }): { seconds: number; label: string } {
  const pages = Math.ceil(o.resourcesEach / o.pageSize);
  const waves = Math.ceil(o.subscriptions / o.parallel);
  const seconds = (waves * pages * o.latencyMs) / 1000;
  return {
    seconds,
    label: `⌈${o.subscriptions}/${o.parallel} at a time⌉ = ${waves} wave(s) × ⌈${o.resourcesEach}/${o.pageSize}⌉ = ${pages} pages × ${o.latencyMs} ms`,
  };
}

/** The write-throttle floor: the slowest subscription's writes beyond the burst, at the refill rate; subscriptions in parallel. */
export function writeFloor(editsPerSubscription: number[]): { seconds: number; label: string } {
  const most = Math.max(...editsPerSubscription);
  const seconds = Math.max(0, most - ARM_WRITE_BURST) / ARM_WRITE_REFILL_PER_SECOND;
  return { seconds, label: `max over subscriptions (${most} edits − ${ARM_WRITE_BURST} burst) / ${ARM_WRITE_REFILL_PER_SECOND} writes/s, in parallel` };
}
