/** Record builders for the store tests. */
import {
  scopedId, type ConversationRecord, type DirectoryUser, type Subscription, type Tenant, type Workspace,
} from '../../src/store/index.js';

export const NOW = '2025-01-02T03:04:05.000Z';

export function workspace(id: string): Workspace {
  return { id, workspaceId: id, admins: [{ aadObjectId: `admin-${id}`, name: 'Ada', role: 'owner' }], settings: {}, createdAt: NOW };
}

export function tenant(workspaceId: string, id: string, displayName = `Tenant ${id}`): Tenant {
  return {
    id, workspaceId, displayName, consentedBy: { aadObjectId: 'u1', name: 'Ada' }, consentedAt: NOW,
    credentials: { azureConsent: { state: 'ok', updatedAt: NOW } },
  };
}

export function subscription(workspaceId: string, tenantId: string, n: number, extra: Partial<Subscription> = {}): Subscription {
  const subscriptionId = `sub-${String(n).padStart(3, '0')}`;
  return {
    id: scopedId(tenantId, subscriptionId), workspaceId, tenantId, subscriptionId, displayName: `Subscription ${n}`,
    state: 'Enabled', role: 'Reader', syncMode: 'readTags', roleAssignmentIds: [`ra-${n}`], ...extra,
  };
}

export function user(workspaceId: string, tenantId: string, n: number, extra: Partial<DirectoryUser> = {}): DirectoryUser {
  const userId = `user-${String(n).padStart(6, '0')}`;
  return {
    id: scopedId(tenantId, userId), workspaceId, tenantId, userId, userPrincipalName: `${userId}@contoso.example`,
    displayName: `User ${n}`, accountEnabled: n % 2 === 0, assignedSkuIds: ['sku-e3'], ...extra,
  };
}

export function users(workspaceId: string, tenantId: string, from: number, count: number): DirectoryUser[] {
  return Array.from({ length: count }, (_, i) => user(workspaceId, tenantId, from + i));
}

export function conversation(workspaceId: string, id: string, topics: string[]): ConversationRecord {
  return {
    id, workspaceId, topics, updatedAt: NOW,
    reference: { channelId: 'msteams', serviceUrl: 'https://smba.example/', conversation: { id, isGroup: true, conversationType: 'channel', name: id } },
  };
}
