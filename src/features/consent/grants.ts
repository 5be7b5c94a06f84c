import type { AzureRole } from '../../store/types.js';

/**
 * The Microsoft Graph application permissions the app asks for, all read-only, with what each is used for
 * (seed 001: usage reports, groups, users' full profiles; design.md: the M365 import and the SaaS tasks).
 * The app registration must request exactly these; the connect card lists them.
 */
export const GRAPH_READ_PERMISSIONS: { name: string; meaning: string }[] = [
  { name: 'Reports.Read.All', meaning: 'Read all usage reports (Microsoft 365 and Entra ID service usage).' },
  { name: 'GroupMember.Read.All', meaning: 'Read the members of all groups (who is assigned to an app through a group).' },
  { name: 'User.Read.All', meaning: "Read all users' full profiles, including their licences and managers." },
  { name: 'Organization.Read.All', meaning: 'Read your organisation and its subscribed licences (purchased and assigned).' },
  { name: 'Application.Read.All', meaning: 'Read applications and service principals (SaaS discovery and single sign-on).' },
  { name: 'AuditLog.Read.All', meaning: 'Read sign-in logs (who signs in to which SaaS application).' },
  { name: 'Directory.Read.All', meaning: 'Read directory data (Microsoft requires it with AuditLog.Read.All for sign-in logs).' },
];

const ROLE_MEANING: Record<AzureRole, string> = {
  Reader: 'Reader is read-only: it lists your resources and their tags and changes nothing.',
  'Tag Contributor': 'Tag Contributor manages tags only; it gives no access to the resources themselves.',
};

export function azureGrantText(role: AzureRole): string {
  return `**${role}** for the Tenant Steward service principal on each Azure subscription you own (or where you may assign roles). Subscriptions you do not own are skipped. ${ROLE_MEANING[role]}`;
}

export const NEVER_WRITTEN =
  'Nothing in your tenant is ever written except resource tags, and only on a subscription switched to Read and Write Tags after a second admin approves. Users, groups, licences, resources, policies and security settings are never changed.';

export const SIGN_IN_USE =
  'Microsoft asks you to sign in and consent. For at most one hour, Tenant Steward then acts as you for one thing only: assigning the role above to its own service principal. Your sign-in is never stored in the clear; a sealed refresh token is kept only so the health check can tell you when it is revoked.';
