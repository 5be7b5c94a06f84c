import type { Router } from '../http/router.js';
import { json } from '../http/router.js';
import type { AzureResource } from '../world/types.js';
import type { ArmContext } from './context.js';
import type { RoleAssignment } from './assignments.js';
import type { Tags } from './catalog.js';
import { roleById } from './roles.js';
import { parseScope } from './scope.js';
import { randomUUID } from 'node:crypto';
import type { PalLink, PalStore } from './pal.js';

/** Programmatic control of the emulated ARM: changes made "in Azure" by someone else, and inspection. */
export interface ArmControl {
  /** Current role assignments at subscription scope (initial owners included). */
  roleAssignments(subscriptionId: string): RoleAssignment[];
  /** Assigns a role as an administrator would in the portal (not recorded as a write by the bot). */
  assignRole(subscriptionId: string, principalId: string, roleDefinitionId: string): RoleAssignment;
  /** Removes the principal's assignments (of one role, or all); returns how many were removed. */
  removeRoleAssignment(subscriptionId: string, principalId: string, roleDefinitionId?: string): number;
  /** Adds n resources to the subscription (created now), so incremental syncs have something new to see. */
  addResources(subscriptionId: string, n: number): AzureResource[];
  /** Replaces the tags at a resource (or subscription / resource group) id, as a change made in Azure. */
  changeTags(scopeId: string, tags: Tags): void;
  /** The tags Azure holds now at a scope id; undefined if the scope does not exist. */
  tagsOf(scopeId: string): Tags | undefined;
  palLinks(): PalLink[];
  /** Refills every throttling bucket. */
  resetArmThrottle(): void;
}

export function makeArmControl(arm: ArmContext, pal: PalStore): ArmControl {
  const resolve = (scopeId: string): { id: string; tags: Tags } | undefined => {
    const scope = parseScope(scopeId);
    if (!scope) return undefined;
    const sub = arm.catalog.subscription(scope.subscriptionId);
    if (!sub) return undefined;
    if (scope.kind === 'subscription') return { id: `/subscriptions/${sub.subscriptionId}`, tags: arm.catalog.tagsAt(`/subscriptions/${sub.subscriptionId}`) };
    if (scope.kind === 'resourceGroup') {
      const rg = arm.catalog.resourceGroup(sub.subscriptionId, scope.resourceGroup);
      const id = `/subscriptions/${sub.subscriptionId}/resourceGroups/${rg}`;
      return rg ? { id, tags: arm.catalog.tagsAt(id) } : undefined;
    }
    const res = arm.catalog.findById(scope.resourceId);
    return res ? { id: res.id, tags: res.tags } : undefined;
  };
  const guidOf = (roleDefinitionId: string) => {
    const role = roleById(roleDefinitionId);
    if (!role) throw new Error(`unknown role definition ${roleDefinitionId}`);
    return role.id;
  };
  const subOf = (subscriptionId: string) => {
    const sub = arm.catalog.subscription(subscriptionId);
    if (!sub) throw new Error(`unknown subscription ${subscriptionId}`);
    return sub;
  };

  return {
    roleAssignments: (subscriptionId) => arm.assignments.list(subOf(subscriptionId).subscriptionId),
    assignRole(subscriptionId, principalId, roleDefinitionId) {
      const sub = subOf(subscriptionId);
      const guid = guidOf(roleDefinitionId);
      const existing = arm.assignments.findEquivalent(sub.subscriptionId, principalId, guid);
      if (existing) return existing;
      const principalType = arm.principalType(sub.tenantId, principalId) ?? 'User';
      return arm.assignments.add({ name: randomUUID(), subscriptionId: sub.subscriptionId, roleDefinitionGuid: guid, principalId, principalType, createdBy: null, updatedBy: null, description: null });
    },
    removeRoleAssignment(subscriptionId, principalId, roleDefinitionId) {
      const sub = subOf(subscriptionId);
      const guid = roleDefinitionId ? guidOf(roleDefinitionId) : undefined;
      const doomed = arm.assignments.list(sub.subscriptionId).filter((a) => a.principalId.toLowerCase() === principalId.toLowerCase() && (!guid || a.roleDefinitionGuid === guid));
      for (const a of doomed) arm.assignments.remove(sub.subscriptionId, a.name);
      return doomed.length;
    },
    addResources: (subscriptionId, n) => arm.catalog.addResources(subscriptionId, n),
    changeTags(scopeId, tags) {
      const target = resolve(scopeId);
      if (!target) throw new Error(`unknown scope ${scopeId}`);
      arm.catalog.setTags(target.id, tags);
    },
    tagsOf: (scopeId) => resolve(scopeId)?.tags,
    palLinks: () => [...pal.links.values()],
    resetArmThrottle: () => arm.throttle.reset(),
  };
}

/** The same control over HTTP, under `/_emulator/arm/...` on the ARM origin (no auth: loopback test hook). */
export function registerArmControlRoutes(router: Router, control: ArmControl): void {
  const guard = (fn: () => unknown, status = 200) => {
    try {
      return json(status, fn() ?? {});
    } catch (e) {
      return json(400, { error: { code: 'BadRequest', message: (e as Error).message } });
    }
  };
  const body = (raw: Buffer): Record<string, unknown> => (raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {});
  const RA = /^\/_emulator\/arm\/subscriptions\/(?<id>[^/]+)\/roleAssignments\/?$/;

  router.add('control', 'GET', RA, (ctx) => guard(() => ({ value: control.roleAssignments(ctx.params.id) })));
  router.add('control', 'POST', RA, (ctx) =>
    guard(() => {
      const b = body(ctx.rawBody);
      return control.assignRole(ctx.params.id, String(b.principalId), String(b.roleDefinitionId));
    }, 201),
  );
  router.add('control', 'DELETE', RA, (ctx) =>
    guard(() => ({ removed: control.removeRoleAssignment(ctx.params.id, ctx.query.get('principalId') ?? '', ctx.query.get('roleDefinitionId') ?? undefined) })),
  );
  router.add('control', 'POST', /^\/_emulator\/arm\/subscriptions\/(?<id>[^/]+)\/resources\/?$/, (ctx) =>
    guard(() => ({ value: control.addResources(ctx.params.id, Number(body(ctx.rawBody).count ?? 1)) }), 201),
  );
  router.add('control', 'GET', /^\/_emulator\/arm\/tags\/?$/, (ctx) => {
    const tags = control.tagsOf(ctx.query.get('scope') ?? '');
    return tags ? json(200, { tags }) : json(404, { error: { code: 'NotFound', message: 'Unknown scope.' } });
  });
  router.add('control', 'PUT', /^\/_emulator\/arm\/tags\/?$/, (ctx) =>
    guard(() => {
      control.changeTags(ctx.query.get('scope') ?? '', (body(ctx.rawBody).tags ?? {}) as Tags);
      return { tags: control.tagsOf(ctx.query.get('scope') ?? '') };
    }),
  );
  router.add('control', 'GET', /^\/_emulator\/arm\/pal\/?$/, () => json(200, { value: control.palLinks() }));
  router.add('control', 'POST', /^\/_emulator\/arm\/throttle\/reset\/?$/, () => guard(() => control.resetArmThrottle()));
}
