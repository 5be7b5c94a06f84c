import type { Approval, Subscription, Tenant } from '../../store/types.js';
import type { Role } from '../../teams/guards.js';
import { defuseTemplateText } from '../status/view.js';
import { modeLabel, SYNC_MODES } from './modes.js';

/** Subscriptions per page of the card: 200 subscriptions stay far under Teams' ~28 KB (about 0.6 KB a row). */
export const PAGE_SIZE = 15;

const utc = (at: string) => `${at.slice(0, 16).replace('T', ' ')} UTC`;

/** The page actually shown when `page` is asked for among `total` subscriptions (clamped to the pages that exist). */
export function clampPage(total: number, page: number): { current: number; pages: number } {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return { current: Math.min(Math.max(0, page), pages - 1), pages };
}

/** The data of cards/subscriptions.json for one page. Every field is a string, a number or a boolean. */
export function subscriptionsCardData(all: Subscription[], tenants: Tenant[], open: Approval[], page: number, role: Role) {
  const { current } = clampPage(all.length, page);
  return subscriptionsPageData(all.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE), all.length, tenants, open, current, role);
}

/**
 * The same from one page of subscriptions (`shown`, sorted by name) out of `total`, so that a turn reads and copies
 * the 15 records it shows rather than all of them.
 */
export function subscriptionsPageData(shown: Subscription[], total: number, tenants: Tenant[], open: Approval[], page: number, role: Role) {
  const { current, pages } = clampPage(total, page);
  const names = new Map(tenants.map((t) => [t.id, t.displayName]));
  const rows = shown.map((s) => {
    const pending = open.find((a) => a.tenantId === s.tenantId && a.subscriptionId === s.subscriptionId);
    const counts = s.counts?.resources === undefined ? 'not synced yet' : `${s.counts.resources} resources · ${s.syncMode === 'noTags' || s.syncMode === 'none' ? 'tags not read' : `${s.counts.tagged ?? 0} tagged`}`;
    const last = s.lastSyncAt ? `last sync ${utc(s.lastSyncAt)} (${s.lastSyncOutcome ?? 'unknown'})` : 'never synced';
    return {
      id: s.id,
      title: s.displayName,
      details: `${s.subscriptionId} · ${names.get(s.tenantId) ?? s.tenantId} · role ${s.role ?? 'none'} · **${modeLabel(s.syncMode)}**`,
      stats: `${counts} · ${last}`,
      pending: pending ? `⏳ ${modeLabel(pending.request.toMode ?? 'readWriteTags')} requested by ${pending.requestedBy.name ?? 'an admin'}: ${pending.status === 'approved' ? 'approved, waiting for the sign-in' : 'waiting for approval'}` : '',
      hasPending: Boolean(pending),
      canChange: role !== 'viewer',
    };
  });
  return defuseTemplateText({
    title: 'Azure subscriptions',
    summary: total
      ? `${total} connected · page ${current + 1} of ${pages}${role === 'viewer' ? ' · only admins can change sync modes' : ''}`
      : 'No subscriptions are connected yet. An admin can type `connect`.',
    modes: SYNC_MODES.map((m) => ({ title: m.label, value: m.meaning })),
    rows,
    hasPrevious: current > 0,
    hasNext: current < pages - 1,
    page: current,
    previousPage: current - 1,
    nextPage: current + 1,
  });
}

/** The data of cards/subscription-modes.json: the four modes of one subscription, with their meaning. */
export function modesCardData(s: Subscription, pending: Approval | undefined) {
  return defuseTemplateText({
    title: `Sync mode: ${s.displayName}`,
    subtitle: `${s.subscriptionId} · role ${s.role ?? 'none'} · now **${modeLabel(s.syncMode)}**`,
    pending: pending ? `⏳ A request for ${modeLabel(pending.request.toMode ?? 'readWriteTags')} is open (${pending.status}); choosing another mode withdraws it.` : '',
    hasPending: Boolean(pending),
    modes: SYNC_MODES.map((m) => ({
      label: `${m.mode === s.syncMode ? '● ' : ''}${m.label}`,
      meaning: m.meaning,
      how:
        m.mode === s.syncMode
          ? 'Current mode.'
          : m.mode === 'readWriteTags'
            ? 'Needs another admin to approve, then their sign-in as an Owner (Tag Contributor replaces Reader).'
            : s.syncMode === 'readWriteTags'
              ? 'Needs your sign-in as an Owner: Reader is restored and Tag Contributor removed.'
              : 'Takes effect at once.',
      selectable: m.mode !== s.syncMode,
      mode: m.mode,
      subscriptionId: s.id,
    })),
  });
}
