import { createHash } from 'node:crypto';
import type { Reply } from '../http/router.js';
import type { AppRegistration } from './apps.js';
import type { LoginEnv } from './env.js';
import { tokenErrors as E } from './errors.js';
import type { TokenResponse } from './issue.js';
import { issueDelegated } from './token-delegated.js';
import type { TenantSegment } from './tenants.js';

/** grant_type=authorization_code: single-use code, same client and redirect_uri, PKCE verified. */
export async function redeemCode(env: LoginEnv, seg: TenantSegment, app: AppRegistration, form: URLSearchParams): Promise<TokenResponse | Reply> {
  const code = form.get('code');
  if (!code) return E.missingParam('code');
  const grant = env.grants.findCode(code);
  if (grant === 'unknown') return E.malformedGrant();
  if (grant === 'expired') return E.codeExpired();
  if (grant === 'redeemed') return E.codeRedeemed();
  if (grant.clientId !== app.appId) return E.grantForOtherClient();
  const redirectUri = form.get('redirect_uri');
  if (!redirectUri) return E.missingParam('redirect_uri');
  if (redirectUri !== grant.redirectUri) return E.redirectMismatch(redirectUri, grant.redirectUri);
  if (seg.kind === 'tenant' && seg.tenant.id !== grant.tenantId) return E.codeForOtherTenant();
  if (grant.codeChallenge && !pkceMatches(grant.codeChallenge, grant.codeChallengeMethod ?? 'plain', form.get('code_verifier'))) return E.pkceMismatch();
  const result = await issueDelegated(env, {
    tokenTenantId: grant.tenantId,
    signIn: grant,
    app,
    scope: form.get('scope') ?? grant.scope,
    nonce: grant.nonce,
    multipleResources: 'first',
  });
  if ('access_token' in result) env.grants.markRedeemed(code);
  return result;
}

function pkceMatches(challenge: string, method: 'S256' | 'plain', verifier: string | null): boolean {
  if (!verifier) return false;
  const computed = method === 'S256' ? createHash('sha256').update(verifier, 'ascii').digest('base64url') : verifier;
  return computed === challenge;
}
