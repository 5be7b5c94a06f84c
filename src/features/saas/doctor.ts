import { classifyMicrosoftError, type MicrosoftProblem } from '../../microsoft/errors.js';
import type { SaasDoctorResult, SaasTaskCheck } from '../../store/types.js';
import { checkConcealedNames } from './anonymization.js';
import type { SaasGraph } from './graph.js';
import { checkTaskPermissions, rolesOfToken } from './permissions.js';
import { SAAS_TASKS, TASK_INFO } from './tasks.js';

/** Graph's answer to auditLogs/signIns in a tenant without Entra ID P1/P2 (or in a B2C tenant). */
export const NON_PREMIUM_CODE = 'Authentication_RequestFromNonPremiumTenantOrB2CTenant';

export interface DoctorRun {
  result: SaasDoctorResult;
  /** Set when no token could be had: why, classified (the AADSTS code survives). */
  tokenProblem?: MicrosoftProblem;
  /** When the client secret in use ends, from Graph `applications` (where readable). */
  secretEndsAt?: string;
}

/**
 * The permissions doctor: decodes the `roles` of the app-only Graph token and says, for each of the four tasks,
 * OK / missing `<exact permission>` / needs Entra ID P1. Also reads the secret's end date and whether reports
 * conceal user names. Reads only; never throws for what it diagnoses.
 */
export async function runDoctor(graph: SaasGraph, app: { clientId: string; clientSecret: string }, now: Date): Promise<DoctorRun> {
  const checkedAt = now.toISOString();
  let token: string;
  try {
    token = await graph.token();
  } catch (err) {
    const problem = classifyMicrosoftError(err);
    return { tokenProblem: problem, result: { checkedAt, roles: [], tasks: [], concealedNames: 'unknown', tokenError: problem.message } };
  }
  const roles = rolesOfToken(token);
  const tasks: SaasTaskCheck[] = [];
  for (const task of SAAS_TASKS) {
    const { missing } = checkTaskPermissions(task, roles);
    if (missing.length) tasks.push({ task, state: 'missingPermission', missing });
    else if (TASK_INFO[task].needsP1) tasks.push(await probeSignIns());
    else tasks.push({ task, state: 'ok' });
  }
  const concealed = await checkConcealedNames(graph).catch((err: unknown) => ({ state: 'unknown' as const, detail: `could not check: ${classifyMicrosoftError(err).message}` }));
  return {
    result: { checkedAt, roles, tasks, concealedNames: concealed.state, concealedDetail: concealed.detail },
    secretEndsAt: await secretEnd(graph, app),
  };

  async function probeSignIns(): Promise<SaasTaskCheck> {
    try {
      await graph.get('/auditLogs/signIns?$top=1');
      return { task: 'ssoAccess', state: 'ok' };
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === NON_PREMIUM_CODE) {
        return { task: 'ssoAccess', state: 'needsP1', detail: 'The tenant has no Microsoft Entra ID P1 or P2 licence, and Microsoft only serves sign-in logs (auditLogs/signIns) to premium tenants.' };
      }
      const problem = classifyMicrosoftError(err);
      if (problem.kind === 'forbidden') return { task: 'ssoAccess', state: 'missingPermission', missing: TASK_INFO.ssoAccess.permissions, detail: problem.message };
      return { task: 'ssoAccess', state: 'error', detail: problem.message };
    }
  }
}

/** The end of the secret in use: the passwordCredential whose hint (its first 3 characters) matches; the soonest if several do. */
export function endOfSecret(credentials: { hint?: string | null; endDateTime?: string | null }[], secret: string): string | undefined {
  const ends = credentials
    .filter((c) => c.endDateTime && (c.hint ? secret.startsWith(c.hint) : false))
    .map((c) => c.endDateTime as string)
    .sort();
  return ends[0];
}

async function secretEnd(graph: SaasGraph, app: { clientId: string; clientSecret: string }): Promise<string | undefined> {
  try {
    const registration = await graph.get<{ passwordCredentials?: { hint?: string | null; endDateTime?: string | null }[] }>(
      `/applications(appId='${encodeURIComponent(app.clientId)}')?$select=passwordCredentials`,
    );
    return endOfSecret(registration.passwordCredentials ?? [], app.clientSecret);
  } catch {
    // Not readable (no Application.Read.All, or the registration lives in another tenant): the expiry stays unknown.
    return undefined;
  }
}
