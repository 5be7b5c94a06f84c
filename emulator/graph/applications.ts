import { json, type Ctx, type Router } from '../http/router.js';
import type { ServiceDeps } from '../deps.js';
import type { GraphApplication } from '../world/types.js';
import { guidFor, hashString } from '../world/prng.js';
import { PERMS } from './auth.js';
import { endpoint, notFound } from './endpoint.js';
import { compileFilter, type Row } from './filter.js';
import { contextUrl, parseSelect, project, selectFragment } from './odata.js';
import { pagedArray } from './paging.js';

const APP_PROPS = [
  'id', 'appId', 'displayName', 'signInAudience', 'passwordCredentials', 'keyCredentials', 'createdDateTime', 'deletedDateTime', 'description',
  'identifierUris', 'publisherDomain', 'requiredResourceAccess', 'tags', 'web', 'api', 'notes',
];

/**
 * applications (app registrations). The live secrets of an app come from EmulatorState.clientSecrets when it has
 * any (so "expire a client secret" and "add a client secret" show here); otherwise the world's seeded ones.
 */
export function registerApplications(router: Router, deps: ServiceDeps): void {
  const { world, state } = deps;
  const firstSeen = new Map<string, string>();

  const resource = (app: GraphApplication, tenantId: string): Row => {
    const live = state.clientSecrets.get(app.appId)?.filter((s) => s.tenantId === tenantId);
    const seeded = app.passwordCredentials;
    const passwordCredentials = live?.length
      ? live.map((s, i) => {
          const seed = seeded.find((p) => p.hint === s.secret.slice(0, 3));
          if (!firstSeen.has(s.secret)) firstSeen.set(s.secret, new Date(state.now()).toISOString().replace(/\.\d+Z$/, 'Z'));
          return {
            customKeyIdentifier: null,
            displayName: seed?.displayName ?? `secret ${i + 1}`,
            endDateTime: s.endDateTime,
            hint: s.secret.slice(0, 3),
            keyId: seed?.keyId ?? guidFor(hashString(s.secret), 'keyId'),
            secretText: null,
            startDateTime: seed?.startDateTime ?? firstSeen.get(s.secret)!,
          };
        })
      : seeded.map((p) => ({ customKeyIdentifier: null, secretText: null, ...p }));
    return {
      createdDateTime: passwordCredentials[0]?.startDateTime ?? null, deletedDateTime: null, description: null, identifierUris: [], keyCredentials: [],
      notes: null, publisherDomain: world.tenant(tenantId)?.verifiedDomains.find((d) => d.isInitial)?.name ?? null, requiredResourceAccess: [], tags: [],
      web: { redirectUris: [], homePageUrl: null, logoutUrl: null }, api: { requestedAccessTokenVersion: 2 },
      ...app,
      passwordCredentials,
    };
  };

  const list = (ctx: Ctx, tenantId: string) => {
    const apps = world.applications(tenantId);
    const raw = ctx.query.get('$filter');
    if (!raw) return apps;
    const f = compileFilter(raw, APP_PROPS, 'application', ['startsWith:displayName']);
    return apps.filter((a) => {
      const row = resource(a, tenantId);
      return f.test((p) => row[p]);
    });
  };

  router.add('graph', 'GET', /^\/v1\.0\/applications\/?$/i, endpoint(deps, PERMS.applications, (ctx, caller) => {
    const select = parseSelect(ctx, APP_PROPS, 'application');
    return pagedArray(deps, ctx, caller, { kind: 'applications', fragment: selectFragment('applications', select), items: list(ctx, caller.tenantId), view: (a) => project(resource(a, caller.tenantId), select) });
  }));

  // /applications/{id} and /applications(appId='{appId}')
  router.add('graph', 'GET', /^\/v1\.0\/applications(?:\/(?<id>[^/()]+)|\(appId='(?<appId>[^']+)'\))\/?$/i, endpoint(deps, PERMS.applications, (ctx, caller) => {
    const key = (ctx.params.id ?? ctx.params.appId).toLowerCase();
    const app = world.applications(caller.tenantId).find((a) => (ctx.params.id ? a.id : a.appId) === key);
    if (!app) return notFound(ctx, key);
    const select = parseSelect(ctx, APP_PROPS, 'application');
    return json(200, { '@odata.context': `${contextUrl(deps, selectFragment('applications', select))}/$entity`, ...project(resource(app, caller.tenantId), select) });
  }));
}
