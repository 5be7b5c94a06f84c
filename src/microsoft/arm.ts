import { createHash } from 'node:crypto';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { TokenCredential } from '@azure/core-auth';
import { createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import type { MicrosoftEndpoints } from './endpoints.js';

export interface ArmSubscription {
  subscriptionId: string;
  displayName: string;
  /** Enabled, Disabled, Warned, PastDue, Deleted. */
  state: string;
  tenantId?: string;
}

/** An Azure RBAC permission block as `Microsoft.Authorization/permissions` returns it. */
export interface ArmPermission {
  actions?: string[];
  notActions?: string[];
}

export interface ArmRoleAssignment {
  id: string;
  name: string;
  principalId: string;
  roleDefinitionGuid: string;
  scope: string;
}

export const ROLE_ASSIGNMENT_WRITE = 'Microsoft.Authorization/roleAssignments/write';
const PERMISSIONS_API_VERSION = '2022-04-01';

/**
 * Azure Resource Manager through the official clients (SubscriptionClient, AuthorizationManagementClient),
 * pointed at config.microsoft.arm with the cloud's ARM scope, for one credential: the delegated token of the
 * impersonation window or the app-only credential of a tenant.
 */
export class Arm {
  constructor(
    private readonly endpoints: MicrosoftEndpoints,
    private readonly credential: TokenCredential,
  ) {}

  /** Subscriptions the credential holds any role on, in its token's tenant. */
  async listSubscriptions(): Promise<ArmSubscription[]> {
    const client = new SubscriptionClient(this.credential, this.options());
    const out: ArmSubscription[] = [];
    for await (const s of client.subscriptions.list()) {
      if (!s.subscriptionId) continue;
      out.push({ subscriptionId: s.subscriptionId, displayName: s.displayName ?? s.subscriptionId, state: s.state ?? 'Enabled', tenantId: s.tenantId });
    }
    return out;
  }

  /** The caller's effective permissions on a subscription (`GET …/providers/Microsoft.Authorization/permissions`). */
  async permissions(subscriptionId: string): Promise<ArmPermission[]> {
    // The SDK has this operation for resource groups and resources only; the subscription scope goes through the
    // same client pipeline (authentication, retries) with a request of our own.
    const client = this.authorization(subscriptionId);
    const request = createPipelineRequest({
      url: `${this.endpoints.arm}/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.Authorization/permissions?api-version=${PERMISSIONS_API_VERSION}`,
      method: 'GET',
    });
    const response = await client.sendRequest(request);
    const body = response.bodyAsText ? (JSON.parse(response.bodyAsText) as { value?: ArmPermission[]; error?: { code?: string; message?: string } }) : {};
    if (response.status >= 400) {
      throw new RestError(body.error?.message ?? `ARM answered ${response.status}`, { statusCode: response.status, code: body.error?.code, request, response });
    }
    return body.value ?? [];
  }

  /** Whether the caller may create role assignments on the subscription (Owner, User Access Administrator, …). */
  async canWriteRoleAssignments(subscriptionId: string): Promise<boolean> {
    return allows(await this.permissions(subscriptionId), ROLE_ASSIGNMENT_WRITE);
  }

  /** Role assignments of one principal at the subscription scope. */
  async roleAssignmentsOf(subscriptionId: string, principalId: string): Promise<ArmRoleAssignment[]> {
    const out: ArmRoleAssignment[] = [];
    const scope = `/subscriptions/${subscriptionId}`;
    for await (const a of this.authorization(subscriptionId).roleAssignments.listForScope(scope, { filter: `principalId eq '${principalId}'` })) {
      if (a.name && a.id) out.push({ id: a.id, name: a.name, principalId: a.principalId ?? principalId, roleDefinitionGuid: guidOf(a.roleDefinitionId ?? ''), scope: a.scope ?? scope });
    }
    return out;
  }

  /** Creates a role assignment at subscription scope. ARM answers 409 RoleAssignmentExists for an equivalent one. */
  async createRoleAssignment(subscriptionId: string, req: { name: string; roleDefinitionGuid: string; principalId: string; principalType?: 'ServicePrincipal' | 'User' | 'Group' }): Promise<ArmRoleAssignment> {
    const scope = `/subscriptions/${subscriptionId}`;
    const created = await this.authorization(subscriptionId).roleAssignments.create(scope, req.name, {
      roleDefinitionId: `${scope}/providers/Microsoft.Authorization/roleDefinitions/${req.roleDefinitionGuid}`,
      principalId: req.principalId,
      principalType: req.principalType ?? 'ServicePrincipal',
    });
    return { id: created.id ?? `${scope}/providers/Microsoft.Authorization/roleAssignments/${req.name}`, name: created.name ?? req.name, principalId: req.principalId, roleDefinitionGuid: req.roleDefinitionGuid, scope };
  }

  /** Deletes a role assignment by name; resolves false when there was none. */
  async deleteRoleAssignment(subscriptionId: string, name: string): Promise<boolean> {
    const removed = await this.authorization(subscriptionId).roleAssignments.delete(`/subscriptions/${subscriptionId}`, name);
    return Boolean(removed?.name);
  }

  private authorization(subscriptionId: string): AuthorizationManagementClient {
    return new AuthorizationManagementClient(this.credential, subscriptionId, this.options());
  }

  private options() {
    return { endpoint: this.endpoints.arm, credentialScopes: [this.endpoints.scopes.arm] };
  }
}

/** Azure RBAC evaluation: some block's actions match and none of that block's notActions do (wildcards `*`). */
export function allows(permissions: ArmPermission[], action: string): boolean {
  return permissions.some((p) => (p.actions ?? []).some((a) => wildcard(a, action)) && !(p.notActions ?? []).some((n) => wildcard(n, action)));
}

function wildcard(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(action);
}

function guidOf(id: string): string {
  return (id.split('/').pop() ?? '').toLowerCase();
}

/** Our namespace for role assignment names (UUID v5), fixed forever: changing it would break idempotency. */
const ASSIGNMENT_NAMESPACE = '5b0e8a44-3f7c-4c1e-9a55-7d1f0e6b2c31';

/**
 * The deterministic name of our role assignment: UUID v5 of subscription + principal + role, so a retry or a
 * second connect PUTs the same name instead of creating a duplicate.
 */
export function roleAssignmentName(subscriptionId: string, principalId: string, roleDefinitionGuid: string): string {
  return uuidV5(`${subscriptionId.toLowerCase()}/${principalId.toLowerCase()}/${roleDefinitionGuid.toLowerCase()}`, ASSIGNMENT_NAMESPACE);
}

/** RFC 4122 version 5 (SHA-1, name-based) UUID. */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
