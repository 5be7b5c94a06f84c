import { json, type Ctx, type Router } from '../http/router.js';
import type { ServiceDeps } from '../deps.js';
import type { DirectoryObjectRef, GraphGroup, ServicePrincipal } from '../world/types.js';
import { PERMS } from './auth.js';
import { endpoint, notFound } from './endpoint.js';
import { compileFilter, type Row } from './filter.js';
import { collection, contextUrl, parseSelect, project, selectFragment } from './odata.js';
import { pagedArray } from './paging.js';
import { guidFor, hashString } from '../world/prng.js';
import { USER_PROPS, userAsDirectoryObject } from './userView.js';

const GROUP_PROPS = ['id', 'displayName', 'description', 'mail', 'mailNickname', 'mailEnabled', 'securityEnabled', 'groupTypes', 'createdDateTime', 'visibility', 'deletedDateTime'];
const SP_PROPS = [
  'id', 'appId', 'appDisplayName', 'displayName', 'appOwnerOrganizationId', 'publisherName', 'verifiedPublisher', 'appRoleAssignmentRequired',
  'preferredSingleSignOnMode', 'servicePrincipalType', 'tags', 'createdDateTime', 'accountEnabled', 'appRoles', 'servicePrincipalNames', 'signInAudience',
  'homepage', 'loginUrl', 'logoutUrl', 'replyUrls', 'notificationEmailAddresses', 'appDescription', 'description', 'alternativeNames', 'keyCredentials',
  'passwordCredentials', 'oauth2PermissionScopes', 'info', 'deletedDateTime',
];
const ORG_PROPS = [
  'id', 'displayName', 'tenantType', 'countryLetterCode', 'createdDateTime', 'city', 'country', 'postalCode', 'state', 'street', 'preferredLanguage',
  'businessPhones', 'technicalNotificationMails', 'onPremisesSyncEnabled', 'verifiedDomains', 'assignedPlans', 'provisionedPlans',
];
const ASSIGNMENT_PROPS = ['id', 'appRoleId', 'createdDateTime', 'principalDisplayName', 'principalId', 'principalType', 'resourceDisplayName', 'resourceId', 'deletedDateTime'];

function spResource(sp: ServicePrincipal): Row {
  return {
    deletedDateTime: null, alternativeNames: [], appDescription: null, description: null, homepage: null, loginUrl: null, logoutUrl: null,
    notificationEmailAddresses: [], replyUrls: [], keyCredentials: [], passwordCredentials: [], oauth2PermissionScopes: [],
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    servicePrincipalNames: [sp.appId], signInAudience: 'AzureADMultipleOrgs', appRoles: [], accountEnabled: true,
    ...sp,
  };
}

function groupResource(g: GraphGroup): Row {
  return { deletedDateTime: null, visibility: g.groupTypes?.includes('Unified') ? 'Private' : null, description: null, mailNickname: null, mailEnabled: false, groupTypes: [], createdDateTime: null, ...g };
}

/** Filters a small collection with `$filter` (plus `tags/any(t:t eq 'x')`, used to list enterprise apps). */
function filtered<T>(ctx: Ctx, items: T[], view: (t: T) => Row, props: string[], entity: string): T[] {
  const raw = ctx.query.get('$filter');
  if (!raw) return items;
  const tags = /^tags\/any\((\w+):\s*\1\s+eq\s+'([^']*)'\)$/i.exec(raw.trim());
  if (tags) return items.filter((i) => ((view(i).tags as string[] | undefined) ?? []).some((t) => t.toLowerCase() === tags[2].toLowerCase()));
  const f = compileFilter(raw, props, entity, props.map((p) => `startsWith:${p}`));
  return items.filter((i) => {
    const row = view(i);
    return f.test((p) => row[p]);
  });
}

export function registerDirectory(router: Router, deps: ServiceDeps): void {
  const { world } = deps;

  router.add('graph', 'GET', /^\/v1\.0\/organization(?:\/(?<id>[^/]+))?\/?$/i, endpoint(deps, PERMS.organization, (ctx, caller) => {
    const org = world.organization(caller.tenantId)!;
    const select = parseSelect(ctx, ORG_PROPS, 'organization');
    const view = project(org as unknown as Row, select);
    if (ctx.params.id) return ctx.params.id.toLowerCase() === org.id ? json(200, { '@odata.context': `${contextUrl(deps, selectFragment('organization', select))}/$entity`, ...view }) : notFound(ctx, ctx.params.id);
    return collection(deps, ctx, selectFragment('organization', select), [view]);
  }));

  router.add('graph', 'GET', /^\/v1\.0\/subscribedSkus(?:\/(?<id>[^/]+))?\/?$/i, endpoint(deps, PERMS.subscribedSkus, (ctx, caller) => {
    const org = world.organization(caller.tenantId)!;
    const skus = world.subscribedSkus(caller.tenantId).map((s) => ({
      accountName: org.displayName,
      accountId: org.id,
      ...s,
      subscriptionIds: [guidFor(hashString(s.id), 'commerceSubscription')],
    }));
    if (ctx.params.id) {
      const sku = skus.find((s) => s.id.toLowerCase() === ctx.params.id.toLowerCase());
      return sku ? json(200, { '@odata.context': `${contextUrl(deps, 'subscribedSkus')}/$entity`, ...sku }) : notFound(ctx, ctx.params.id);
    }
    return collection(deps, ctx, 'subscribedSkus', skus);
  }));

  router.add('graph', 'GET', /^\/v1\.0\/servicePrincipals\/?$/i, endpoint(deps, PERMS.servicePrincipals, (ctx, caller) => {
    const select = parseSelect(ctx, SP_PROPS, 'servicePrincipal');
    const items = filtered(ctx, world.servicePrincipals(caller.tenantId), spResource, SP_PROPS, 'servicePrincipal');
    return pagedArray(deps, ctx, caller, { kind: 'servicePrincipals', fragment: selectFragment('servicePrincipals', select), items, view: (sp) => project(spResource(sp), select) });
  }));

  // /servicePrincipals/{id} and /servicePrincipals(appId='{appId}')
  router.add('graph', 'GET', /^\/v1\.0\/servicePrincipals(?:\/(?<id>[^/()]+)|\(appId='(?<appId>[^']+)'\))\/?$/i, endpoint(deps, PERMS.servicePrincipals, (ctx, caller) => {
    const key = (ctx.params.id ?? ctx.params.appId).toLowerCase();
    const sp = world.servicePrincipals(caller.tenantId).find((s) => (ctx.params.id ? s.id : s.appId) === key);
    if (!sp) return notFound(ctx, key);
    const select = parseSelect(ctx, SP_PROPS, 'servicePrincipal');
    return json(200, { '@odata.context': `${contextUrl(deps, selectFragment('servicePrincipals', select))}/$entity`, ...project(spResource(sp), select) });
  }));

  router.add('graph', 'GET', /^\/v1\.0\/servicePrincipals\/(?<id>[^/]+)\/appRoleAssignedTo\/?$/i, endpoint(deps, PERMS.servicePrincipals, (ctx, caller) => {
    const sp = world.servicePrincipals(caller.tenantId).find((s) => s.id === ctx.params.id.toLowerCase());
    if (!sp) return notFound(ctx, ctx.params.id);
    const select = parseSelect(ctx, ASSIGNMENT_PROPS, 'appRoleAssignment');
    const items = world.appRoleAssignedTo(caller.tenantId, sp.id);
    return pagedArray(deps, ctx, caller, {
      kind: `appRoleAssignedTo:${sp.id}`,
      fragment: `servicePrincipals('${sp.id}')/appRoleAssignedTo`,
      items,
      view: (a) => project({ deletedDateTime: null, ...a }, select),
    });
  }));

  router.add('graph', 'GET', /^\/v1\.0\/groups\/?$/i, endpoint(deps, PERMS.groups, (ctx, caller) => {
    const select = parseSelect(ctx, GROUP_PROPS, 'group');
    const items = filtered(ctx, world.groups(caller.tenantId), groupResource, GROUP_PROPS, 'group');
    return pagedArray(deps, ctx, caller, { kind: 'groups', fragment: selectFragment('groups', select), items, view: (g) => project(groupResource(g), select) });
  }));

  router.add('graph', 'GET', /^\/v1\.0\/groups\/(?<id>[^/]+)\/?$/i, endpoint(deps, PERMS.groups, (ctx, caller) => {
    const g = world.group(caller.tenantId, ctx.params.id);
    if (!g) return notFound(ctx, ctx.params.id);
    const select = parseSelect(ctx, GROUP_PROPS, 'group');
    return json(200, { '@odata.context': `${contextUrl(deps, selectFragment('groups', select))}/$entity`, ...project(groupResource(g), select) });
  }));

  router.add('graph', 'GET', /^\/v1\.0\/groups\/(?<id>[^/]+)\/(?<rel>members|transitiveMembers)\/?$/i, endpoint(deps, PERMS.groups, (ctx, caller) => {
    const tenant = caller.tenantId;
    const g = world.group(tenant, ctx.params.id);
    if (!g) return notFound(ctx, ctx.params.id);
    const transitive = ctx.params.rel.toLowerCase() === 'transitivemembers';
    const refs = (transitive ? world.transitiveGroupMembers(tenant, g.id) : world.groupMembers(tenant, g.id)) ?? [];
    const select = parseSelect(ctx, [...new Set([...USER_PROPS, ...GROUP_PROPS])], 'directoryObject');
    const view = (ref: DirectoryObjectRef): Row => {
      if (ref['@odata.type'] === '#microsoft.graph.user') {
        const u = world.user(tenant, ref.id);
        return u ? userAsDirectoryObject(u, select) : { '@odata.type': ref['@odata.type'], id: ref.id };
      }
      const member = world.group(tenant, ref.id);
      const full = member ? groupResource(member) : { id: ref.id };
      return { '@odata.type': '#microsoft.graph.group', ...(select ? project(full, select.filter((f) => f in full)) : full) };
    };
    return pagedArray(deps, ctx, caller, { kind: `${ctx.params.rel.toLowerCase()}:${g.id}`, fragment: 'directoryObjects', items: refs, view });
  }));
}
