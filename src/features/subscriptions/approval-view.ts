import type { Approval, Subscription, Workspace } from '../../store/types.js';
import { defuseTemplateText } from '../status/view.js';
import { modeLabel } from './modes.js';

/** Who looks at the card decides what it offers: approvers decide, the approver who said yes signs in. */
export type Viewer = 'approver' | 'signer' | 'other';

const utc = (at: string) => `${at.slice(0, 16).replace('T', ' ')} UTC`;

/** Workspace admins who may answer: admins and owners, except the requester. */
export function eligibleApprovers(workspace: Workspace | undefined, approval: Pick<Approval, 'requestedBy'>) {
  return (workspace?.admins ?? []).filter((a) => a.aadObjectId !== approval.requestedBy.aadObjectId);
}

/** The approval is open to a decision (pending) or to the approver's sign-in (approved), and not past its expiry. */
export function isLive(approval: Approval): boolean {
  return approval.status === 'pending' || approval.status === 'approved';
}

function statusLine(a: Approval, approverNames: string): string {
  switch (a.status) {
    case 'pending':
      return `⏳ Waiting for approval by ${approverNames || 'another workspace admin (there is none yet: an owner can add one with `admins add`)'}. Expires ${utc(a.expiresAt)}.`;
    case 'approved':
      return `✅ Approved by ${a.approver?.name ?? 'an admin'}. Waiting for ${a.approver?.name ?? 'them'} to sign in as an Owner of the subscription, which changes the role. Expires ${utc(a.expiresAt)}.`;
    case 'completed':
      return `✅ Done: ${a.detail ?? 'Tag Contributor assigned, Reader removed; the subscription is now Read and Write Tags.'}`;
    case 'rejected':
      return `❌ Rejected${a.approver ? ` by ${a.approver.name}` : ''}${a.detail ? `: ${a.detail}` : ''}. The mode is unchanged.`;
    case 'expired':
      return `⌛ Expired at ${utc(a.expiresAt)} without ${a.approver ? 'the sign-in' : 'an answer'}. The mode is unchanged; ask again from \`subscriptions\` if it is still wanted.`;
    case 'failed':
      return `❌ The role change failed, so the mode is unchanged: ${a.detail ?? 'see the audit log'}`;
  }
}

/** The data of cards/approval.json for one viewer. Every field is a string or a boolean. */
export function approvalCardData(a: Approval, sub: Pick<Subscription, 'displayName' | 'subscriptionId'> | undefined, workspace: Workspace | undefined, viewer: Viewer, signInUrl?: string) {
  const approvers = eligibleApprovers(workspace, a).map((x) => x.name).join(', ');
  const to = a.request.toMode ?? 'readWriteTags';
  return defuseTemplateText({
    title: `Approval: ${modeLabel(to)} on ${sub?.displayName ?? a.subscriptionId ?? 'a subscription'}`,
    status: statusLine(a, approvers),
    facts: [
      { title: 'Subscription', value: sub ? `${sub.displayName} (${sub.subscriptionId})` : String(a.subscriptionId) },
      { title: 'Change', value: `${modeLabel(a.request.fromMode ?? 'readTags')} → ${modeLabel(to)}` },
      { title: 'Requested by', value: `${a.requestedBy.name ?? a.requestedBy.aadObjectId}, ${utc(a.requestedAt)}` },
      { title: 'Who may approve', value: approvers ? `${approvers} (any workspace admin except the requester)` : 'no other workspace admin yet' },
    ],
    meaning:
      "If approved, Tenant Steward's service principal gets **Tag Contributor** on this subscription and loses Reader (removed only once Tag Contributor exists). Tag Contributor manages tags only: it gives no access to the resources themselves. Tag edits made in Teams are then written back to Azure.",
    note: viewer === 'approver' ? 'You may answer this request.' : viewer === 'signer' ? 'You approved this: sign in as an Owner of the subscription to make the change.' : '',
    hasNote: viewer !== 'other',
    // Clients that do not refresh automatically (or a user left out of userIds) ask for their view with a click.
    showMyView: viewer === 'other' && isLive(a),
    showDecision: viewer === 'approver' && a.status === 'pending',
    showSignIn: viewer === 'signer' && a.status === 'approved',
    showSignInLink: viewer === 'signer' && a.status === 'approved' && Boolean(signInUrl),
    signInUrl: signInUrl ?? '',
    approvalId: a.id,
  });
}

/** `refresh` for user-specific views: the listed users' clients ask for their own view (verb approval.view). */
export function withRefresh(card: Record<string, unknown>, a: Approval): Record<string, unknown> {
  if (!isLive(a)) return card;
  return { ...card, refresh: { action: { type: 'Action.Execute', title: 'Refresh', verb: 'approval.view', data: { approvalId: a.id } }, userIds: (a.refreshUserIds ?? []).slice(0, 60) } };
}
