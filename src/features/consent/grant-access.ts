import type { Deps } from '../../deps.js';
import { classifyMicrosoftError, organizationOf, type MicrosoftProblem } from '../../microsoft/index.js';
import type { AzureRole, CredentialStatus, Person, Tenant } from '../../store/types.js';
import { assignDefaultRole, type SubscriptionResult } from './assign.js';
import { recordConnection } from './record.js';

export type AccessDeps = Pick<Deps, 'store' | 'sealer' | 'now' | 'logger' | 'microsoft'>;

export interface AccessRun {
  mode: 'connect' | 'addSubscriptions';
  workspaceId: string;
  tenantId: string;
  actor: Person;
  signedInAs?: string;
  /** The delegated ARM token of the impersonation window. */
  accessToken: string;
  expiresOn: Date;
  refreshToken?: string;
  role: AzureRole;
  /** Runs after the checks that need no write (service principal found) and before the first write. */
  beforeWrites?: () => Promise<void>;
}

export interface AccessResult {
  tenant: Tenant;
  results: SubscriptionResult[];
  graph: CredentialStatus;
}

/** Our service principal could not be found in the tenant: nothing was assigned or stored. */
export class ServicePrincipalMissing extends Error {
  constructor(readonly problem: MicrosoftProblem) {
    super(problem.message);
  }
}

/**
 * What happens inside the impersonation window: find our service principal (app-only), read the organisation
 * (app-only; tells whether the Graph permissions were consented), assign the role with the delegated token, and
 * record the tenant and its subscriptions. Throws ServicePrincipalMissing before any write when the app is not
 * in the tenant.
 */
export async function grantAccess(deps: AccessDeps, run: AccessRun): Promise<AccessResult> {
  let servicePrincipalId: string;
  try {
    servicePrincipalId = await deps.microsoft.servicePrincipalId(run.tenantId);
  } catch (err) {
    throw new ServicePrincipalMissing(classifyMicrosoftError(err));
  }
  const { organization, graph } = await readOrganization(deps, run.tenantId);
  await run.beforeWrites?.();
  const arm = deps.microsoft.arm(deps.microsoft.delegatedCredential(run.accessToken, run.expiresOn));
  const results = await assignDefaultRole(deps, {
    workspaceId: run.workspaceId, tenantId: run.tenantId, actor: run.actor.aadObjectId, signedInAs: run.signedInAs, arm, servicePrincipalId, role: run.role,
  }).catch((err: unknown): SubscriptionResult[] => {
    const problem = classifyMicrosoftError(err);
    deps.logger.warn({ tenantId: run.tenantId, kind: problem.kind }, 'listing subscriptions failed');
    return [{ subscriptionId: '(all)', displayName: 'Listing your subscriptions', state: 'unknown', outcome: 'failed', reason: `${problem.message} ${problem.fix}` }];
  });
  const real = results.filter((r) => r.subscriptionId !== '(all)');
  const listingFailed = results.find((r) => r.subscriptionId === '(all)')?.reason;
  const { beforeWrites: _hook, ...record } = run;
  const tenant = await recordConnection(deps, { ...record, results: real, organization, graphConsent: graph, listingFailed });
  return { tenant, results, graph };
}

async function readOrganization(deps: AccessDeps, tenantId: string): Promise<{ organization?: { displayName: string; defaultDomain?: string }; graph: CredentialStatus }> {
  const at = deps.now().toISOString();
  try {
    const organization = await organizationOf(deps.microsoft.graph(deps.microsoft.appCredential(tenantId)));
    return { organization, graph: { state: 'ok', updatedAt: at } };
  } catch (err) {
    const problem = classifyMicrosoftError(err);
    const state = problem.kind === 'forbidden' || problem.kind === 'consentMissing' ? 'missing' : 'error';
    return { graph: { state, updatedAt: at, detail: `${problem.message} ${problem.fix}` } };
  }
}
