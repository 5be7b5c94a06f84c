/**
 * The emulator's world: a deterministic, seeded picture of several Microsoft tenants.
 * Generation is lazy: large collections (users, resources, sign-ins) are computed from (seed, tenant, index)
 * on demand, so a 100k-user / 1M-sign-in world starts fast and stays small in memory.
 * Mutations (scripted events) live in an overlay with a monotonically increasing version, which is what
 * `users/delta` and incremental syncs read.
 */

import type { SignInDraw } from './signins.js';

export type UserType = 'Member' | 'Guest' | null;

/** A Graph `user` with every field seed 002 lists, plus what HR roster and SSO need. */
export interface GraphUser {
  id: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  userPrincipalName: string;
  mail: string | null;
  otherMails: string[];
  proxyAddresses: string[];
  companyName: string | null;
  department: string | null;
  jobTitle: string | null;
  officeLocation: string | null;
  streetAddress: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
  preferredLanguage: string | null;
  usageLocation: string | null;
  userType: UserType;
  accountEnabled: boolean;
  createdDateTime: string;
  assignedLicenses: { skuId: string; disabledPlans: string[] }[];
  onPremisesExtensionAttributes: Record<`extensionAttribute${number}`, string | null>;
}

export interface TenantInfo {
  id: string;
  displayName: string;
  /** The `*.onmicrosoft.com` domain first, then custom verified domains. */
  verifiedDomains: { name: string; isDefault: boolean; isInitial: boolean }[];
  kind: 'home' | 'customer';
  /** Entra ID P1/P2: without it, auditLogs/signIns answers 403 (premium licence required). */
  hasEntraP1: boolean;
  countryLetterCode: string;
}

export interface GraphGroup {
  id: string;
  displayName: string;
  mail: string | null;
  securityEnabled: boolean;
  description?: string | null;
  mailNickname?: string;
  mailEnabled?: boolean;
  /** ['Unified'] for Microsoft 365 groups, [] for security groups. */
  groupTypes?: string[];
  createdDateTime?: string;
}

export interface DirectoryObjectRef {
  '@odata.type': '#microsoft.graph.user' | '#microsoft.graph.group';
  id: string;
}

export interface SubscribedSku {
  id: string; // `${tenantId}_${skuId}` as Graph does
  skuId: string;
  skuPartNumber: string;
  capabilityStatus: 'Enabled' | 'Warning' | 'Suspended' | 'Deleted' | 'LockedOut';
  appliesTo: 'User' | 'Company';
  consumedUnits: number;
  prepaidUnits: { enabled: number; suspended: number; warning: number; lockedOut: number };
  servicePlans: { servicePlanId: string; servicePlanName: string; provisioningStatus: string; appliesTo: string }[];
}

export interface ServicePrincipal {
  id: string;
  appId: string;
  appDisplayName: string;
  displayName: string;
  appOwnerOrganizationId: string | null;
  publisherName: string | null;
  verifiedPublisher: { displayName: string | null; verifiedPublisherId: string | null; addedDateTime: string | null };
  appRoleAssignmentRequired: boolean;
  /** 'saml' | 'oidc' | 'password' | 'notSupported' | null, as Graph's preferredSingleSignOnMode. */
  preferredSingleSignOnMode: string | null;
  servicePrincipalType: 'Application';
  tags: string[];
  createdDateTime: string;
  accountEnabled?: boolean;
  appRoles?: AppRole[];
}

export interface AppRole {
  id: string;
  allowedMemberTypes: string[];
  description: string;
  displayName: string;
  isEnabled: boolean;
  origin: 'Application';
  value: string;
}

export interface AppRoleAssignment {
  id: string;
  appRoleId: string;
  createdDateTime: string;
  principalDisplayName: string;
  principalId: string;
  principalType: 'User' | 'Group' | 'ServicePrincipal';
  resourceDisplayName: string;
  resourceId: string;
}

/** A Graph signIn (auditLogs/signIns), newest first when listed. */
export interface SignIn {
  id: string;
  createdDateTime: string;
  userId: string;
  userPrincipalName: string;
  userDisplayName: string;
  appId: string;
  appDisplayName: string;
  ipAddress: string;
  clientAppUsed: string;
  location: { city: string; state: string; countryOrRegion: string };
  status: { errorCode: number; failureReason: string | null; additionalDetails?: string | null };
  correlationId?: string;
  isInteractive?: boolean;
  resourceDisplayName?: string;
  resourceId?: string;
  conditionalAccessStatus?: 'success' | 'failure' | 'notApplied';
  deviceDetail?: { deviceId: string; displayName: string; operatingSystem: string; browser: string; isCompliant: boolean; isManaged: boolean; trustType: string };
  riskDetail?: string;
  riskLevelAggregated?: string;
  riskLevelDuringSignIn?: string;
  riskState?: string;
  riskEventTypes_v2?: string[];
  appliedConditionalAccessPolicies?: unknown[];
}

/** A Graph application (app registration) with its secrets' expiry. */
export interface GraphApplication {
  id: string;
  appId: string;
  displayName: string;
  signInAudience: string;
  passwordCredentials: { keyId: string; displayName: string; startDateTime: string; endDateTime: string; hint: string }[];
}

export interface AzureSubscription {
  tenantId: string;
  subscriptionId: string;
  displayName: string;
  state: 'Enabled' | 'Disabled' | 'Warned' | 'PastDue' | 'Deleted';
  /** Users (object ids, in tenantId) who hold Owner at subscription scope when the world starts. */
  ownerIds: string[];
  /** Users who hold User Access Administrator (may write role assignments without being Owner). */
  userAccessAdminIds: string[];
  resourceGroups: string[];
  resourceCount: number;
}

export interface AzureResource {
  id: string; // /subscriptions/{sub}/resourceGroups/{rg}/providers/{type}/{name}
  name: string;
  type: string;
  location: string;
  resourceGroup: string;
  tags: Record<string, string>;
}

export interface PartnerCustomer {
  id: string; // the customer's tenant id
  companyProfile: { tenantId: string; domain: string; companyName: string };
  relationshipToPartner: 'reseller';
}

/** The multi-tenant app registration that the demo bot uses (registered in the home tenant). */
export interface DemoApp {
  appId: string;
  clientSecret: string;
  displayName: string;
  /** Object id of the application (app registration) in the home tenant. */
  objectId: string;
  /** When the seeded secret expires, before any control action changes it (state.clientSecrets holds the live value). */
  secretEndDateTime: string;
  /** The object id of its service principal in each tenant, deterministic from (tenant, appId). */
  servicePrincipalIdIn(tenantId: string): string;
}

export interface WorldSizes {
  customerTenants: number;
  usersPerTenant: number;
  groupsPerTenant: number;
  servicePrincipalsPerTenant: number;
  signInsPerTenant: number;
  subscriptionsPerTenant: number;
  resourcesPerSubscription: number;
  /** Overrides for customer tenants (bench keeps its customers demo-sized). */
  customer?: Partial<Omit<WorldSizes, 'customerTenants' | 'customer'>>;
}

export interface World {
  readonly seed: string;
  readonly sizes: WorldSizes;
  readonly home: TenantInfo;
  readonly demoApp: DemoApp;
  readonly partner: { partnerId: string; tenantId: string; mpnId: string };

  tenants(): TenantInfo[];
  tenant(id: string): TenantInfo | undefined;

  userCount(tenantId: string): number;
  /** Users in a stable order, including overlay additions; lazily generated. */
  users(tenantId: string): Iterable<GraphUser>;
  user(tenantId: string, idOrUpn: string): GraphUser | undefined;
  /** The seeded admins of a tenant (Global Administrators, subscription owners), for sign-in pages and demos. */
  admins(tenantId: string): GraphUser[];

  groups(tenantId: string): GraphGroup[];
  /** Direct members: users and nested groups. */
  groupMembers(tenantId: string, groupId: string): DirectoryObjectRef[];

  subscribedSkus(tenantId: string): SubscribedSku[];
  servicePrincipals(tenantId: string): ServicePrincipal[];
  appRoleAssignedTo(tenantId: string, servicePrincipalId: string): AppRoleAssignment[];
  applications(tenantId: string): GraphApplication[];

  signInCount(tenantId: string): number;
  /** Sign-ins newest first. */
  signIns(tenantId: string): Iterable<SignIn>;

  azureSubscriptions(tenantId: string): AzureSubscription[];
  azureSubscription(subscriptionId: string): AzureSubscription | undefined;
  /** Resources of a subscription in a stable order; lazily generated. */
  resources(subscriptionId: string): Iterable<AzureResource>;
  resourceAt(subscriptionId: string, index: number): AzureResource | undefined;

  partnerCustomers(): PartnerCustomer[];

  // ---- Additions (world+graph helper): index-based access for paging without scans. ----

  /** The time (ms) the generated sign-ins end at; sign-ins span the 30 days before it. */
  readonly anchorTime: number;
  /** Number of user slots (base + added); a slot of a removed user stays, so offsets remain stable for paging. */
  userSlots(tenantId: string): number;
  /** The user in a slot: undefined past the end, null when removed. */
  userAt(tenantId: string, index: number): GraphUser | null | undefined;
  /** Named admins with their directory roles and whether they own any subscription. */
  adminRoles(tenantId: string): { userId: string; userPrincipalName: string; roles: string[]; ownsSubscriptions: boolean }[];
  /** Graph's `organization` resource for a tenant (assignedPlans include AAD_PREMIUM when hasEntraP1). */
  organization(tenantId: string): Organization | undefined;
  group(tenantId: string, groupId: string): GraphGroup | undefined;
  /** Users and nested groups reachable from a group, each once; undefined if the group does not exist. */
  transitiveGroupMembers(tenantId: string, groupId: string): DirectoryObjectRef[] | undefined;
  servicePrincipal(tenantId: string, idOrAppId: string): ServicePrincipal | undefined;
  /** Sign-in at a position (0 = newest). */
  signInAt(tenantId: string, index: number): SignIn | undefined;
  /**
   * The same sign-in for a serialiser: an added one as its SignIn; a generated one as its draws, filled into `into`
   * (signInFromDraw gives its SignIn), so a page of a thousand builds no objects.
   */
  signInEntryAt(tenantId: string, index: number, into: SignInDraw): SignIn | SignInDraw | undefined;
  /** Position of the first (newest) sign-in older than `ms` (or at/older when orEqual); signInCount when none. */
  signInIndexOlderThan(tenantId: string, ms: number, orEqual: boolean): number;

  /** Overlay version: increases with every mutation; delta tokens carry it. */
  readonly version: number;
  /** User ids changed (added, updated or deleted) after `sinceVersion`. */
  userChangesSince(tenantId: string, sinceVersion: number): { id: string; removed: boolean }[];

  addUsers(tenantId: string, count: number, opts?: { licensed?: boolean }): GraphUser[];
  updateUser(tenantId: string, id: string, patch: Partial<GraphUser>): GraphUser;
  removeUser(tenantId: string, id: string): void;
  addSignIns(tenantId: string, signIns: Partial<SignIn>[]): SignIn[];
}

/** Graph `organization` (v1.0) with the fields the bot and the seeds use. */
export interface Organization {
  id: string;
  displayName: string;
  tenantType: 'AAD';
  countryLetterCode: string;
  createdDateTime: string;
  city: string | null;
  country: string | null;
  postalCode: string | null;
  state: string | null;
  street: string | null;
  preferredLanguage: string;
  businessPhones: string[];
  technicalNotificationMails: string[];
  onPremisesSyncEnabled: boolean | null;
  verifiedDomains: { capabilities: string; isDefault: boolean; isInitial: boolean; name: string; type: 'Managed' }[];
  assignedPlans: { assignedDateTime: string; capabilityStatus: string; service: string; servicePlanId: string }[];
  provisionedPlans: { capabilityStatus: string; provisioningStatus: string; service: string }[];
}
