import type { MicrosoftProblem } from '../../microsoft/errors.js';
import type { CredentialState, Person, SaasConnection, Tenant } from '../../store/types.js';
import { saasSecretSealContext, updateTenant, type SaasTenant } from './connection.js';
import type { SaasRunDeps } from './discover.js';
import { runDoctor, type DoctorRun } from './doctor.js';
import { secretStatus } from './status.js';
import type { SaasConnectInput } from './validate.js';

const pickNotified = (s: { notifiedState?: CredentialState; notifiedAt?: string } | undefined) =>
  s?.notifiedState ? { notifiedState: s.notifiedState, ...(s.notifiedAt ? { notifiedAt: s.notifiedAt } : {}) } : {};

export type ConnectResult =
  | { ok: true; tenant: SaasTenant; doctor: DoctorRun; created: boolean }
  | { ok: false; reason: string; problem?: MicrosoftProblem };

/** Why Entra refused the customer's credentials, in words an admin can act on (nothing was saved). */
export function explainTokenProblem(problem: MicrosoftProblem, input: Pick<SaasConnectInput, 'tenantId' | 'clientId'>): string {
  const code = problem.aadsts ? ` (AADSTS${problem.aadsts})` : '';
  switch (problem.aadsts) {
    case 7000215:
      return `Microsoft Entra ID refused the client secret${code}: it is not a valid secret of app ${input.clientId}. Copy the secret's **Value** (not its Secret ID) from Certificates & secrets; if you no longer have the value, add a new client secret and paste that.`;
    case 7000222:
      return `That client secret has expired${code}. Add a new client secret under Certificates & secrets and paste its Value.`;
    case 700016:
      return `No app with client ID ${input.clientId} exists in tenant ${input.tenantId}${code}. Check the Application (client) ID and the Directory (tenant) ID on the app registration's Overview page.`;
    case 90002:
      return `Tenant ${input.tenantId} was not found${code}. Copy the Directory (tenant) ID from the app registration's Overview page.`;
    case 65001:
    case 500011:
      return `The app has no admin consent in tenant ${input.tenantId}${code}. On the app's API permissions page, click "Grant admin consent", then try again.`;
  }
  if (problem.kind === 'conditionalAccess') return `A Conditional Access policy blocks the app's sign-in${code}. Exclude this app registration from the policy, then try again.`;
  if (problem.kind === 'network') return 'Microsoft could not be reached to check the credentials. Nothing was saved; try again in a moment.';
  return `Microsoft Entra ID did not issue a token for these credentials${code}: ${problem.message}`;
}

/**
 * Checks the customer's credentials for real (a token is requested and the doctor runs) and, only if Entra issued
 * a token, saves the connection on the tenant record with the secret sealed. A refused secret changes nothing.
 */
export async function connectSaas(deps: SaasRunDeps, workspaceId: string, by: Person, input: SaasConnectInput): Promise<ConnectResult> {
  const graph = deps.openGraph({ tenantId: input.tenantId, clientId: input.clientId, clientSecret: input.clientSecret });
  const doctor = await runDoctor(graph, input, deps.now());
  if (doctor.tokenProblem) return { ok: false, reason: explainTokenProblem(doctor.tokenProblem, input), problem: doctor.tokenProblem };

  const at = deps.now().toISOString();
  const org = await graph.page<{ id: string; displayName: string; verifiedDomains?: { name: string; isDefault?: boolean }[] }>('/organization?$select=id,displayName,verifiedDomains').then(
    (p) => p.value[0],
    () => undefined, // no Organization.Read.All: the doctor already says so
  );
  const organization = org ? { id: org.id, displayName: org.displayName, defaultDomain: org.verifiedDomains?.find((d) => d.isDefault)?.name, verifiedDomains: (org.verifiedDomains ?? []).map((d) => d.name) } : undefined;
  const secret = secretStatus({ state: 'ok', updatedAt: at, sealed: deps.sealer.seal(input.clientSecret, saasSecretSealContext(workspaceId, input.tenantId)) }, doctor, deps.now());
  const saas: SaasConnection = {
    clientId: input.clientId,
    domains: input.domains,
    includeGuests: input.includeGuests,
    tasks: input.tasks,
    connectedBy: by,
    connectedAt: at,
    doctor: doctor.result,
    ...(organization ? { organization } : {}),
  };
  const fresh: Tenant = {
    id: input.tenantId,
    workspaceId,
    displayName: organization?.displayName ?? input.tenantId,
    ...(organization?.defaultDomain ? { defaultDomain: organization.defaultDomain } : {}),
    consentedBy: by,
    consentedAt: at,
    credentials: { saasClientSecret: secret },
    saas,
    updatedAt: at,
  };
  const created = await deps.store.tenants.insert(fresh);
  const tenant = created
    ? fresh
    : await updateTenant(deps.store, workspaceId, input.tenantId, (t) => ({
    ...t,
    // A new secret replaces the old one; what health announced about the old one is kept, so a fix is announced as a recovery.
    credentials: { ...t.credentials, saasClientSecret: { ...secret, ...pickNotified(t.credentials.saasClientSecret) } },
    saas: { ...saas, lastRun: t.saas?.clientId === saas.clientId ? t.saas.lastRun : undefined },
  }), deps.now);
  if (!tenant) throw new Error('the tenant record vanished while connecting');
  await deps.store.audit.append({
    workspaceId,
    actor: by.aadObjectId,
    action: 'saas.connect',
    target: input.tenantId,
    tenantId: input.tenantId,
    outcome: 'success',
    detail: { clientId: input.clientId, tasks: input.tasks, domains: input.domains, includeGuests: input.includeGuests, roles: doctor.result.roles },
  });
  return { ok: true, tenant: tenant as SaasTenant, doctor, created };
}

