import { classifyMicrosoftError, MicrosoftNotConfiguredError, type MicrosoftProblemKind } from '../../microsoft/index.js';
import { PartnerLinkMissing } from '../partner/credential.js';
import type { ImportAccess } from './access.js';

/** The step of the import that failed; each Graph step names the one permission it needs. */
export type ImportStage = 'token' | 'users' | 'subscribedSkus';

/**
 * The Graph application permission each step uses. Users come from seed 001's "Read all users' full profiles"
 * (User.Read.All). subscribedSkus is not readable with any permission seed 001 lists; design.md names
 * Organization.Read.All for it, the least of Graph's documented choices that the app registration asks for.
 */
export const STAGE_PERMISSION: Record<Exclude<ImportStage, 'token'>, string> = {
  users: 'User.Read.All',
  subscribedSkus: 'Organization.Read.All',
};

const STAGE_WORDS: Record<ImportStage, string> = {
  token: 'getting a token for the tenant',
  users: 'reading users (users/delta)',
  subscribedSkus: 'reading licences (subscribedSkus)',
};

export interface ImportFailure {
  kind: MicrosoftProblemKind | 'permissionMissing' | 'partnerLinkMissing' | 'notConfigured';
  headline: string;
  detail: string;
  fix: string;
  stage: ImportStage;
  stageWords: string;
  microsoftSaid: string;
  /** Worth an automatic retry (throttling, outage); the others need a person. */
  transient: boolean;
}

/** Tells what went wrong in words an admin can act on. AADSTS53003 is always Conditional Access, never "failed". */
export function describeImportFailure(err: unknown, stage: ImportStage, access: ImportAccess, tenantName: string): ImportFailure {
  const base = { stage, stageWords: STAGE_WORDS[stage] };
  if (err instanceof MicrosoftNotConfiguredError) {
    return { ...base, kind: 'notConfigured', headline: 'Tenant Steward is not configured for Microsoft', detail: err.message, fix: "The bot's operator sets ENTRA_APP_CLIENT_ID and ENTRA_APP_CLIENT_SECRET and restarts it.", microsoftSaid: '(not called)', transient: false };
  }
  if (err instanceof PartnerLinkMissing) {
    return { ...base, kind: 'partnerLinkMissing', headline: 'Partner Center is not linked', detail: err.message, fix: 'An admin types `connect partner <Microsoft ID>` and signs in with the partner admin account (Privileged Role Administrator with the Admin Agent role).', microsoftSaid: '(not called)', transient: false };
  }
  const problem = classifyMicrosoftError(err);
  const said = problem.aadsts ? `AADSTS${problem.aadsts}: ${problem.message}` : problem.status ? `HTTP ${problem.status}${problem.code ? ` ${problem.code}` : ''}: ${problem.message}` : problem.message;
  const common = { ...base, microsoftSaid: said.slice(0, 300) };
  if (problem.kind === 'conditionalAccess') {
    const who = access.kind === 'partner'
      ? `the partner's service account (the Partner Center user whose token reaches this customer, from partner tenant ${access.partnerTenantId})`
      : 'the Tenant Steward app (its service principal)';
    const fix = access.kind === 'partner'
      ? `In ${tenantName}'s Microsoft Entra admin centre, edit the Conditional Access policy that blocks it and exclude the partner: Users > Exclude > Guest or external users > Service provider users, limited to the partner's tenant (${access.partnerTenantId}). Then run \`sync m365\` again.`
      : `In ${tenantName}'s Microsoft Entra admin centre, exclude the Tenant Steward app (Workload identities > exclude its service principal) from the Conditional Access policy that blocks it. Then run \`sync m365\` again.`;
    return { ...common, kind: 'conditionalAccess', headline: 'Blocked by Conditional Access', detail: `A Conditional Access policy in ${tenantName} refused the sign-in of ${who}, so nothing could be read. Nothing was changed.`, fix, transient: false };
  }
  if (problem.kind === 'forbidden' && stage !== 'token') {
    const permission = STAGE_PERMISSION[stage];
    return {
      ...common,
      kind: 'permissionMissing',
      headline: `Missing permission: ${permission}`,
      detail: `Microsoft Graph refused ${STAGE_WORDS[stage]} in ${tenantName}: the ${access.kind === 'app' ? 'app-only token' : "partner's token"} does not carry the ${permission} permission.`,
      fix: access.kind === 'app'
        ? `A Global Administrator of ${tenantName} grants admin consent again (type \`connect\`), which grants ${permission} (Microsoft Graph, application).`
        : `The partner grants ${permission} (Microsoft Graph, delegated) again: an admin types \`connect partner <Microsoft ID>\` and consents for the organisation.`,
      transient: false,
    };
  }
  const partnerFix = 'A partner admin links Partner Center again: `connect partner <Microsoft ID>` (sign in with MFA).';
  const fix = access.kind === 'partner' && ['expired', 'revoked', 'signInFrequency', 'consentMissing'].includes(problem.kind) ? partnerFix : problem.fix;
  const transient = problem.kind === 'throttled' || problem.kind === 'network' || (problem.kind === 'other' && (problem.status === undefined || problem.status >= 500));
  const headline = transient ? 'Microsoft 365 import interrupted' : 'Microsoft 365 import failed';
  return { ...common, kind: problem.kind, headline, detail: `The import stopped while ${STAGE_WORDS[stage]} in ${tenantName}.`, fix: transient ? 'Nothing to do: it resumes from where it stopped at the next run.' : fix, transient };
}
