import { html, type Ctx, type Reply, type Router } from '../http/router.js';
import { redirectUriRegistered, type AppRegistration } from './apps.js';
import type { LoginEnv } from './env.js';
import type { PendingFlow } from './grants.js';
import { errorPage, signInPage } from './pages.js';
import { accountsFor, errorTo } from './respond.js';
import { parseScopes } from './scopes.js';
import { resolveTenant, unknownTenantMessage, type TenantSegment } from './tenants.js';

const T = '(?<tenant>[^/]+)';

/** GET /{tenant}/oauth2/v2.0/authorize and GET /{tenant}/v2.0/adminconsent: validate, then show the sign-in page. */
export function registerAuthorize(router: Router, env: LoginEnv): void {
  router.add('login', 'GET', new RegExp(`^/${T}/oauth2/v2\\.0/authorize$`), (ctx) => start(env, ctx, 'authorize'));
  router.add('login', 'GET', new RegExp(`^/${T}/v2\\.0/adminconsent$`), (ctx) => start(env, ctx, 'adminconsent'));
  router.add('login', 'GET', new RegExp(`^/${T}/adminconsent$`), (ctx) => start(env, ctx, 'adminconsent'));
}

type Validated = { seg: TenantSegment; app: AppRegistration; target: Pick<PendingFlow, 'redirectUri' | 'responseMode'> };

/**
 * Checks tenant, client and redirect URI first: until those are known to be good, errors are shown as a page and
 * never sent to the redirect URI (so the emulator cannot be used as an open redirector).
 */
export function validateClient(env: LoginEnv, ctx: Ctx): Validated | Reply {
  const q = ctx.query;
  const seg = resolveTenant(env.deps.world, ctx.params.tenant);
  if (!seg) return page(400, 90002, 'Sign in error', unknownTenantMessage(ctx.params.tenant));
  const clientId = q.get('client_id');
  if (!clientId) return page(400, 900144, 'Sign in error', "The request body must contain the following parameter: 'client_id'.");
  const app = env.apps.get(clientId);
  if (!app)
    return page(400, 700016, 'Sign in error', `Application with identifier '${clientId}' was not found in the directory '${seg.kind === 'tenant' ? seg.tenant.displayName : seg.segment}'.`);
  const redirectUri = q.get('redirect_uri');
  if (!redirectUri) return page(400, 900144, 'Sign in error', "The request body must contain the following parameter: 'redirect_uri'.");
  if (!redirectUriRegistered(app, redirectUri))
    return page(400, 50011, 'Sign in error', `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.appId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`);
  const mode = q.get('response_mode');
  const responseMode = mode === 'form_post' || mode === 'fragment' ? mode : 'query';
  return { seg, app, target: { redirectUri, responseMode } };
}

function start(env: LoginEnv, ctx: Ctx, kind: PendingFlow['kind']): Reply {
  const v = validateClient(env, ctx);
  if (!('seg' in v)) return v;
  const q = ctx.query;
  const state = q.get('state') ?? undefined;
  if (kind === 'authorize') {
    const problem = authorizeProblem(q);
    if (problem) return errorTo(v.target, problem.error, problem.code, problem.message, state);
    const unknown = parseScopes(q.get('scope')).find((s) => !s.oidc && !s.resource);
    if (unknown) return errorTo(v.target, 'invalid_resource', 500011, `The resource principal named ${unknown.audience} was not found in the tenant named ${v.seg.segment}.`, state);
  }
  const flow = env.grants.startFlow({ kind, tenantSegment: v.seg.segment, clientId: v.app.appId, ...v.target, params: Object.fromEntries(q) });
  return html(200, renderSignIn(env, flow, v.seg, v.app), { 'cache-control': 'no-store' });
}

function authorizeProblem(q: URLSearchParams): { error: string; code: number; message: string } | undefined {
  const responseType = q.get('response_type');
  if (responseType !== 'code') return { error: 'unsupported_response_type', code: 700054, message: `response_type '${responseType ?? ''}' is not enabled for the application.` };
  if (!q.get('scope')) return { error: 'invalid_request', code: 900144, message: "The request body must contain the following parameter: 'scope'." };
  const challenge = q.get('code_challenge');
  const method = q.get('code_challenge_method');
  if (method && method !== 'S256' && method !== 'plain') return { error: 'invalid_request', code: 5002738, message: `Invalid code_challenge_method '${method}'. Supported values are S256 and plain.` };
  if (challenge && (challenge.length < 43 || challenge.length > 128)) return { error: 'invalid_request', code: 501491, message: 'Invalid size of Code_Challenge parameter.' };
  if (q.get('prompt') === 'none') return { error: 'login_required', code: 50058, message: 'A silent sign-in request was sent but no user is signed in.' };
  return undefined;
}

export function renderSignIn(env: LoginEnv, flow: PendingFlow, seg: TenantSegment, app: AppRegistration, error?: string): string {
  return signInPage({
    action: `/${encodeURIComponent(flow.tenantSegment)}/login`,
    flowId: flow.id,
    appName: app.displayName,
    accounts: accountsFor(env, seg, flow.kind === 'adminconsent'),
    preselect: flow.params.login_hint,
    error,
    adminOnly: flow.kind === 'adminconsent',
  });
}

export function page(status: number, code: number, title: string, message: string, returnUrl?: string): Reply {
  return html(status, errorPage({ code, title, message, returnUrl }), { 'cache-control': 'no-store' });
}
