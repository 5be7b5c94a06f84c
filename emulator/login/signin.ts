import { randomUUID } from 'node:crypto';
import { html, type Ctx, type Reply, type Router } from '../http/router.js';
import type { GraphUser, TenantInfo } from '../world/types.js';
import type { AppRegistration } from './apps.js';
import { renderSignIn, page } from './authorize.js';
import { consentedFor, expandStatic, grantApplication, grantDelegated, missingFrom } from './consent.js';
import type { LoginEnv } from './env.js';
import type { PendingFlow } from './grants.js';
import { consentPage, type PermissionLine } from './pages.js';
import { errorTo, respondTo } from './respond.js';
import { needsAdminConsent, parseScopes, RESOURCES, type ResourceKey } from './scopes.js';
import { resolveTenant, tenantOfUpn, type TenantSegment } from './tenants.js';

const T = '(?<tenant>[^/]+)';

/** The form posts of the sign-in and consent pages, and the "Return to the application" link of error pages. */
export function registerSignIn(router: Router, env: LoginEnv): void {
  router.add('login', 'POST', new RegExp(`^/${T}/login$`), (ctx) => withFlow(env, ctx, (flow, seg, app) => signIn(env, ctx, flow, seg, app)));
  router.add('login', 'POST', new RegExp(`^/${T}/consent$`), (ctx) => withFlow(env, ctx, (flow, _seg, app) => consent(env, ctx, flow, app)));
  router.add('login', 'GET', new RegExp(`^/${T}/login/return$`), (ctx) => {
    const flow = env.grants.flow(ctx.query.get('flow'));
    if (!flow?.failure) return page(400, 9002313, 'Sign in error', 'The sign-in request is unknown or has expired. Start again from the application.');
    env.grants.endFlow(flow.id);
    return errorTo(flow, flow.failure.error, flow.failure.code, flow.failure.message, flow.params.state);
  });
}

function withFlow(env: LoginEnv, ctx: Ctx, fn: (flow: PendingFlow, seg: TenantSegment, app: AppRegistration) => Reply): Reply {
  const flow = env.grants.flow(ctx.form().get('flow'));
  const seg = flow && resolveTenant(env.deps.world, flow.tenantSegment);
  const app = flow && env.apps.get(flow.clientId);
  if (!flow || !seg || !app) return page(400, 9002313, 'Sign in error', 'The sign-in request is unknown or has expired. Start again from the application.');
  return fn(flow, seg, app);
}

function signIn(env: LoginEnv, ctx: Ctx, flow: PendingFlow, seg: TenantSegment, app: AppRegistration): Reply {
  const picked = pickUser(env, seg, ctx.form());
  if (typeof picked === 'string') return html(200, renderSignIn(env, flow, seg, app, picked), { 'cache-control': 'no-store' });
  const { tenant, user } = picked;
  const admin = env.isAdmin(tenant.id, user.id);
  if (env.deps.state.conditionalAccessBlocked.has(tenant.id))
    return fail(flow, 'You cannot access this right now', 'access_denied', 53003, 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.');
  const needAdmin = () => fail(flow, 'Need admin approval', 'access_denied', 90094, 'Admin consent is required for the permissions requested by this application. An admin consent request may be sent to the admin.');
  if (flow.kind === 'adminconsent' && !admin) return needAdmin();
  flow.user = { tenantId: tenant.id, userId: user.id, amr: admin ? ['pwd', 'mfa'] : ['pwd'], authTime: env.deps.state.now() };
  const requested = requestedDelegated(app, flow);
  if (flow.kind === 'authorize') {
    const missing = missingFrom(consentedFor(env, tenant.id, app.appId, user.id), requested);
    if (!admin && missing.some((s) => needsAdminConsent(s.resource!, s.value))) return needAdmin();
    if (missing.length === 0 && flow.params.prompt !== 'consent') return completeAuthorize(env, flow);
  }
  const wantsAppPermissions = flow.kind === 'adminconsent' || (admin && asksDefault(flow));
  const permissions: PermissionLine[] = [
    ...requested.map((s) => ({ scope: s.raw, kind: 'delegated' as const })),
    ...(wantsAppPermissions ? app.applicationPermissions.map((p) => ({ scope: `${RESOURCES.graph}/${p}`, kind: 'application' as const })) : []),
  ];
  return html(
    200,
    consentPage({
      action: `/${encodeURIComponent(flow.tenantSegment)}/consent`,
      flowId: flow.id,
      appName: app.displayName,
      publisher: app.publisherName,
      userUpn: user.userPrincipalName,
      tenantName: tenant.displayName,
      permissions,
      offerOrgConsent: flow.kind === 'authorize' && admin,
      adminConsent: flow.kind === 'adminconsent',
    }),
    { 'cache-control': 'no-store' },
  );
}

function consent(env: LoginEnv, ctx: Ctx, flow: PendingFlow, app: AppRegistration): Reply {
  const form = ctx.form();
  if (!flow.user) return page(400, 9002313, 'Sign in error', 'Sign in first.');
  if (form.get('decision') !== 'accept') {
    env.grants.endFlow(flow.id);
    return errorTo(flow, 'access_denied', 65004, 'User declined to consent to access the app.', flow.params.state, { error_subcode: 'cancel' });
  }
  const { tenantId, userId } = flow.user;
  if (flow.kind === 'adminconsent') {
    grantApplication(env, tenantId, app, userId, `/${flow.tenantSegment}/v2.0/adminconsent`);
    grantDelegated(env, tenantId, app, allStaticDelegated(app), userId);
    env.grants.endFlow(flow.id);
    return respondTo(flow, { admin_consent: 'True', tenant: tenantId, scope: flow.params.scope, state: flow.params.state });
  }
  const forOrg = env.isAdmin(tenantId, userId) && form.get('consent_org') === 'true';
  grantDelegated(env, tenantId, app, requestedDelegated(app, flow), userId, forOrg ? undefined : userId);
  if (forOrg && asksDefault(flow)) grantApplication(env, tenantId, app, userId, `/${flow.tenantSegment}/oauth2/v2.0/authorize`);
  return completeAuthorize(env, flow);
}

function completeAuthorize(env: LoginEnv, flow: PendingFlow): Reply {
  const p = flow.params;
  const user = flow.user!;
  const code = env.grants.issueCode({
    ...user,
    clientId: flow.clientId,
    redirectUri: flow.redirectUri,
    scope: p.scope,
    codeChallenge: p.code_challenge || undefined,
    codeChallengeMethod: p.code_challenge ? (p.code_challenge_method === 'S256' ? 'S256' : 'plain') : undefined,
    nonce: p.nonce || undefined,
  });
  env.grants.endFlow(flow.id);
  const clientInfo = p.client_info === '1' ? Buffer.from(JSON.stringify({ uid: user.userId, utid: user.tenantId })).toString('base64url') : undefined;
  return respondTo(flow, { code, client_info: clientInfo, state: p.state, session_state: randomUUID() });
}

function fail(flow: PendingFlow, title: string, error: string, code: number, message: string): Reply {
  flow.failure = { error, code, message };
  return page(403, code, title, message, `/${encodeURIComponent(flow.tenantSegment)}/login/return?flow=${encodeURIComponent(flow.id)}`);
}

function requestedDelegated(app: AppRegistration, flow: PendingFlow) {
  return expandStatic(app, parseScopes(flow.params.scope)).filter((s) => !s.oidc && s.resource);
}

function allStaticDelegated(app: AppRegistration) {
  return (Object.entries(app.delegatedPermissions) as [ResourceKey, string[]][]).flatMap(([resource, values]) =>
    values.map((value) => ({ raw: `${RESOURCES[resource]}/${value}`, oidc: false, resource, audience: RESOURCES[resource], value })),
  );
}

function asksDefault(flow: PendingFlow): boolean {
  return parseScopes(flow.params.scope).some((s) => !s.oidc && s.value === '.default');
}

function pickUser(env: LoginEnv, seg: TenantSegment, form: URLSearchParams): { tenant: TenantInfo; user: GraphUser } | string {
  const { world } = env.deps;
  const login = form.get('login')?.trim();
  let tenant: TenantInfo | undefined;
  let user: GraphUser | undefined;
  if (login) {
    tenant = seg.kind === 'tenant' ? seg.tenant : tenantOfUpn(world, login);
    user = tenant && world.user(tenant.id, login);
  } else {
    const [tenantId, userId] = (form.get('account') ?? '').split(':');
    tenant = world.tenant(tenantId ?? '');
    if (seg.kind === 'tenant' && tenant?.id !== seg.tenant.id) tenant = undefined;
    user = tenant && userId ? world.user(tenant.id, userId) : undefined;
  }
  const name = login || form.get('account') || '';
  if (!tenant || !user) return `AADSTS50034: The user account ${name} does not exist in the ${seg.kind === 'tenant' ? seg.tenant.displayName : 'organization'} directory. To sign into this application, the account must be added to the directory.`;
  if (!user.accountEnabled) return 'AADSTS50057: The user account is disabled.';
  return { tenant, user };
}
