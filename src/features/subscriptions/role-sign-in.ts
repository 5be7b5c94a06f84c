import type { TurnContext } from 'botbuilder';
import type { Deps } from '../../deps.js';
import { armDelegatedScopes } from '../../microsoft/index.js';
import { rememberConversation } from '../../teams/conversations.js';
import type { Caller } from '../../teams/guards.js';
import { createState, newStateId, stateParam, STATE_TTL_MS } from '../consent/states.js';
import { redirectUri } from '../consent/sign-in.js';

/** What an `approval` sign-in is for, kept in the consent state's `context`. */
export type RoleSignInContext =
  | { kind: 'approve'; approvalId: string }
  | { kind: 'down'; subscriptionId: string; tenantId: string; toMode: string };

/**
 * Starts the Owner's sign-in that a role change needs (consent state purpose `approval`): single use, 10 minutes,
 * bound to this Teams user, this conversation and the subscription's tenant. The outcome is posted to this
 * conversation, so it is remembered for proactive messages. Resolves the authorize URL.
 */
export async function startRoleSignIn(deps: Deps, context: TurnContext, caller: Caller, tenantId: string, what: RoleSignInContext): Promise<{ url: string; expiresAt: string }> {
  await rememberConversation(deps.store, context, deps.now());
  const id = newStateId();
  const scopes = armDelegatedScopes(deps.microsoft.endpoints);
  const callback = redirectUri(deps);
  const { url, verifier } = await deps.microsoft.authCode.begin({ tenant: tenantId, redirectUri: callback, scopes, state: stateParam({ id, workspaceId: caller.workspaceId }), prompt: 'select_account' });
  const state = await createState(deps, {
    id,
    workspaceId: caller.workspaceId,
    purpose: 'approval',
    aadObjectId: caller.aadObjectId,
    userName: caller.name,
    conversationId: context.activity.conversation.id,
    authorityTenant: tenantId,
    expectedTenantId: tenantId,
    scopes,
    redirectUri: callback,
    verifier,
    context: { ...what },
  });
  return { url, expiresAt: state.expiresAt };
}

export const SIGN_IN_NOTE = `The link works once, for you only, for ${STATE_TTL_MS / 60000} minutes. Only an Owner's sign-in can change role assignments; it is used for this change only and not kept.`;
