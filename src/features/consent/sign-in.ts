import type { Deps } from '../../deps.js';
import { armDelegatedScopes } from '../../microsoft/index.js';
import type { AzureRole, ConsentPurpose, Workspace } from '../../store/types.js';
import { defuseTemplateText } from '../status/view.js';
import { azureGrantText, GRAPH_READ_PERMISSIONS, NEVER_WRITTEN, SIGN_IN_USE } from './grants.js';
import { createState, newStateId, stateParam, STATE_TTL_MS } from './states.js';

export interface SignInRequest {
  workspaceId: string;
  aadObjectId: string;
  userName?: string;
  conversationId: string;
  purpose: ConsentPurpose;
  /** `organizations` for a first connect; the tenant id when adding subscriptions to a connected tenant. */
  authorityTenant: string;
  expectedTenantId?: string;
  /** Shown in the title when adding subscriptions. */
  tenantName?: string;
}

/** The role a connect assigns: the workspace's setting, else DEFAULT_AZURE_ROLE (Reader unless configured). */
export function connectRole(deps: Pick<Deps, 'config'>, workspace: Workspace | undefined): AzureRole {
  return workspace?.settings.defaultAzureRole ?? deps.config.defaultAzureRole;
}

/** The callback URL registered on the app: PUBLIC_BASE_URL + /auth/callback. */
export function redirectUri(deps: Pick<Deps, 'config'>): string {
  return `${deps.config.publicBaseUrl}/auth/callback`;
}

/**
 * Starts a sign-in: a single-use state bound to this Teams user, conversation and workspace, the authorize URL
 * (auth code + PKCE), and the data of cards/connect.json, which says exactly what will be granted, with the link and a Cancel button.
 */
export async function signInCard(deps: Pick<Deps, 'config' | 'store' | 'sealer' | 'now' | 'microsoft'>, req: SignInRequest, role: AzureRole): Promise<Record<string, unknown>> {
  const id = newStateId();
  const scopes = armDelegatedScopes(deps.microsoft.endpoints);
  const callback = redirectUri(deps);
  const { url, verifier } = await deps.microsoft.authCode.begin({
    tenant: req.authorityTenant,
    redirectUri: callback,
    scopes,
    state: stateParam({ id, workspaceId: req.workspaceId }),
    prompt: 'select_account',
  });
  const state = await createState(deps, { ...req, id, scopes, redirectUri: callback, verifier });
  const adding = req.purpose === 'addSubscriptions';
  return defuseTemplateText({
    title: adding ? `Add subscriptions of ${req.tenantName ?? req.expectedTenantId}` : 'Connect a Microsoft tenant',
    intro: adding
      ? 'Sign in as an Owner of the new subscriptions. Tenant Steward will get the same access there as on the subscriptions already connected:'
      : 'Sign in as an administrator of your Microsoft tenant and consent. Tenant Steward then gets exactly this:',
    azureGrant: azureGrantText(role),
    graphPermissions: GRAPH_READ_PERMISSIONS,
    neverWritten: NEVER_WRITTEN,
    signInUse: SIGN_IN_USE,
    linkNote: `This link is for ${req.userName ?? 'you'} only, works once, and expires in ${STATE_TTL_MS / 60000} minutes (at ${state.expiresAt.slice(11, 16)} UTC).`,
    buttonTitle: adding ? 'Sign in to add subscriptions' : 'Sign in and consent',
    url,
    consentId: id,
  });
}
