import type { Deps } from '../../deps.js';
import { classifyMicrosoftError, roleAssignmentName, ROLE_IDS, type Arm, type ArmSubscription } from '../../microsoft/index.js';
import type { AzureRole } from '../../store/types.js';
import { mapWithConcurrency } from '../../util/concurrency.js';

export type AssignmentOutcome = 'assigned' | 'alreadyAssigned' | 'skippedNotOwner' | 'failed';

export interface SubscriptionResult {
  subscriptionId: string;
  displayName: string;
  state: string;
  outcome: AssignmentOutcome;
  /** The ARM id of our role assignment (assigned / already assigned). */
  roleAssignmentId?: string;
  /** Why it failed, in one line, and what to do. */
  reason?: string;
}

export interface AssignRequest {
  workspaceId: string;
  tenantId: string;
  /** Who acts: the Teams user (audit actor) and the Microsoft user whose sign-in is used. */
  actor: string;
  signedInAs?: string;
  /** ARM with the delegated credential of the impersonation window. */
  arm: Arm;
  servicePrincipalId: string;
  role: AzureRole;
}

/**
 * Assigns `role` to our service principal on every subscription the signed-in user may grant access to, with a
 * deterministic assignment name (a retry PUTs the same name; an equivalent existing assignment is "already
 * assigned"). A subscription where the user may not write role assignments is skipped. Every write is audited.
 */
export async function assignDefaultRole(deps: Pick<Deps, 'store' | 'logger'>, req: AssignRequest): Promise<SubscriptionResult[]> {
  const subscriptions = await req.arm.listSubscriptions();
  // Each subscription has its own ARM write bucket, so a few at a time costs nothing in throttling and saves
  // minutes for a tenant with hundreds of subscriptions. a Microsoft failure is an outcome of assignOne, not a rejection.
  return mapWithConcurrency(subscriptions, ASSIGN_CONCURRENCY, (sub) => assignOne(deps, req, sub));
}

const ASSIGN_CONCURRENCY = 8;

async function assignOne(deps: Pick<Deps, 'store' | 'logger'>, req: AssignRequest, sub: ArmSubscription): Promise<SubscriptionResult> {
  const base = { subscriptionId: sub.subscriptionId, displayName: sub.displayName, state: sub.state };
  const roleGuid = ROLE_IDS[req.role];
  try {
    const existing = await existingAssignment(req, sub.subscriptionId, roleGuid);
    if (existing) return { ...base, outcome: 'alreadyAssigned', roleAssignmentId: existing };
    // An approved Read and Write Tags change swapped Reader for Tag Contributor; a reconnect must not add Reader back.
    const upgraded = req.role === 'Reader' ? await existingAssignment(req, sub.subscriptionId, ROLE_IDS['Tag Contributor']) : undefined;
    if (upgraded) return { ...base, outcome: 'alreadyAssigned', roleAssignmentId: upgraded };
    if (!(await req.arm.canWriteRoleAssignments(sub.subscriptionId))) return { ...base, outcome: 'skippedNotOwner' };
  } catch (err) {
    const problem = classifyMicrosoftError(err);
    return { ...base, outcome: 'failed', reason: `${problem.message} ${problem.fix}` };
  }
  const name = roleAssignmentName(sub.subscriptionId, req.servicePrincipalId, roleGuid);
  const audit = (outcome: 'success' | 'failure', detail: Record<string, unknown>) =>
    deps.store.audit.append({
      workspaceId: req.workspaceId,
      tenantId: req.tenantId,
      actor: req.actor,
      action: 'azure.roleAssignment.create',
      target: `/subscriptions/${sub.subscriptionId}`,
      outcome,
      detail: { role: req.role, principalId: req.servicePrincipalId, assignmentName: name, signedInAs: req.signedInAs, ...detail },
    });
  try {
    const created = await req.arm.createRoleAssignment(sub.subscriptionId, { name, roleDefinitionGuid: roleGuid, principalId: req.servicePrincipalId });
    await audit('success', { roleAssignmentId: created.id });
    return { ...base, outcome: 'assigned', roleAssignmentId: created.id };
  } catch (err) {
    const e = err as { statusCode?: number; code?: string };
    if (e.statusCode === 409 && e.code === 'RoleAssignmentExists') {
      await audit('success', { alreadyExisted: true });
      return { ...base, outcome: 'alreadyAssigned', roleAssignmentId: await existingAssignment(req, sub.subscriptionId, roleGuid).catch(() => undefined) };
    }
    const problem = classifyMicrosoftError(err);
    await audit('failure', { kind: problem.kind, status: problem.status, code: problem.code, message: problem.message });
    deps.logger.warn({ subscriptionId: sub.subscriptionId, kind: problem.kind, status: problem.status }, 'role assignment failed');
    return { ...base, outcome: 'failed', reason: `${problem.message} ${problem.fix}` };
  }
}

/** Our principal's assignment of the role on the subscription, if any. A user who may not read assignments: unknown. */
async function existingAssignment(req: AssignRequest, subscriptionId: string, roleGuid: string): Promise<string | undefined> {
  try {
    const assignments = await req.arm.roleAssignmentsOf(subscriptionId, req.servicePrincipalId);
    return assignments.find((a) => a.roleDefinitionGuid === roleGuid.toLowerCase())?.id;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 403) return undefined;
    throw err;
  }
}
