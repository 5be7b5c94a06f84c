/**
 * Records kept by the Store, one interface per collection (see design.md, "Data").
 *
 * Every record has `id` and `workspaceId`; the pair is the key, so the same `id` may exist in two workspaces.
 * Imported records also carry `tenantId`. Their `id` must still be unique within the workspace, so build it
 * with {@link scopedId} (`${tenantId}/${nativeId}`): a skuId or an app id repeats across tenants.
 * Timestamps are ISO-8601 strings (JSON and BSON round-trip them identically, unlike Date).
 */
import type { ConversationReference } from 'botbuilder';

export interface BaseRecord {
  id: string;
  workspaceId: string;
}

/** Data copied from a Microsoft tenant by a job. */
export interface ImportedRecord extends BaseRecord {
  tenantId: string;
  /** When the import last saw this object; a record older than the last full run is gone upstream. */
  lastSeenAt?: string;
}

/** The id to use for a record that belongs to one tenant: unique across the workspace's tenants. */
export function scopedId(tenantId: string, nativeId: string): string {
  return `${tenantId}/${nativeId}`;
}

export type AzureRole = 'Reader' | 'Tag Contributor';
export type SyncMode = 'none' | 'noTags' | 'readTags' | 'readWriteTags';

/** Who did something, as Teams tells us. */
export interface Person {
  aadObjectId: string;
  name?: string;
}

export interface WorkspaceAdmin {
  aadObjectId: string;
  name: string;
  role: 'owner' | 'admin';
  addedAt?: string;
}

export interface WorkspaceSettings {
  /** Role requested at consent; design.md defaults to Reader (least privilege). */
  defaultAzureRole?: AzureRole;
  /** Hours an approval request stays open (design: 24). */
  approvalTtlHours?: number;
  /** Days ahead of a secret's or token's expiry to start reminding. */
  expiryReminderDays?: number;
  /** Partner Admin Link partner id (MPN id). */
  partnerId?: string;
}

/** One per Teams tenant using the bot. `id` is the Teams tenant id and `workspaceId` equals `id`. */
export interface Workspace extends BaseRecord {
  displayName?: string;
  admins: WorkspaceAdmin[];
  settings: WorkspaceSettings;
  createdAt: string;
  updatedAt?: string;
}

export type CredentialKind =
  | 'azureConsent'
  | 'graphConsent'
  | 'clientSecret'
  | 'delegatedRefreshToken'
  | 'partnerCenterRefreshToken'
  /**
   * The client secret of the CUSTOMER's own app registration used for SaaS discovery (seed 003; `connect saas`).
   * Sealed with `saasSecretSealContext(workspaceId, tenantId)`; its client id is `tenant.saas.clientId`.
   */
  | 'saasClientSecret';

/** `blocked`: a Conditional Access policy refuses the sign-in (AADSTS53003); `missing` includes consent missing. */
export type CredentialState = 'ok' | 'missing' | 'incomplete' | 'expiring' | 'expired' | 'revoked' | 'blocked' | 'error';

export interface CredentialStatus {
  state: CredentialState;
  /** AES-256-GCM sealed secret; never a clear-text value. */
  sealed?: string;
  updatedAt: string;
  expiresAt?: string;
  /** When the secret or token was issued (the Partner Center refresh token's 90 days count from here). */
  issuedAt?: string;
  /** e.g. an AADSTS code and its meaning. */
  detail?: string;
  /** The state last announced to Teams, so each change is notified once. */
  notifiedState?: CredentialState;
  notifiedAt?: string;
}

/** A connected Microsoft tenant. `id` is the Microsoft (Entra) tenant id. */
export interface Tenant extends BaseRecord {
  displayName: string;
  defaultDomain?: string;
  consentedBy: Person;
  consentedAt: string;
  credentials: Partial<Record<CredentialKind, CredentialStatus>>;
  /**
   * Set when a CSP partner linked Partner Center. `role: 'partner'` is the partner's own tenant (it holds the
   * partnerCenterRefreshToken credential); `'customer'` is a customer tenant reached through that partner's token.
   */
  partnerCenter?: { partnerTenantId?: string; linkedBy?: Person; linkedAt?: string; role?: 'partner' | 'customer'; customerDomain?: string };
  /** Set by `connect saas`: SaaS discovery through the customer's own app registration (seed 003). */
  saas?: SaasConnection;
  updatedAt?: string;
}

/** Seed 003's integration tasks. */
export type SaasTask = 'hrRoster' | 'appDiscovery' | 'ssoRoster' | 'ssoAccess';

/**
 * SaaS discovery settings of a tenant. The app registration is the CUSTOMER's (client credentials), not ours: its
 * secret is the tenant's `credentials.saasClientSecret` (sealed; when it ends; whether it works), which the health
 * job watches like any other credential. It is never shown again and never logged.
 */
export interface SaasConnection {
  clientId: string;
  /** Lower-cased domain names matched against the UPN's domain; empty means every domain. */
  domains: string[];
  /** Seed 003 "Include Guests: yes": Guest, Member and null user types; otherwise Member and null only. */
  includeGuests: boolean;
  tasks: SaasTask[];
  connectedBy: Person;
  connectedAt: string;
  /** Graph `organization` (Application Discovery). */
  organization?: { id: string; displayName: string; defaultDomain?: string; verifiedDomains: string[] };
  doctor?: SaasDoctorResult;
  lastRun?: SaasRunSummary;
}

/** What the permissions doctor found for one task. */
export interface SaasTaskCheck {
  task: SaasTask;
  state: 'ok' | 'missingPermission' | 'needsP1' | 'error';
  /** The exact permissions to add and consent. */
  missing?: string[];
  detail?: string;
}

export interface SaasDoctorResult {
  checkedAt: string;
  /** The `roles` of the app-only Graph token. */
  roles: string[];
  tasks: SaasTaskCheck[];
  /** "Display concealed user, group, and site names in all reports" (admin/reportSettings or the report itself). */
  concealedNames: 'on' | 'off' | 'unknown';
  concealedDetail?: string;
  /** Set when no token could be had (bad or expired secret, app gone): nothing else was checked. */
  tokenError?: string;
}

export interface SaasTaskRun {
  task: SaasTask;
  state: 'done' | 'skipped' | 'failed';
  detail?: string;
  /** e.g. users, apps, assignments, logins stored. */
  stored?: number;
}

export interface SaasRunSummary {
  startedAt: string;
  finishedAt: string;
  outcome: 'success' | 'partial' | 'failure';
  tasks: SaasTaskRun[];
  /** Which HR roster filter applied, in words. */
  filter?: string;
  newApps?: number;
  lostAccess?: number;
}

/** An Azure subscription of a tenant. `id` is `scopedId(tenantId, subscriptionId)`. */
export interface Subscription extends BaseRecord {
  tenantId: string;
  subscriptionId: string;
  displayName: string;
  /** ARM subscription state: Enabled, Disabled, Warned, PastDue, Deleted. */
  state: string;
  role: AzureRole | null;
  syncMode: SyncMode;
  roleAssignmentIds: string[];
  lastSyncAt?: string;
  lastSyncOutcome?: 'success' | 'partial' | 'failure';
  counts?: { resources?: number; tagged?: number; conflicts?: number };
  updatedAt?: string;
}

/** An Azure resource seen by `tags.sync`. `id` is `scopedId(tenantId, armId.toLowerCase())`. */
export interface Resource extends ImportedRecord {
  subscriptionId: string;
  armId: string;
  name: string;
  type: string;
  location?: string;
  resourceGroup?: string;
  /** Absent in sync mode `noTags`. */
  tags?: Record<string, string>;
  /** Hash of the tags last read, to detect a change made in Azure since (a conflict). */
  tagsHash?: string;
}

export type TagEditStatus = 'pending' | 'applied' | 'conflict' | 'failed' | 'cancelled';

/** Outbox of tag changes asked for in Teams; written with PATCH Merge or Delete, never Replace. */
export interface TagEdit extends BaseRecord {
  tenantId: string;
  subscriptionId: string;
  /** Resource record id (see {@link Resource}). */
  resourceId: string;
  operation: 'Merge' | 'Delete';
  tags: Record<string, string>;
  /** tagsHash of the resource when the edit was asked for. */
  baseTagsHash?: string;
  /** The values the edited tag names had when the edit was asked for (null: absent), to detect a change made in Azure since. */
  baseTags?: Record<string, string | null>;
  requestedBy: Person;
  requestedAt: string;
  status: TagEditStatus;
  conflict?: { expected?: Record<string, string>; actual?: Record<string, string> };
  error?: string;
  appliedAt?: string;
}

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'completed' | 'failed';

/** A request that a second admin must answer (e.g. moving a subscription to read/write tags). */
export interface Approval extends BaseRecord {
  kind: 'syncMode';
  tenantId: string;
  subscriptionId?: string;
  request: { fromMode?: SyncMode; toMode?: SyncMode };
  requestedBy: Person;
  requestedAt: string;
  expiresAt: string;
  status: ApprovalStatus;
  approver?: Person;
  decidedAt?: string;
  detail?: string;
  /** Where the approval card lives, to update it in place. */
  card?: { conversationId: string; activityId?: string };
  /** Every copy of the approval card (the approvals channels and the requester's conversation), to update them all. */
  cards?: { conversationId: string; activityId: string }[];
  /** Teams user ids (`29:…`) whose clients refresh the card to their own view (Adaptive Card `refresh.userIds`, at most 60). */
  refreshUserIds?: string[];
}

/** A Microsoft 365 user (Graph /users). `id` is `scopedId(tenantId, userId)`. */
export interface DirectoryUser extends ImportedRecord {
  userId: string;
  userPrincipalName: string;
  displayName?: string;
  mail?: string;
  accountEnabled?: boolean;
  userType?: string;
  jobTitle?: string;
  department?: string;
  employeeId?: string;
  managerId?: string;
  assignedSkuIds?: string[];
  /** Removed upstream (delta `@removed`). */
  deleted?: boolean;
  /** The rest of seed 002's fields (Graph names; null where Graph has no value). */
  givenName?: string | null;
  surname?: string | null;
  companyName?: string | null;
  officeLocation?: string | null;
  streetAddress?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  country?: string | null;
  preferredLanguage?: string | null;
  usageLocation?: string | null;
  assignedLicenses?: { skuId: string; disabledPlans: string[] }[];
  onPremisesExtensionAttributes?: Record<string, string | null>;
}

/** A licence SKU of the tenant (Graph /subscribedSkus). `id` is `scopedId(tenantId, skuId)`. */
export interface Licence extends ImportedRecord {
  skuId: string;
  skuPartNumber: string;
  displayName?: string;
  capabilityStatus?: string;
  purchased: number;
  assigned: number;
  suspended?: number;
  warning?: number;
  lockedOut?: number;
  appliesTo?: string;
  /** The products the SKU includes (e.g. Exchange, Teams). */
  servicePlans?: { servicePlanId: string; servicePlanName: string; provisioningStatus?: string }[];
}

/** A discovered SaaS application (service principal). `id` is `scopedId(tenantId, appId)`. */
export interface SaasApp extends ImportedRecord {
  appId: string;
  /** The app instance id (the service principal's object id in the tenant). */
  servicePrincipalId?: string;
  displayName: string;
  publisher?: string;
  ssoMode?: 'saml' | 'oidc' | 'password' | 'linked' | 'none';
  tags?: string[];
  assignmentCount?: number;
  signInCount?: number;
  lastSignInAt?: string;
  /** Seed 003 open_access: users can use SSO without a role assignment (`appRoleAssignmentRequired` false). */
  openAccess?: boolean;
  /** Seed 003 oauth2Integration: SSO configured with OAuth / OpenID Connect. */
  oauth2Integration?: boolean;
  /** When discovery first saw it (the `apps` list shows the newest first). */
  firstSeenAt?: string;
}

/**
 * A user's access to a SaaS app (appRoleAssignedTo, groups expanded). `id` is
 * `scopedId(tenantId, `${servicePrincipalId}/${principalId}`)`: one record per app and user, however many paths.
 */
export interface SsoAssignment extends ImportedRecord {
  appId: string;
  servicePrincipalId?: string;
  principalId: string;
  principalType: 'User' | 'Group' | 'ServicePrincipal';
  principalDisplayName?: string;
  appRoleId?: string;
  /** Set when the user is assigned through this group. */
  viaGroupId?: string;
  appDisplayName?: string;
  /** Assigned to the user directly (besides any groups in viaGroupIds). */
  assignedDirectly?: boolean;
  viaGroupIds?: string[];
  email?: string | null;
  givenName?: string | null;
  surname?: string | null;
  /** When the assignment (direct, or the group's) was made. */
  activeDate?: string;
}

/**
 * SSO application access: a user's newest successful sign-in to an app (auditLogs/signIns). `id` is
 * `scopedId(tenantId, `${appId}/${userId}`)`: one record per app and user, replaced by newer sign-ins.
 */
export interface SsoSignin extends ImportedRecord {
  signInId: string;
  appId: string;
  appDisplayName?: string;
  userId: string;
  userPrincipalName?: string;
  createdDateTime: string;
  succeeded: boolean;
  errorCode?: number;
  /** "City, State, CountryOrRegion" of the sign-in. */
  location?: string;
}

/**
 * Seed 003's HR roster ("All SaaS Users"): users of a SaaS-connected tenant after its domain and guest filters.
 * Kept apart from directoryUsers (m365.import), which holds every user unfiltered. `id` is `scopedId(tenantId, userId)`.
 */
export interface SaasUser extends ImportedRecord {
  userId: string;
  userPrincipalName: string;
  /** `mail` (may be in another domain than the UPN; see emailOutsideDomains). */
  email: string | null;
  emailAliases: string[];
  firstName: string | null;
  lastName: string | null;
  /** When the account was created (Graph createdDateTime). */
  activeDate: string | null;
  department: string | null;
  location: string | null;
  userType: string | null;
  accountEnabled?: boolean;
  /** Kept by the domain filter on its UPN, while its mail is in another domain (seed 003's UPN ≠ mail note). */
  emailOutsideDomains?: boolean;
}

/** A conversation the bot can post to proactively, and the topics (job names, health) it wants. */
export interface ConversationRecord extends BaseRecord {
  /** botbuilder ConversationReference as a plain object (what TurnContext.getConversationReference returns). */
  reference: Partial<ConversationReference>;
  topics: string[];
  kind?: 'personal' | 'channel' | 'groupChat';
  name?: string;
  addedBy?: Person;
  updatedAt: string;
}

/** Resume point of a job. `id` is the key, e.g. `${tenantId}/users.delta`. */
export interface Checkpoint extends BaseRecord {
  tenantId?: string;
  /** A deltaLink, nextLink or watermark; saved only after the data it covers is stored. */
  value: string;
  updatedAt: string;
}

export type AuditOutcome = 'success' | 'failure' | 'refused';

/** One audit line. `id` and `at` are set by the store when appended. */
export interface AuditEntry extends BaseRecord {
  at: string;
  /** aadObjectId of a person, or `job:<name>` / `system`. */
  actor: string;
  action: string;
  target: string;
  outcome: AuditOutcome;
  tenantId?: string;
  detail?: Record<string, unknown>;
}

/**
 * Why a sign-in was started. Each purpose says what the callback does after the code is redeemed; a feature that
 * needs a delegated sign-in (e.g. an approver's sign-in for Tag Contributor) adds its purpose here.
 */
export type ConsentPurpose = 'connect' | 'addSubscriptions' | 'partner' | 'approval';

export type ConsentStateStatus = 'pending' | 'used' | 'cancelled';

/**
 * One OAuth `state` of the auth code flow (PKCE), single-use. `id` is the random part of the `state` parameter
 * (32 random bytes, base64url); the parameter also names the workspace so the callback can find the record.
 * Bound to the Teams user, the conversation and the workspace that asked for it.
 */
export interface ConsentState extends BaseRecord {
  purpose: ConsentPurpose;
  /** The Teams user who asked (activity.from.aadObjectId) and their name as Teams gave it. */
  aadObjectId: string;
  userName?: string;
  conversationId: string;
  /** The authority's tenant segment used for authorize and token: `organizations` or a tenant id. */
  authorityTenant: string;
  /** When set, the sign-in must be for this Microsoft tenant (adding subscriptions to a connected tenant). */
  expectedTenantId?: string;
  scopes: string[];
  redirectUri: string;
  /** The PKCE code verifier, sealed with the record id as context. */
  sealedVerifier: string;
  status: ConsentStateStatus;
  createdAt: string;
  expiresAt: string;
  usedAt?: string;
  /** Purpose-specific values (ids), e.g. the approval a sign-in is for. */
  context?: Record<string, string>;
  /**
   * The impersonation window opened by this sign-in: the delegated ARM access token, sealed (context
   * `${id}/window`), usable until `expiresAt` (at most one hour after the sign-in).
   */
  window?: { tenantId: string; userObjectId: string; userPrincipalName?: string; sealedAccessToken: string; expiresAt: string };
}

/** What a caller passes to `audit.append`; the store stamps `id` and `at`. */
export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;
