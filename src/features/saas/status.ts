import type { CredentialState, CredentialStatus, SaasDoctorResult, SaasTask, SaasTaskCheck } from '../../store/types.js';
import type { DoctorRun } from './doctor.js';
import { TASK_INFO } from './tasks.js';

const DAY_MS = 86_400_000;
/** A secret ending within this many days is `expiring` (the health job's first reminder is at 30 days). */
export const SECRET_EXPIRING_DAYS = 30;

/** Seed 003 warns that the integration fails without consent to BOTH of these; the doctor says so whenever one is missing. */
export const SIGN_IN_PAIR_NOTE =
  'SSO Application Access needs BOTH AuditLog.Read.All and Directory.Read.All: Microsoft\'s List signIns requires consent to both, and the integration fails if either is missing.';

/** Why the doctor keeps a task from running, or undefined when it may run. */
export function taskBlocker(doctor: SaasDoctorResult, task: SaasTask): string | undefined {
  const check = doctor.tasks.find((t) => t.task === task);
  if (!check) return 'not checked';
  return check.state === 'ok' ? undefined : describeCheck(check);
}

/** One line per task: "OK", "missing `AuditLog.Read.All`", "needs Entra ID P1", or the error. */
export function describeCheck(check: SaasTaskCheck): string {
  switch (check.state) {
    case 'ok':
      return 'OK';
    case 'missingPermission':
      return `missing ${(check.missing ?? []).map((p) => `\`${p}\``).join(' and ')}${check.task === 'ssoAccess' ? ` (${SIGN_IN_PAIR_NOTE})` : ''}`;
    case 'needsP1':
      return `needs Entra ID P1: ${check.detail ?? 'sign-in logs are only served to tenants with Microsoft Entra ID P1 or P2.'}`;
    default:
      return `could not be checked: ${check.detail ?? 'unknown error'}`;
  }
}

export function taskLabel(task: SaasTask): string {
  return TASK_INFO[task].label;
}

const PROBLEM_STATE: Record<string, CredentialState> = {
  badSecret: 'revoked',
  expiredSecret: 'expired',
  consentMissing: 'missing',
  conditionalAccess: 'blocked',
  wrongTenant: 'error',
};

/** The secret's credential state after a doctor run: what token acquisition said, and its end date where readable. */
export function secretStatus(previous: CredentialStatus, doctor: DoctorRun, now: Date): CredentialStatus {
  const base = { ...previous, updatedAt: now.toISOString() };
  if (doctor.tokenProblem) {
    return { ...base, state: PROBLEM_STATE[doctor.tokenProblem.kind] ?? 'error', detail: doctor.tokenProblem.message };
  }
  const expiresAt = doctor.secretEndsAt ?? previous.expiresAt;
  const left = expiresAt ? Date.parse(expiresAt) - now.getTime() : undefined;
  const state: CredentialState = left === undefined ? 'ok' : left <= 0 ? 'expired' : left <= SECRET_EXPIRING_DAYS * DAY_MS ? 'expiring' : 'ok';
  const { detail: _old, ...rest } = base;
  return { ...rest, state, ...(expiresAt ? { expiresAt } : {}), ...(state === 'expiring' ? { detail: `ends ${expiresAt!.slice(0, 10)}` } : {}) };
}
