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
  if (!previous && !user['@removed']) return freshUser(workspaceId, tenantId, user, seenAt);
  const id = scopedId(tenantId, user.id);
  const base: DirectoryUser = previous ?? { id, workspaceId, tenantId, userId: user.id, userPrincipalName: '' };
  if (user['@removed']) return { ...base, id, workspaceId, tenantId, userId: user.id, deleted: true, assignedSkuIds: [], assignedLicenses: [], lastSeenAt: seenAt };
  const record: DirectoryUser = { ...base, id, workspaceId, tenantId, userId: user.id, deleted: false, lastSeenAt: seenAt };
  if (typeof user.userPrincipalName === 'string') record.userPrincipalName = user.userPrincipalName;
  for (const field of NULLABLE_FIELDS) if (field in user) record[field] = user[field] ?? null;
  for (const field of OPTIONAL_FIELDS) {
    if (!(field in user)) continue;
    const value = user[field];
    if (value !== null && value !== undefined) (record as unknown as Record<string, unknown>)[field] = value;
    else if (field in record) delete record[field];
  }
  if ('onPremisesExtensionAttributes' in user) record.onPremisesExtensionAttributes = user.onPremisesExtensionAttributes ?? {};
  if ('assignedLicenses' in user) Object.assign(record, licencesOf(user));
  return record;
}

/**
 * A user seen for the first time (every user of a full import): one object literal in a fixed field order, so V8
 * builds every record with the same hidden class instead of growing each one field by field (~14 µs a user before).
 * An optional field Graph has no value for is `undefined`, which the store drops as JSON does.
 */
function freshUser(workspaceId: string, tenantId: string, user: GraphDeltaUser, seenAt: string): DirectoryUser {
  const { assignedLicenses, assignedSkuIds } = licencesOf(user);
  return {
    id: scopedId(tenantId, user.id), workspaceId, tenantId, userId: user.id,
    userPrincipalName: typeof user.userPrincipalName === 'string' ? user.userPrincipalName : '',
    deleted: false, lastSeenAt: seenAt,
    givenName: user.givenName ?? null, surname: user.surname ?? null, companyName: user.companyName ?? null,
    officeLocation: user.officeLocation ?? null, streetAddress: user.streetAddress ?? null, city: user.city ?? null,
    state: user.state ?? null, postalCode: user.postalCode ?? null, country: user.country ?? null,
    preferredLanguage: user.preferredLanguage ?? null, usageLocation: user.usageLocation ?? null,
    displayName: user.displayName ?? undefined, mail: user.mail ?? undefined, jobTitle: user.jobTitle ?? undefined,
    department: user.department ?? undefined, userType: user.userType ?? undefined, accountEnabled: user.accountEnabled ?? undefined,
    onPremisesExtensionAttributes: user.onPremisesExtensionAttributes ?? {},
    assignedLicenses, assignedSkuIds,
  };
}

function licencesOf(user: GraphDeltaUser): Pick<DirectoryUser, 'assignedLicenses' | 'assignedSkuIds'> {
  const assigned = user.assignedLicenses ?? [];
  const assignedLicenses = new Array<{ skuId: string; disabledPlans: string[] }>(assigned.length);
  const assignedSkuIds = new Array<string>(assigned.length);
  for (let i = 0; i < assigned.length; i++) {
    const { skuId, disabledPlans } = assigned[i];
    assignedLicenses[i] = { skuId, disabledPlans: disabledPlans ?? [] };
    assignedSkuIds[i] = skuId;
  }
  return { assignedLicenses, assignedSkuIds };
}
