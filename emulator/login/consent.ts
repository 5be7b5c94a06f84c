import type { AppRegistration } from './apps.js';
import { tenantAppKey, userAppKey } from './apps.js';
import type { LoginEnv } from './env.js';
import { consentKey, type ParsedScope } from './scopes.js';

/** Delegated permissions consented for this user: the organisation's plus the user's own. */
export function consentedFor(env: LoginEnv, tenantId: string, appId: string, userId: string): Set<string> {
  const { delegatedConsents } = env.deps.state;
  return new Set([...(delegatedConsents.get(tenantAppKey(tenantId, appId)) ?? []), ...(delegatedConsents.get(userAppKey(tenantId, appId, userId)) ?? [])]);
}

/** Replaces `<resource>/.default` with the delegated permissions configured on the registration for that resource. */
export function expandStatic(app: AppRegistration, scopes: ParsedScope[]): ParsedScope[] {
  return scopes.flatMap((s) => {
    if (s.oidc || !s.resource || s.value !== '.default') return [s];
    return (app.delegatedPermissions[s.resource] ?? []).map((value) => ({ ...s, value, raw: `${s.audience}/${value}` }));
  });
}

/** Replaces `.default` with what is actually consented for that resource (refresh and code redemption). */
export function expandConsented(consented: Set<string>, scopes: ParsedScope[]): ParsedScope[] {
  return scopes.flatMap((s) => {
    if (s.oidc || !s.resource || s.value !== '.default') return [s];
    const prefix = consentKey(s.resource, '');
    return [...consented].filter((k) => k.startsWith(prefix)).map((k) => ({ ...s, value: k.slice(prefix.length), raw: `${s.audience}/${k.slice(prefix.length)}` }));
  });
}

export function missingFrom(consented: Set<string>, scopes: ParsedScope[]): ParsedScope[] {
  return scopes.filter((s) => !s.oidc && s.resource && !consented.has(consentKey(s.resource, s.value)));
}

/** Records delegated consent (for the whole organisation when `userId` is undefined) and logs it as a write. */
export function grantDelegated(env: LoginEnv, tenantId: string, app: AppRegistration, scopes: ParsedScope[], consentedBy: string, forUserId?: string): void {
  const key = forUserId ? userAppKey(tenantId, app.appId, forUserId) : tenantAppKey(tenantId, app.appId);
  const set = env.deps.state.delegatedConsents.get(key) ?? new Set<string>();
  const added = scopes.filter((s) => !s.oidc && s.resource).map((s) => consentKey(s.resource!, s.value));
  for (const k of added) set.add(k);
  env.deps.state.delegatedConsents.set(key, set);
  env.deps.state.recordWrite({
    service: 'login',
    kind: 'consent.grant',
    method: 'POST',
    path: `/${tenantId}/consent`,
    principal: { tenantId, oid: consentedBy, appId: app.appId },
    detail: { type: 'delegated', consentType: forUserId ? 'Principal' : 'AllPrincipals', tenantId, appId: app.appId, scopes: added },
    status: 200,
  });
}

/** Grants the app's application permissions in a tenant (admin consent) and logs it as a write. */
export function grantApplication(env: LoginEnv, tenantId: string, app: AppRegistration, consentedBy: string, path: string): void {
  env.deps.state.appConsents.set(tenantAppKey(tenantId, app.appId), new Set(app.applicationPermissions));
  env.deps.state.recordWrite({
    service: 'login',
    kind: 'consent.grant',
    method: 'GET',
    path,
    principal: { tenantId, oid: consentedBy, appId: app.appId },
    detail: { type: 'application', tenantId, appId: app.appId, servicePrincipalId: env.deps.world.demoApp.appId === app.appId ? env.deps.world.demoApp.servicePrincipalIdIn(tenantId) : undefined, roles: app.applicationPermissions },
    status: 200,
  });
}
