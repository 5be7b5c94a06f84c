import type { Reply } from '../http/router.js';
import type { AppRegistration } from './apps.js';
import { consentedFor, expandConsented, missingFrom } from './consent.js';
import type { LoginEnv } from './env.js';
import { tokenErrors as E } from './errors.js';
import type { SignedInUser } from './grants.js';
import { userTokens, type TokenResponse } from './issue.js';
import { parseScopes } from './scopes.js';

export interface DelegatedRequest {
  /** The tenant the token is for (differs from the user's home tenant only for the partner double hop). */
  tokenTenantId: string;
  signIn: SignedInUser;
  app: AppRegistration;
  scope: string;
  nonce?: string;
  /** Code redemption keeps the first resource (Entra issues one token per resource); refresh rejects several. */
  multipleResources: 'first' | 'reject';
}

/** Checks the user and consent, then issues access, refresh and id tokens for one resource. */
export async function issueDelegated(env: LoginEnv, req: DelegatedRequest): Promise<TokenResponse | Reply> {
  const { state, world } = env.deps;
  if (state.conditionalAccessBlocked.has(req.signIn.tenantId) || state.conditionalAccessBlocked.has(req.tokenTenantId)) return E.conditionalAccess();
  const user = world.user(req.signIn.tenantId, req.signIn.userId);
  if (!user) return E.userGone();
  if (!user.accountEnabled) return E.userDisabled();
  const parsed = parseScopes(req.scope);
  const oidc = new Set(parsed.filter((s) => s.oidc).map((s) => s.value));
  const consented = consentedFor(env, req.signIn.tenantId, req.app.appId, user.id);
  let resourceScopes = expandConsented(consented, parsed.filter((s) => !s.oidc));
  const unknown = resourceScopes.find((s) => !s.resource);
  const tenantName = world.tenant(req.tokenTenantId)?.displayName ?? req.tokenTenantId;
  if (unknown) return E.unknownResource(unknown.audience, tenantName);
  const resources = [...new Set(resourceScopes.map((s) => s.resource))];
  if (resources.length > 1) {
    if (req.multipleResources === 'reject') return E.multipleResources(req.scope);
    resourceScopes = resourceScopes.filter((s) => s.resource === resources[0]);
  }
  if (parsed.some((s) => !s.oidc && s.value === '.default') && resourceScopes.length === 0) return E.noConsent(req.app.appId, req.app.displayName);
  if (missingFrom(consented, resourceScopes).length) return E.noConsent(req.app.appId, req.app.displayName);
  return userTokens(env, { tenantId: req.tokenTenantId, user, signIn: req.signIn, app: req.app, scopes: resourceScopes, oidc, nonce: req.nonce });
}
