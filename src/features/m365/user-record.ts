import { scopedId, type DirectoryUser } from '../../store/types.js';

/**
 * Every Azure AD user field seed 002 says must be imported (they are "not customizable": all of them, always),
 * plus `id` and `accountEnabled`, which the licence report needs to tell a disabled licensed account.
 */
export const USER_FIELDS = [
  'id',
  'displayName',
  'companyName',
  'department',
  'mail',
  'givenName',
  'surname',
  'jobTitle',
  'state',
  'postalCode',
  'streetAddress',
  'city',
  'preferredLanguage',
  'usageLocation',
  'assignedLicenses',
  'userPrincipalName',
  'officeLocation',
  'onPremisesExtensionAttributes',
  'country',
  'userType',
  'accountEnabled',
] as const;

/** A user as `users/delta` returns it with {@link USER_FIELDS} selected; `@removed` marks a deleted one. */
export interface GraphDeltaUser {
  id: string;
  '@removed'?: { reason?: string };
  displayName?: string | null;
  companyName?: string | null;
  department?: string | null;
  mail?: string | null;
  givenName?: string | null;
  surname?: string | null;
  jobTitle?: string | null;
  state?: string | null;
  postalCode?: string | null;
  streetAddress?: string | null;
  city?: string | null;
  preferredLanguage?: string | null;
  usageLocation?: string | null;
  assignedLicenses?: { skuId: string; disabledPlans?: string[] }[];
  userPrincipalName?: string | null;
  officeLocation?: string | null;
  onPremisesExtensionAttributes?: Record<string, string | null> | null;
  country?: string | null;
  userType?: string | null;
  accountEnabled?: boolean | null;
}

/** Profile fields stored as Graph gives them (null where Graph has no value). */
const NULLABLE_FIELDS = [
  'givenName', 'surname', 'companyName', 'officeLocation', 'streetAddress', 'city', 'state', 'postalCode', 'country', 'preferredLanguage', 'usageLocation',
] as const;
/** Fields the record keeps as optional (absent rather than null). */
const OPTIONAL_FIELDS = ['displayName', 'mail', 'jobTitle', 'department', 'userType', 'accountEnabled'] as const;

/**
 * The stored record for a user of a delta page. Graph may send only the properties that changed in a change round,
 * so a property missing from the response keeps its `previous` value. A removed user keeps its record, marked
 * deleted, with no licences.
 */
export function toDirectoryUser(workspaceId: string, tenantId: string, user: GraphDeltaUser, seenAt: string, previous?: DirectoryUser): DirectoryUser {
  const id = scopedId(tenantId, user.id);
  const base: DirectoryUser = previous ?? { id, workspaceId, tenantId, userId: user.id, userPrincipalName: '' };
  if (user['@removed']) return { ...base, id, workspaceId, tenantId, userId: user.id, deleted: true, assignedSkuIds: [], assignedLicenses: [], lastSeenAt: seenAt };
  const record: DirectoryUser = { ...base, id, workspaceId, tenantId, userId: user.id, deleted: false, lastSeenAt: seenAt };
  if (typeof user.userPrincipalName === 'string') record.userPrincipalName = user.userPrincipalName;
  for (const field of NULLABLE_FIELDS) {
    if (field in user) record[field] = user[field] ?? null;
    else if (!previous) record[field] = null;
  }
  for (const field of OPTIONAL_FIELDS) {
    if (!(field in user)) continue;
    const value = user[field];
    // `delete` only where the field is there: it turns the object into a slow dictionary, per user of a 100k import.
    if (value !== null && value !== undefined) (record as unknown as Record<string, unknown>)[field] = value;
    else if (field in record) delete record[field];
  }
  if ('onPremisesExtensionAttributes' in user || !previous) record.onPremisesExtensionAttributes = user.onPremisesExtensionAttributes ?? {};
  if ('assignedLicenses' in user || !previous) {
    const licences = (user.assignedLicenses ?? []).map((l) => ({ skuId: l.skuId, disabledPlans: l.disabledPlans ?? [] }));
    record.assignedLicenses = licences;
    record.assignedSkuIds = licences.map((l) => l.skuId);
  }
  return record;
}
