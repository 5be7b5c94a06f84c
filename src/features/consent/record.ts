import type { Deps } from '../../deps.js';
import { scopedId, type AzureRole, type CredentialStatus, type Person, type Subscription, type Tenant } from '../../store/types.js';
import { credentialSealContext } from '../health/credentials.js';
import type { SubscriptionResult } from './assign.js';

/** Read Tags Only: what Reader allows (resources and their tags, never written). Read and Write needs an approval. */
export const DEFAULT_SYNC_MODE = 'readTags' as const;
const REFRESH_TOKEN_DAYS = 90;

export interface ConnectionRecord {
  /** `connect` (re)sets who consented; `addSubscriptions` keeps it. */
  mode: 'connect' | 'addSubscriptions';
  workspaceId: string;
  tenantId: string;
  /** The Teams user who acted. */
  actor: Person;
  /** The Microsoft account whose sign-in was used. */
  signedInAs?: string;
  /** From a new sign-in: kept sealed for the health check's revocation test only. */
  refreshToken?: string;
  results: SubscriptionResult[];
  role: AzureRole;
  organization?: { displayName: string; defaultDomain?: string };
  graphConsent: CredentialStatus;
  /** Set when the subscriptions could not even be listed: Azure access is then recorded as an error. */
  listingFailed?: string;
}

/**
 * Stores the connected tenant (created or updated: other credentials and links are kept) and the subscriptions
 * where our role is now held. Audits the connection and the credential change. The delegated refresh token is
 * stored only sealed (context: health's credentialSealContext, so health.check can unseal it), and only so health.check can tell when it is revoked.
 */
export async function recordConnection(deps: Pick<Deps, 'store' | 'sealer' | 'now'>, r: ConnectionRecord): Promise<Tenant> {
  const at = deps.now().toISOString();
  const existing = await deps.store.tenants.get(r.workspaceId, r.tenantId);
  const held = r.results.filter((s) => s.outcome === 'assigned' || s.outcome === 'alreadyAssigned');
  const credentials: Tenant['credentials'] = { ...existing?.credentials };
  credentials.azureConsent = r.listingFailed
    ? { ...credentials.azureConsent, state: 'error', updatedAt: at, detail: `Subscriptions could not be listed: ${r.listingFailed}` }
    : { ...credentials.azureConsent, state: 'ok', updatedAt: at, detail: `${r.role} on ${held.length} subscription(s)` };
  credentials.graphConsent = { ...r.graphConsent, notifiedState: existing?.credentials.graphConsent?.notifiedState, notifiedAt: existing?.credentials.graphConsent?.notifiedAt };
  if (r.refreshToken) {
    credentials.delegatedRefreshToken = {
      state: 'ok',
      sealed: deps.sealer.seal(r.refreshToken, credentialSealContext(r.workspaceId, r.tenantId, 'delegatedRefreshToken')),
      updatedAt: at,
      issuedAt: at,
      expiresAt: new Date(deps.now().getTime() + REFRESH_TOKEN_DAYS * 86400_000).toISOString(),
      detail: `signed in as ${r.signedInAs ?? 'an admin'}`,
      notifiedState: existing?.credentials.delegatedRefreshToken?.notifiedState,
      notifiedAt: existing?.credentials.delegatedRefreshToken?.notifiedAt,
    };
  }
  const tenant: Tenant = {
    ...existing,
    id: r.tenantId,
    workspaceId: r.workspaceId,
    displayName: r.organization?.displayName ?? existing?.displayName ?? domainOf(r.signedInAs) ?? r.tenantId,
    defaultDomain: r.organization?.defaultDomain ?? existing?.defaultDomain,
    consentedBy: r.mode === 'connect' || !existing ? r.actor : existing.consentedBy,
    consentedAt: r.mode === 'connect' || !existing ? at : existing.consentedAt,
    credentials,
    updatedAt: at,
  };
  await deps.store.tenants.upsert(tenant);
  for (const s of held) await upsertSubscription(deps, r, s, at);
  const action = r.mode === 'addSubscriptions' ? 'subscriptions.add' : existing ? 'tenant.reconnect' : 'tenant.connect';
  await deps.store.audit.append({
    workspaceId: r.workspaceId, tenantId: r.tenantId, actor: r.actor.aadObjectId, action, target: r.tenantId, outcome: 'success',
    detail: { signedInAs: r.signedInAs, role: r.role, subscriptions: Object.fromEntries(r.results.map((s) => [s.subscriptionId, s.outcome])) },
  });
  if (r.refreshToken) {
    await deps.store.audit.append({ workspaceId: r.workspaceId, tenantId: r.tenantId, actor: r.actor.aadObjectId, action: 'credential.set', target: `${r.tenantId}/delegatedRefreshToken`, outcome: 'success', detail: { sealed: true, signedInAs: r.signedInAs } });
  }
  return tenant;
}

/** A subscription now readable by our principal. An existing record keeps its sync mode and a higher role. */
async function upsertSubscription(deps: Pick<Deps, 'store'>, r: ConnectionRecord, s: SubscriptionResult, at: string): Promise<void> {
  const id = scopedId(r.tenantId, s.subscriptionId);
  const existing = await deps.store.subscriptions.get(r.workspaceId, id);
  const ids = new Set(existing?.roleAssignmentIds ?? []);
  if (s.roleAssignmentId) ids.add(s.roleAssignmentId);
  const record: Subscription = {
    ...existing,
    id,
    workspaceId: r.workspaceId,
    tenantId: r.tenantId,
    subscriptionId: s.subscriptionId,
    displayName: s.displayName,
    state: s.state,
    role: existing?.role ?? r.role,
    syncMode: existing?.syncMode ?? DEFAULT_SYNC_MODE,
    roleAssignmentIds: [...ids],
    updatedAt: at,
  };
  await deps.store.subscriptions.upsert(record);
}

function domainOf(upn: string | undefined): string | undefined {
  const at = upn?.lastIndexOf('@') ?? -1;
  return upn && at > 0 ? upn.slice(at + 1) : undefined;
}
