import type { Deps } from '../../deps.js';
import { classifyMicrosoftError, roleAssignmentName, ROLE_IDS, type Arm } from '../../microsoft/index.js';
import type { AzureRole, Subscription } from '../../store/types.js';

export interface RoleChangeRequest {
  sub: Subscription;
  /** Up: Reader → Tag Contributor. Down: Tag Contributor → Reader. */
  to: AzureRole;
  /** ARM with the signed-in Owner's delegated token. */
  arm: Arm;
  /** Audit actor (the Teams user) and the Microsoft account that signed in. */
  actor: string;
  signedInAs?: string;
  reason: Record<string, unknown>;
}

export type RoleChangeResult =
  | { ok: true; assignmentId: string; removed: string[]; kept: string[]; removalProblem?: string }
  | { ok: false; reason: string };

/**
 * Swaps our service principal's role on a subscription: assigns `to` (deterministic name, so a retry is
 * idempotent), checks that the new assignment exists, and only then removes the other role. Access is never
 * lost in between: at worst both roles are held for a moment, or (if the removal fails) until an Owner removes
 * the old one. Every write is audited. A failure before the new assignment exists changes nothing.
 */
export async function changeRole(deps: Pick<Deps, 'store' | 'logger' | 'microsoft'>, req: RoleChangeRequest): Promise<RoleChangeResult> {
  const { sub, arm } = req;
  const from: AzureRole = req.to === 'Reader' ? 'Tag Contributor' : 'Reader';
  const target = `/subscriptions/${sub.subscriptionId}`;
  const audit = (action: string, outcome: 'success' | 'failure', detail: Record<string, unknown>) =>
    deps.store.audit.append({ workspaceId: sub.workspaceId, tenantId: sub.tenantId, actor: req.actor, action, target, outcome, detail: { signedInAs: req.signedInAs, ...req.reason, ...detail } });
  let principalId: string;
  try {
    principalId = await deps.microsoft.servicePrincipalId(sub.tenantId);
  } catch (err) {
    const p = classifyMicrosoftError(err);
    return { ok: false, reason: `Tenant Steward's service principal could not be found in the tenant (${p.message}). ${p.fix}` };
  }
  const toGuid = ROLE_IDS[req.to];
  const name = roleAssignmentName(sub.subscriptionId, principalId, toGuid);
  try {
    await arm.createRoleAssignment(sub.subscriptionId, { name, roleDefinitionGuid: toGuid, principalId });
    await audit('azure.roleAssignment.create', 'success', { role: req.to, principalId, assignmentName: name });
  } catch (err) {
    const e = err as { statusCode?: number; code?: string };
    if (!(e.statusCode === 409 && e.code === 'RoleAssignmentExists')) {
      const p = classifyMicrosoftError(err);
      await audit('azure.roleAssignment.create', 'failure', { role: req.to, principalId, assignmentName: name, kind: p.kind, status: p.status, code: p.code, message: p.message });
      const why = p.kind === 'forbidden' ? `${req.signedInAs ?? 'The account that signed in'} may not assign roles on this subscription: an Owner (or User Access Administrator) must sign in.` : `${p.message} ${p.fix}`;
      return { ok: false, reason: `${req.to} could not be assigned. ${why}` };
    }
    await audit('azure.roleAssignment.create', 'success', { role: req.to, principalId, alreadyExisted: true });
  }
  let held;
  try {
    held = await arm.roleAssignmentsOf(sub.subscriptionId, principalId);
  } catch (err) {
    const p = classifyMicrosoftError(err);
    return { ok: false, reason: `The new ${req.to} assignment could not be checked (${p.message}), so ${from} was kept.` };
  }
  const created = held.find((a) => a.roleDefinitionGuid === toGuid.toLowerCase());
  if (!created) return { ok: false, reason: `The new ${req.to} assignment is not visible yet, so ${from} was kept. Try again in a minute.` };
  const removed: string[] = [];
  const kept: string[] = [];
  let removalProblem: string | undefined;
  for (const old of held.filter((a) => a.roleDefinitionGuid === ROLE_IDS[from].toLowerCase())) {
    try {
      await arm.deleteRoleAssignment(sub.subscriptionId, old.name);
      removed.push(old.id);
      await audit('azure.roleAssignment.delete', 'success', { role: from, principalId, assignmentName: old.name });
    } catch (err) {
      const p = classifyMicrosoftError(err);
      kept.push(old.id);
      removalProblem = `${from} could not be removed (${p.message}); an Owner can remove it in the Azure portal.`;
      await audit('azure.roleAssignment.delete', 'failure', { role: from, principalId, assignmentName: old.name, kind: p.kind, status: p.status, message: p.message });
    }
  }
  return { ok: true, assignmentId: created.id, removed, kept, removalProblem };
}
