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

/** The full Graph representation of a world user (every selectable property). */
export function userResource(u: GraphUser): Record<string, unknown> {
  const guest = u.userType === 'Guest';
  return {
    ...EXTRA_PROPS,
    ...u,
    mailNickname: u.userPrincipalName.split(/[@#]/)[0],
    externalUserState: guest ? 'Accepted' : null,
    externalUserStateChangeDateTime: guest ? u.createdDateTime : null,
    creationType: guest ? 'Invitation' : null,
  };
}

/** `@odata.type`-tagged user as directory-object collections (group members) return it. */
export function userAsDirectoryObject(u: GraphUser, select: string[] | undefined): Record<string, unknown> {
  const full = userResource(u);
  const fields = select ?? DEFAULT_USER_PROPS;
  const out: Record<string, unknown> = { '@odata.type': '#microsoft.graph.user', id: u.id };
  for (const f of fields) if (f in full) out[f] = full[f] ?? null;
  return out;
}
