import type { Deps } from '../../deps.js';
import { classifyAuthorizeError, classifyMicrosoftError, type DelegatedGrant } from '../../microsoft/index.js';
import type { ConsentPurpose, ConsentState } from '../../store/types.js';
import type { CallbackPage } from './pages.js';
import { completeAzureSignIn } from './complete.js';
import { completeRoleSignIn } from '../subscriptions/role-complete.js';
import { completePartnerLink } from '../partner/link.js';
import { failed, NOTHING_CHANGED, refuse } from './outcomes.js';
import { consumeState, parseStateParam } from './states.js';

/** What a purpose does once its sign-in succeeded and the checks common to all purposes passed. */
export type PurposeHandler = (deps: Deps, state: ConsentState, grant: DelegatedGrant) => Promise<CallbackPage>;

/** Purposes handled here; a feature that starts sign-ins of another purpose adds its handler to this table. */
export const PURPOSE_HANDLERS: Partial<Record<ConsentPurpose, PurposeHandler>> = {
  connect: completeAzureSignIn,
  addSubscriptions: completeAzureSignIn,
  approval: completeRoleSignIn,
  partner: completePartnerLink,
};

/**
 * GET /auth/callback. Every outcome is a page for the browser and, once the state is known, a message in the
 * conversation that started the sign-in. The state is consumed (single use) before anything else, so a replay,
 * an expired link or a cancelled one changes nothing. The callback never redirects anywhere.
 */
export async function handleCallback(deps: Deps, query: Record<string, unknown>, handlers = PURPOSE_HANDLERS): Promise<CallbackPage> {
  const ref = parseStateParam(query.state);
  if (!ref) {
    deps.logger.warn({ hasState: query.state !== undefined }, 'auth callback without a valid state');
    return { status: 400, title: 'This sign-in link is not valid', lines: ['The address is missing its sign-in state or it was altered.', NOTHING_CHANGED, 'Start again from Teams (type `connect`).'] };
  }
  const consumed = await consumeState(deps, ref);
  if (!consumed.ok) {
    if (consumed.why === 'unknown') {
      deps.logger.warn({ workspaceId: ref.workspaceId }, 'auth callback with an unknown state');
      return { status: 400, title: 'This sign-in link is unknown', lines: ['It was never issued here, or it is old and was cleaned up.', NOTHING_CHANGED, 'Start again from Teams (type `connect`).'] };
    }
    return refuseState(deps, consumed.state, consumed.why);
  }
  const state = consumed.state;
  if (typeof query.error === 'string') {
    return failed(deps, state, classifyAuthorizeError(query.error, typeof query.error_description === 'string' ? query.error_description : undefined), 'consent.signIn');
  }
  if (typeof query.code !== 'string' || query.code.length === 0 || query.code.length > 4096) {
    return failed(deps, state, { kind: 'invalidGrant', message: 'Microsoft sent back no authorization code.', fix: 'Start again from Teams with a fresh link.' }, 'consent.signIn');
  }
  let grant: DelegatedGrant;
  try {
    grant = await deps.microsoft.authCode.redeem({ tenant: state.authorityTenant, code: query.code, verifier: consumed.verifier, redirectUri: state.redirectUri, scopes: state.scopes });
  } catch (err) {
    return failed(deps, state, classifyMicrosoftError(err), 'consent.redeem');
  }
  const mismatch = identityMismatch(state, grant);
  if (mismatch) return refuse(deps, state, mismatch, { signedInTenant: grant.tenantId, signedInUser: grant.userObjectId });
  const handler = handlers[state.purpose];
  if (!handler) return refuse(deps, state, `This kind of sign-in (${state.purpose}) is not handled by this version of Tenant Steward.`, {});
  return handler(deps, state, grant);
}

/**
 * The Teams user and the Microsoft account must be the same person where we can tell: when the sign-in is in the
 * workspace's own tenant, object ids are comparable. (Another tenant's account cannot be compared: an admin may
 * connect a tenant they administer with another account.) A tenant-bound sign-in must be for that tenant.
 */
function identityMismatch(state: ConsentState, grant: DelegatedGrant): string | undefined {
  if (state.expectedTenantId && grant.tenantId.toLowerCase() !== state.expectedTenantId.toLowerCase()) {
    return `The sign-in was for another tenant (${grant.tenantId}) than the one this link is for (${state.expectedTenantId}).`;
  }
  if (grant.tenantId.toLowerCase() === state.workspaceId.toLowerCase() && grant.userObjectId.toLowerCase() !== state.aadObjectId.toLowerCase()) {
    return `This link was made for ${state.userName ?? 'another Teams user'}, but ${grant.userPrincipalName ?? 'a different account'} signed in. Each admin must use the link from their own \`connect\`.`;
  }
  return undefined;
}

async function refuseState(deps: Deps, state: ConsentState, why: 'reused' | 'cancelled' | 'expired'): Promise<CallbackPage> {
  const reason = {
    reused: 'This sign-in link was already used. Each link works once.',
    cancelled: 'This sign-in link was cancelled in Teams.',
    expired: 'This sign-in link has expired: links work for 10 minutes.',
  }[why];
  return refuse(deps, state, reason, { why });
}

