import { json, type Router } from '../http/router.js';
import { aadError } from '../http/errors.js';
import type { ServiceDeps } from '../deps.js';
import { resolveTenant, unknownTenantMessage, type TenantSegment } from './tenants.js';

const T = '(?<tenant>[^/]+)';

/** OpenID Connect discovery (v2 and v1), JWKS and instance discovery, shaped like login.microsoftonline.com's. */
export function registerMetadata(router: Router, deps: ServiceDeps): void {
  const withTenant = (handler: (seg: TenantSegment) => ReturnType<typeof json>) => (ctx: { params: Record<string, string> }) => {
    const seg = resolveTenant(deps.world, ctx.params.tenant);
    return seg ? handler(seg) : aadError(400, 'invalid_tenant', 90002, unknownTenantMessage(ctx.params.tenant));
  };
  router.add('login', 'GET', new RegExp(`^/${T}/v2\\.0/\\.well-known/openid-configuration$`), withTenant((seg) => json(200, openIdConfiguration(deps, seg, 'v2'))));
  router.add('login', 'GET', new RegExp(`^/${T}/\\.well-known/openid-configuration$`), withTenant((seg) => json(200, openIdConfiguration(deps, seg, 'v1'))));
  const keys = withTenant(() => json(200, { keys: [{ ...deps.tokens.publicJwk, issuer: `${deps.urls.authority}/{tenantid}/v2.0` }] }));
  router.add('login', 'GET', new RegExp(`^/${T}/discovery/v2\\.0/keys$`), keys);
  router.add('login', 'GET', new RegExp(`^/${T}/discovery/keys$`), keys);
  router.add('login', 'GET', new RegExp(`^/${T}/discovery/instance$`), (ctx) => json(200, instanceDiscovery(deps, ctx.params.tenant)));
}

function openIdConfiguration(deps: ServiceDeps, seg: TenantSegment, version: 'v1' | 'v2'): Record<string, unknown> {
  const base = deps.urls.authority;
  const tenantPath = seg.kind === 'tenant' ? seg.tenant.id : seg.segment;
  const issuerTenant = seg.kind === 'tenant' ? seg.tenant.id : '{tenantid}';
  const v = version === 'v2' ? '/v2.0' : '';
  const graphHost = new URL(deps.urls.graph).host;
  return {
    token_endpoint: `${base}/${tenantPath}/oauth2${v}/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/${tenantPath}/discovery${v}/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: version === 'v2' ? `${base}/${issuerTenant}/v2.0` : `${base}/${issuerTenant}/`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${deps.urls.graph}/oidc/userinfo`,
    authorization_endpoint: `${base}/${tenantPath}/oauth2${v}/authorize`,
    device_authorization_endpoint: `${base}/${tenantPath}/oauth2${v}/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/${tenantPath}/oauth2${v}/logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${base}/${tenantPath}/kerberos`,
    tenant_region_scope: seg.kind === 'tenant' ? 'EU' : null,
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: graphHost,
    rbac_url: 'https://pas.windows.net',
  };
}

/** What MSAL's instance discovery reads when it is not disabled: this host is its own, only alias. */
function instanceDiscovery(deps: ServiceDeps, tenant: string): Record<string, unknown> {
  const host = new URL(deps.urls.authority).host;
  return {
    tenant_discovery_endpoint: `${deps.urls.authority}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}
