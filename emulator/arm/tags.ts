import type { Reply, Router } from '../http/router.js';
import { json } from '../http/router.js';
import { armError } from '../http/errors.js';
import { addSubscriptionRoute, type ArmContext, type ArmRequest } from './context.js';
import { parseScope } from './scope.js';
import type { Tags } from './catalog.js';
import { deleteTags, mergeTags, readTags, tagProblem } from './tagRules.js';

const TAGS_PATH = /^\/+(?<scope>subscriptions\/(?<subscriptionId>[^/]+)(?:\/.*?)?)\/providers\/Microsoft\.Resources\/tags\/default\/?$/i;

interface Target {
  /** Canonical id of the scope (world casing). */
  scopeId: string;
  tags: Tags;
}

/** Tags at any scope (subscription, resource group, resource): `{scope}/providers/Microsoft.Resources/tags/default`. */
export function registerTags(router: Router, arm: ArmContext): void {
  addSubscriptionRoute(router, arm, 'GET', TAGS_PATH, (r) =>
    withTarget(arm, r, 'Microsoft.Resources/tags/read', (t) => json(200, tagsResource(t.scopeId, t.tags))),
  );

  addSubscriptionRoute(router, arm, 'PUT', TAGS_PATH, (r) =>
    withTarget(arm, r, 'Microsoft.Resources/tags/write', (t) => {
      const tags = readTags(parseBody(r));
      if (!tags) return armError(400, 'InvalidRequestContent', "The request content was invalid and could not be deserialized: 'properties.tags' must be an object of string values.");
      return store(arm, r, t, tags, 'tags.put', { tags });
    }),
  );

  addSubscriptionRoute(router, arm, 'PATCH', TAGS_PATH, (r) =>
    withTarget(arm, r, 'Microsoft.Resources/tags/write', (t) => {
      const body = parseBody(r) as { operation?: unknown } | undefined;
      const tags = readTags(body);
      const operation = typeof body?.operation === 'string' ? body.operation.toLowerCase() : '';
      if (!tags) return armError(400, 'InvalidRequestContent', "The request content was invalid and could not be deserialized: 'properties.tags' must be an object of string values.");
      const next = operation === 'merge' ? mergeTags(t.tags, tags) : operation === 'replace' ? tags : operation === 'delete' ? deleteTags(t.tags, tags) : undefined;
      if (!next) return armError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: 'operation' must be one of 'Replace', 'Merge', 'Delete'.`);
      return store(arm, r, t, next, 'tags.patch', { operation: String(body?.operation), tags });
    }),
  );

  addSubscriptionRoute(router, arm, 'DELETE', TAGS_PATH, (r) =>
    withTarget(arm, r, 'Microsoft.Resources/tags/delete', (t) => {
      arm.catalog.setTags(t.scopeId, {});
      arm.recordWrite(r.ctx, r.caller, 'tags.delete', { scope: t.scopeId, before: t.tags, after: {} }, 200);
      return { status: 200, body: '' };
    }),
  );
}

function store(arm: ArmContext, r: ArmRequest, t: Target, next: Tags, kind: string, request: Record<string, unknown>): Reply {
  const problem = tagProblem(next);
  if (problem) return armError(400, problem[0], problem[1]);
  arm.catalog.setTags(t.scopeId, next);
  arm.recordWrite(r.ctx, r.caller, kind, { scope: t.scopeId, ...request, before: t.tags, after: next }, 200);
  return json(200, tagsResource(t.scopeId, next));
}

function withTarget(arm: ArmContext, r: ArmRequest, action: string, then: (t: Target) => Reply): Reply {
  const scope = parseScope(r.ctx.params.scope);
  if (!scope) return armError(400, 'InvalidScope', `The scope '/${r.ctx.params.scope}' is not valid for tags.`);
  const subId = r.sub.subscriptionId;
  let target: Target;
  if (scope.kind === 'subscription') target = { scopeId: `/subscriptions/${subId}`, tags: arm.catalog.tagsAt(`/subscriptions/${subId}`) };
  else if (scope.kind === 'resourceGroup') {
    const rg = arm.catalog.resourceGroup(subId, scope.resourceGroup);
    if (!rg) return armError(404, 'ResourceGroupNotFound', `Resource group '${scope.resourceGroup}' could not be found.`);
    const scopeId = `/subscriptions/${subId}/resourceGroups/${rg}`;
    target = { scopeId, tags: arm.catalog.tagsAt(scopeId) };
  } else {
    const res = arm.catalog.findById(scope.resourceId);
    if (!res) {
      const tail = scope.resourceId.split('/providers/')[1] ?? scope.resourceId;
      const [ns, type, name] = tail.split('/');
      return armError(404, 'ResourceNotFound', `The Resource '${ns}/${type}/${name}' under resource group '${scope.resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
    }
    target = { scopeId: res.id, tags: res.tags };
  }
  const denied = arm.authorize(r.caller, r.sub, action, target.scopeId);
  return denied ?? then(target);
}

function parseBody(r: ArmRequest): unknown {
  try {
    return r.ctx.json();
  } catch {
    return undefined;
  }
}

/** The TagsResource body of api-version 2021-04-01 and later. */
function tagsResource(scopeId: string, tags: Tags): Record<string, unknown> {
  return { id: `${scopeId}/providers/Microsoft.Resources/tags/default`, name: 'default', type: 'Microsoft.Resources/tags', properties: { tags } };
}
