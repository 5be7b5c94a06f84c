import type { GraphPage } from '../../../microsoft/graph-pages.js';
import { scopedId, type SsoSignin } from '../../../store/types.js';
import type { ImportContext } from './context.js';

interface GraphSignIn {
  id: string;
  createdDateTime: string;
  userId: string;
  userPrincipalName?: string | null;
  appId: string;
  appDisplayName?: string | null;
  status?: { errorCode?: number | null } | null;
  location?: { city?: string | null; state?: string | null; countryOrRegion?: string | null } | null;
}

/** The checkpoint that holds the sign-in watermark: the newest sign-in time already stored. */
export const signInCheckpointId = (tenantId: string) => `${tenantId}/saas.signIns`;

/** Sign-ins can reach the log a few minutes late, so each run looks back this far behind its watermark. */
export const WATERMARK_LOOKBACK_MS = 15 * 60_000;

export interface SsoAccessResult {
  /** Sign-ins read. */
  read: number;
  /** (app, user) last-login records written (new or newer). */
  stored: number;
  since?: string;
  watermark?: string;
}

export function loginLocation(s: Pick<GraphSignIn, 'location'>): string | undefined {
  const l = s.location;
  const text = [l?.city, l?.state, l?.countryOrRegion].filter((p): p is string => Boolean(p)).join(', ');
  return text || undefined;
}

/** The sign-ins query: successful sign-ins, from the watermark (minus the look-back) when there is one. */
export function signInsUrl(watermark: string | undefined): { url: string; since?: string } {
  const since = watermark ? new Date(Date.parse(watermark) - WATERMARK_LOOKBACK_MS).toISOString().replace(/\.000Z$/, 'Z') : undefined;
  const filter = [since ? `createdDateTime ge ${since}` : '', 'status/errorCode eq 0'].filter(Boolean).join(' and ');
  return { url: `/auditLogs/signIns?$filter=${encodeURIComponent(filter)}`, since };
}

/**
 * SSO application access: per user and app, the last login and its location, from auditLogs/signIns. Incremental:
 * only sign-ins since the saved watermark are read, and the watermark moves only after everything read is stored,
 * so a run that fails half-way is simply read again. A stored login is only ever replaced by a newer one.
 */
export async function importSsoAccess(ctx: ImportContext): Promise<SsoAccessResult> {
  const checkpointId = signInCheckpointId(ctx.tenantId);
  const previous = (await ctx.store.checkpoints.get(ctx.workspaceId, checkpointId))?.value;
  const { url: first, since } = signInsUrl(previous);
  let newest = previous;
  let read = 0;
  let stored = 0;
  for (let url: string | undefined = first; url; ) {
    const page: GraphPage<GraphSignIn> = await ctx.graph.page<GraphSignIn>(url);
    read += page.value.length;
    const latest = new Map<string, GraphSignIn>();
    for (const s of page.value) {
      if ((s.status?.errorCode ?? 0) !== 0 || !s.userId || !s.appId) continue;
      const key = `${s.appId}/${s.userId}`;
      const held = latest.get(key);
      if (!held || held.createdDateTime < s.createdDateTime) latest.set(key, s);
      if (!newest || newest < s.createdDateTime) newest = s.createdDateTime;
    }
    const records: SsoSignin[] = [];
    for (const [key, s] of latest) {
      const existing = await ctx.store.ssoSignins.get(ctx.workspaceId, scopedId(ctx.tenantId, key));
      if (existing && existing.createdDateTime >= s.createdDateTime) continue;
      records.push(toSsoSignin(s, ctx, key));
    }
    if (records.length) await ctx.store.ssoSignins.bulkUpsert(records);
    stored += records.length;
    await ctx.touch?.();
    url = page.nextLink;
  }
  if (newest && newest !== previous) {
    await ctx.store.checkpoints.upsert({ id: checkpointId, workspaceId: ctx.workspaceId, tenantId: ctx.tenantId, value: newest, updatedAt: ctx.runAt });
  }
  return { read, stored, since, watermark: newest };
}

function toSsoSignin(s: GraphSignIn, ctx: Pick<ImportContext, 'workspaceId' | 'tenantId' | 'runAt'>, key: string): SsoSignin {
  const location = loginLocation(s);
  return {
    id: scopedId(ctx.tenantId, key),
    workspaceId: ctx.workspaceId,
    tenantId: ctx.tenantId,
    signInId: s.id,
    appId: s.appId,
    ...(s.appDisplayName ? { appDisplayName: s.appDisplayName } : {}),
    userId: s.userId,
    ...(s.userPrincipalName ? { userPrincipalName: s.userPrincipalName } : {}),
    createdDateTime: s.createdDateTime,
    succeeded: true,
    errorCode: 0,
    ...(location ? { location } : {}),
    lastSeenAt: ctx.runAt,
  };
}
