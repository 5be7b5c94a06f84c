import type { GraphUser } from '../world/types.js';

/** What Graph v1.0 returns for a user when no $select is given. */
export const DEFAULT_USER_PROPS = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];

/** Real user properties we can $select; those the world has no data for come back null (or empty). */
const EXTRA_PROPS: Record<string, unknown> = {
  businessPhones: [],
  mobilePhone: null,
  faxNumber: null,
  employeeId: null,
  employeeType: null,
  employeeHireDate: null,
  ageGroup: null,
  consentProvidedForMinor: null,
  legalAgeGroupClassification: null,
  creationType: null,
  imAddresses: [],
  onPremisesSyncEnabled: null,
  onPremisesImmutableId: null,
  onPremisesSamAccountName: null,
  onPremisesUserPrincipalName: null,
  onPremisesDistinguishedName: null,
  onPremisesDomainName: null,
  onPremisesLastSyncDateTime: null,
  onPremisesSecurityIdentifier: null,
  passwordPolicies: null,
  showInAddressList: null,
  isResourceAccount: null,
  deletedDateTime: null,
  assignedPlans: [],
  provisionedPlans: [],
  identities: [],
};

export const USER_PROPS: readonly string[] = [
  'id', 'displayName', 'givenName', 'surname', 'userPrincipalName', 'mail', 'otherMails', 'proxyAddresses', 'companyName', 'department', 'jobTitle',
  'officeLocation', 'streetAddress', 'city', 'state', 'postalCode', 'country', 'preferredLanguage', 'usageLocation', 'userType', 'accountEnabled',
  'createdDateTime', 'assignedLicenses', 'onPremisesExtensionAttributes', 'mailNickname', 'externalUserState', 'externalUserStateChangeDateTime',
  ...Object.keys(EXTRA_PROPS),
];

const EXTRA = EXTRA_PROPS as Record<string, unknown>;

/**
 * One property of a world user as Graph shows it. Built per property on purpose: assembling the full ~50-property
 * object per user costs ~50x more, which matters when a 100k-user tenant is paged or filtered.
 */
export function userProp(u: GraphUser, name: string): unknown {
  const guest = u.userType === 'Guest';
  switch (name) {
    case 'mailNickname':
      return u.userPrincipalName.split(/[@#]/)[0];
    case 'externalUserState':
      return guest ? 'Accepted' : null;
    case 'externalUserStateChangeDateTime':
      return guest ? u.createdDateTime : null;
    case 'creationType':
      return guest ? 'Invitation' : null;
  }
  const v = (u as unknown as Record<string, unknown>)[name];
  if (v !== undefined) return v;
  const extra = EXTRA[name];
  return Array.isArray(extra) ? [] : (extra ?? null);
}

/** The user with just `fields` (plus id), in Graph's shape. */
export function userView(u: GraphUser, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: u.id };
  for (const f of fields) out[f] = userProp(u, f);
  return out;
}

/** `@odata.type`-tagged user as directory-object collections (group members) return it. */
export function userAsDirectoryObject(u: GraphUser, select: string[] | undefined): Record<string, unknown> {
  return { '@odata.type': '#microsoft.graph.user', ...userView(u, (select ?? DEFAULT_USER_PROPS).filter((f) => USER_PROPS.includes(f))) };
}
