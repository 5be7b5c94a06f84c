import { randomUUID } from 'node:crypto';
import type { Ctx, Reply, Router } from '../http/router.js';
import { armError } from '../http/errors.js';
import type { ServiceDeps } from '../deps.js';
import type { AzureSubscription } from '../world/types.js';
import { authenticateArm, wrongTenant, type ArmCaller } from './caller.js';
import { RoleAssignmentStore } from './assignments.js';
import { ResourceCatalog } from './catalog.js';
import { ThrottleBuckets, type RequestKind } from './throttle.js';
import { permissionAllows } from './roles.js';

/** ARM's state and shared helpers, passed to every route module. */
export class ArmContext {
  readonly assignments: RoleAssignmentStore;
  readonly catalog: ResourceCatalog;
  readonly throttle: ThrottleBuckets;

  constructor(readonly deps: ServiceDeps) {
    const now = () => deps.state.now();
    this.assignments = new RoleAssignmentStore(deps.world, now);
    this.catalog = new ResourceCatalog(deps.world, now);
    this.throttle = new ThrottleBuckets(now);
  }

  /** 403 AuthorizationFailed unless the caller's roles in the subscription grant `action`. */
  authorize(caller: ArmCaller, sub: AzureSubscription, action: string, scope: string): Reply | undefined {
    const allowed = this.assignments.permissionsOf(sub.subscriptionId, caller.oid).some((p) => permissionAllows(p, action));
    return allowed ? undefined : authorizationFailed(caller, action, scope);
  }

  /** A principal exists if it is a user, a service principal (ours or the world's) or a group of the tenant. */
  principalType(tenantId: string, principalId: string): 'User' | 'ServicePrincipal' | 'Group' | undefined {
    const w = this.deps.world;
    if (w.user(tenantId, principalId)) return 'User';
    if (w.demoApp.servicePrincipalIdIn(tenantId).toLowerCase() === principalId.toLowerCase()) return 'ServicePrincipal';
    if (w.servicePrincipals(tenantId).some((sp) => sp.id.toLowerCase() === principalId.toLowerCase())) return 'ServicePrincipal';
    if (w.groups(tenantId).some((g) => g.id.toLowerCase() === principalId.toLowerCase())) return 'Group';
    return undefined;
  }

  /** Records a write that took effect, for the inspection API. */
  recordWrite(ctx: Ctx, caller: ArmCaller, kind: string, detail: unknown, status: number): void {
    this.deps.state.recordWrite({
      service: 'arm',
      kind,
      method: ctx.method,
      path: ctx.path,
      principal: { tenantId: caller.tenantId, oid: caller.oid, appId: caller.appId },
      detail,
      status,
    });
  }
}

export function authorizationFailed(caller: ArmCaller, action: string, scope: string): Reply {
  return armError(
    403,
    'AuthorizationFailed',
    `The client '${caller.displayName}' with object id '${caller.oid}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
  );
}

export interface ArmRequest {
  ctx: Ctx;
  caller: ArmCaller;
  /** The subscription named in the path, when the route has one (already checked to exist and match the token's tenant). */
  sub: AzureSubscription;
}

export interface TenantRequest {
  ctx: Ctx;
  caller: ArmCaller;
}

/**
 * Adds an ARM route: authentication, api-version, subscription and tenant checks, throttling and the
 * x-ms-ratelimit-remaining-* header, in ARM's order. Patterns match any number of leading slashes
 * (SDKs send `//subscriptions/...` for scopes) and any case.
 */
export function addSubscriptionRoute(router: Router, arm: ArmContext, method: string, pattern: RegExp, handle: (r: ArmRequest) => Promise<Reply> | Reply): void {
  router.add('arm', method, pattern, async (ctx) => {
    const pre = await preamble(arm, ctx);
    if ('status' in pre) return pre;
    const subscriptionId = ctx.params.subscriptionId;
    const sub = arm.catalog.subscription(subscriptionId);
    if (!sub) return armError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
    if (sub.tenantId.toLowerCase() !== pre.caller.tenantId.toLowerCase()) return wrongTenant(arm.deps, pre.caller.tenantId, sub.tenantId);
    return throttled(arm, ctx, `subscription:${sub.subscriptionId}:${pre.caller.oid}`, 'subscription', () => handle({ ctx, caller: pre.caller, sub }));
  });
}

/** Like addSubscriptionRoute for tenant-level operations (subscriptions list, PAL): throttled per tenant and principal. */
export function addTenantRoute(router: Router, arm: ArmContext, method: string, pattern: RegExp, handle: (r: TenantRequest) => Promise<Reply> | Reply): void {
  router.add('arm', method, pattern, async (ctx) => {
    const pre = await preamble(arm, ctx);
    if ('status' in pre) return pre;
    return throttled(arm, ctx, `tenant:${pre.caller.tenantId}:${pre.caller.oid}`, 'tenant', () => handle({ ctx, caller: pre.caller }));
  });
}

async function preamble(arm: ArmContext, ctx: Ctx): Promise<{ caller: ArmCaller } | Reply> {
  const caller = await authenticateArm(ctx, arm.deps);
  if ('status' in caller) return caller;
  if (!ctx.query.get('api-version')) return armError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
  return { caller };
}

async function throttled(arm: ArmContext, ctx: Ctx, key: string, level: 'subscription' | 'tenant', run: () => Promise<Reply> | Reply): Promise<Reply> {
  const kind: RequestKind = ctx.method === 'GET' || ctx.method === 'HEAD' ? 'read' : 'write';
  const header = `x-ms-ratelimit-remaining-${level}-${kind === 'read' ? 'reads' : 'writes'}`;
  const take = arm.throttle.take(key, kind);
  if (!take.ok) {
    const who = key.split(':');
    return armError(
      429,
      'TooManyRequests',
      `Number of '${kind}' requests for ${level} '${who[1]}' actor '${who[who.length - 1]}' exceeded. Please try again after '${take.retryAfterSeconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling`,
      { 'Retry-After': String(take.retryAfterSeconds), [header]: '0' },
    );
  }
  const reply = await run();
  return { ...reply, headers: { 'x-ms-request-id': randomUUID(), 'x-ms-correlation-request-id': randomUUID(), ...(reply.headers ?? {}), [header]: String(take.remaining) } };
}
