import type { Activity } from 'botbuilder';
import type { Deps } from '../../deps.js';
import { classifyMicrosoftError, type DelegatedGrant } from '../../microsoft/index.js';
import { PartnerCenterClient, type PartnerCustomer } from '../../microsoft/partner-center.js';
import type { ConsentState, Person, Tenant } from '../../store/types.js';
import { ensureWorkspace } from '../../teams/guards.js';
import type { CallbackPage } from '../consent/pages.js';
import { redirectUri } from '../consent/sign-in.js';
import { createState, newStateId, stateParam, STATE_TTL_MS } from '../consent/states.js';
import { defuseTemplateText } from '../status/view.js';
import { freshPartnerCredential, PARTNER_CREDENTIAL } from './credential.js';
import { linkCustomers } from './customers.js';
import { classifyPartnerFailure } from './problems.js';
import { laterThan, schedulePartnerRefresh } from './refresh-job.js';

/** The resource part of a `.default` scope (`https://api.partnercenter.microsoft.com`). */
const resourceOf = (defaultScope: string) => defaultScope.replace(/\/\.default$/, '');

/**
 * Scopes of the partner sign-in (seed 004). Consent covers Partner Center (app+user) and the two Graph read
 * permissions the CSP "double hop" needs in customer tenants (users, subscribedSkus); the code is redeemed for
 * Partner Center only (one resource per token), and the refresh token then serves both.
 */
export function partnerScopes(deps: Pick<Deps, 'microsoft'>): { consent: string[]; redeem: string[] } {
  const { scopes } = deps.microsoft.endpoints;
  const redeem = [`${resourceOf(scopes.partnerCenter)}/user_impersonation`, 'offline_access', 'openid', 'profile'];
  const graph = resourceOf(scopes.graph);
  return { redeem, consent: [...redeem, `${graph}/User.Read.All`, `${graph}/Organization.Read.All`] };
}

/** A Microsoft ID (Partner Center: Account settings > Microsoft Entra ID profile) is the partner's tenant id, a GUID. */
export function isMicrosoftId(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

export interface PartnerSignIn {
  workspaceId: string;
  aadObjectId: string;
  userName?: string;
  conversationId: string;
  microsoftId: string;
}

/** The `connect partner` card: what the sign-in needs and grants, and its single-use link (auth code + PKCE). */
export async function partnerSignInCard(deps: Deps, req: PartnerSignIn): Promise<Record<string, unknown>> {
  const id = newStateId();
  const callback = redirectUri(deps);
  const { consent, redeem } = partnerScopes(deps);
  const { url, verifier } = await deps.microsoft.authCode.begin({ tenant: req.microsoftId, redirectUri: callback, scopes: consent, state: stateParam({ id, workspaceId: req.workspaceId }), prompt: 'consent' });
  const state = await createState(deps, {
    id, workspaceId: req.workspaceId, purpose: 'partner', aadObjectId: req.aadObjectId, userName: req.userName, conversationId: req.conversationId,
    authorityTenant: req.microsoftId, expectedTenantId: req.microsoftId, scopes: redeem, redirectUri: callback, verifier,
  });
  return deps.cards.expand('partner-connect', defuseTemplateText({
    microsoftId: req.microsoftId,
    url,
    linkNote: `This link is for ${req.userName ?? 'you'} only, works once, and expires in ${STATE_TTL_MS / 60000} minutes (at ${state.expiresAt.slice(11, 16)} UTC).`,
  }));
}

const NOTHING_STORED = 'Nothing was stored.';

/**
 * The callback of a `connect partner` sign-in (purpose `partner`). The signed-in account must reach Partner Center
 * (MFA, Admin Agent): that is checked with a real call before anything is stored. Then the partner tenant keeps the
 * refresh token sealed, its customers become tenants of the workspace (imported through the double hop), and the
 * nightly refresh and daily imports are scheduled.
 */
export async function completePartnerLink(deps: Deps, state: ConsentState, grant: DelegatedGrant): Promise<CallbackPage> {
  const workspace = await deps.store.workspaces.get(state.workspaceId, state.workspaceId);
  if (workspace && !workspace.admins.some((a) => a.aadObjectId === state.aadObjectId)) {
    return refused(deps, state, `${state.userName ?? 'You'} is not an admin of this workspace. Ask an owner to add you with \`admins add\`.`);
  }
  if (!grant.refreshToken) return refused(deps, state, 'Microsoft returned no refresh token (offline_access was not granted), so the link could not be kept.');
  let customers: PartnerCustomer[];
  try {
    customers = await new PartnerCenterClient(deps.microsoft.endpoints.partnerCenter, async () => grant.accessToken, { attempts: 3 }).customers();
  } catch (err) {
    const problem = classifyPartnerFailure(err);
    return refused(deps, state, `Partner Center refused ${grant.userPrincipalName ?? 'the account'}: ${problem.reason}. Sign in with an account that has Privileged Role Administrator and the Admin Agent role, using MFA.`);
  }
  const actor: Person = { aadObjectId: state.aadObjectId, name: state.userName };
  if (!workspace) await ensureWorkspace(deps, state.workspaceId, { aadObjectId: state.aadObjectId, name: state.userName });
  const partner = await storePartner(deps, state.workspaceId, grant, actor);
  await deps.store.audit.append({ workspaceId: state.workspaceId, tenantId: partner.id, actor: actor.aadObjectId, action: 'partner.link', target: partner.id, outcome: 'success', detail: { signedInAs: grant.userPrincipalName, customers: customers.length } });
  await deps.store.audit.append({ workspaceId: state.workspaceId, tenantId: partner.id, actor: actor.aadObjectId, action: 'credential.set', target: `${partner.id}/${PARTNER_CREDENTIAL}`, outcome: 'success', detail: { sealed: true, signedInAs: grant.userPrincipalName } });
  await linkCustomers(deps, partner, customers, actor);
  await schedulePartnerRefresh(deps, partner);
  const names = customers.slice(0, 15).map((c) => c.companyName).join(', ');
  await tell(deps, state, `Partner Center is linked for **${partner.displayName}** (signed in as ${grant.userPrincipalName ?? 'the partner admin'}). ${customers.length} customer${customers.length === 1 ? '' : 's'}${customers.length ? `: ${names}${customers.length > 15 ? ', …' : ''}` : ''}. Their Microsoft 365 users and licences are imported daily through the partner's token; the token refreshes every night. Type \`customers\` to see them, \`partner test\` to try the token.`);
  return { status: 200, title: 'Partner Center linked', lines: [`Signed in as ${grant.userPrincipalName ?? 'the partner admin'}.`, `${customers.length} customers found.`, 'You can close this window and return to Teams.'] };
}

async function storePartner(deps: Deps, workspaceId: string, grant: DelegatedGrant, actor: Person): Promise<Tenant> {
  const at = deps.now();
  for (let attempt = 0; ; attempt++) {
    const existing = await deps.store.tenants.get(workspaceId, grant.tenantId);
    const domain = grant.userPrincipalName?.split('@')[1];
    const tenant: Tenant = {
      ...existing,
      id: grant.tenantId,
      workspaceId,
      displayName: existing?.displayName ?? domain ?? grant.tenantId,
      defaultDomain: existing?.defaultDomain ?? domain,
      consentedBy: existing?.consentedBy ?? actor,
      consentedAt: existing?.consentedAt ?? at.toISOString(),
      credentials: {
        ...existing?.credentials,
        [PARTNER_CREDENTIAL]: freshPartnerCredential(deps, { workspaceId, id: grant.tenantId }, grant.refreshToken!, existing?.credentials[PARTNER_CREDENTIAL], `linked by ${grant.userPrincipalName ?? 'a partner admin'}`),
      },
      partnerCenter: { ...existing?.partnerCenter, role: 'partner', partnerTenantId: grant.tenantId, linkedBy: actor, linkedAt: at.toISOString() },
      updatedAt: laterThan(existing?.updatedAt, at),
    };
    if (!existing ? await deps.store.tenants.insert(tenant) : await deps.store.tenants.replaceIf(tenant, { updatedAt: existing.updatedAt ?? null })) return tenant;
    if (attempt >= 4) throw new Error('the partner tenant record kept changing while the link was stored');
  }
}

async function refused(deps: Deps, state: ConsentState, reason: string): Promise<CallbackPage> {
  await deps.store.audit.append({ workspaceId: state.workspaceId, actor: state.aadObjectId, action: 'partner.link', target: state.expectedTenantId ?? state.authorityTenant, outcome: 'refused', detail: { reason } });
  await tell(deps, state, `The Partner Center link was not made: ${reason} ${NOTHING_STORED} Type \`connect partner <Microsoft ID>\` to try again.`);
  return { status: 400, title: 'Partner Center not linked', lines: [reason, NOTHING_STORED, 'Start again from Teams.'] };
}

async function tell(deps: Deps, state: ConsentState, message: string | Partial<Activity>): Promise<void> {
  const result = await deps.proactive.send(state.workspaceId, state.conversationId, message);
  if (result !== 'sent') deps.logger.warn({ workspaceId: state.workspaceId, result }, 'could not post the partner link outcome');
}

/** The problem behind a failed redemption or token exchange, for messages (used by `partner test`, `customers`). */
export function partnerProblemText(err: unknown): string {
  const p = classifyPartnerFailure(err);
  if (p.transient) return `Partner Center or Microsoft's login could not be reached (${classifyMicrosoftError(err).message}). Try again in a moment.`;
  return `${p.reason}. Manual re-consent needed: ${p.reconsent ? 'yes' : 'no'}. ${p.fix}`;
}
