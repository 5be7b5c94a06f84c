import { guidFor, hashString, mix, Rng } from './prng.js';
import type { TenantCtx } from './tenants.js';
import type { UserSlots } from './groups.js';
import type { AppRoleAssignment, DemoApp, GraphApplication, GraphGroup, ServicePrincipal } from './types.js';

/** Microsoft's own tenant, which owns first-party apps such as Microsoft Graph. */
export const MICROSOFT_TENANT_ID = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

interface SaasTemplate {
  name: string;
  publisher: string;
  sso: 'saml' | 'oidc' | 'password' | 'notSupported';
  required: boolean;
}

const SAAS: SaasTemplate[] = [
  { name: 'Salesforce', publisher: 'Salesforce', sso: 'saml', required: true },
  { name: 'Slack', publisher: 'Slack Technologies', sso: 'saml', required: true },
  { name: 'Zoom', publisher: 'Zoom Video Communications', sso: 'oidc', required: false },
  { name: 'Dropbox Business', publisher: 'Dropbox', sso: 'password', required: true },
  { name: 'ServiceNow', publisher: 'ServiceNow', sso: 'saml', required: true },
  { name: 'Atlassian Cloud', publisher: 'Atlassian', sso: 'saml', required: false },
  { name: 'DocuSign', publisher: 'DocuSign', sso: 'oidc', required: true },
  { name: 'Adobe Creative Cloud', publisher: 'Adobe', sso: 'saml', required: true },
];

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~-';

/** A client secret shaped like Entra's: 3 chars, "8Q~", 34 chars. */
function secretFor(rng: Rng): string {
  const part = (n: number) => Array.from({ length: n }, () => SECRET_CHARS[rng.int(SECRET_CHARS.length)]).join('');
  return `${part(3).replace(/[~.\-_]/g, 'x')}8Q~${part(34)}`;
}

export function makeDemoApp(seedKey: number, anchorMs: number): DemoApp & { objectId: string; secretEndDateTime: string } {
  return {
    appId: guidFor(seedKey, 'demoApp'),
    objectId: guidFor(seedKey, 'demoAppObject'),
    clientSecret: secretFor(new Rng(mix(seedKey, 0x5ec))),
    displayName: 'Tenant Steward',
    secretEndDateTime: iso(anchorMs + 365 * 86_400_000),
    servicePrincipalIdIn: (tenantId: string) => guidFor(mix(seedKey, hashString(tenantId.toLowerCase())), 'demoAppSp'),
  };
}

export function buildServicePrincipals(t: TenantCtx, seedKey: number, home: TenantCtx, demo: DemoApp): ServicePrincipal[] {
  const created = (i: number) => iso(Date.parse(t.createdDateTime) + (i + 3) * 86_400_000 * 23);
  const sps: ServicePrincipal[] = [
    {
      id: demo.servicePrincipalIdIn(t.info.id), appId: demo.appId, appDisplayName: demo.displayName, displayName: demo.displayName,
      appOwnerOrganizationId: home.info.id, publisherName: home.orgName,
      verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
      appRoleAssignmentRequired: false, preferredSingleSignOnMode: null, servicePrincipalType: 'Application',
      tags: ['WindowsAzureActiveDirectoryIntegratedApp'], createdDateTime: created(0), accountEnabled: true, appRoles: [],
    },
    {
      id: guidFor(t.key, 'sp:graph'), appId: MICROSOFT_GRAPH_APP_ID, appDisplayName: 'Microsoft Graph', displayName: 'Microsoft Graph',
      appOwnerOrganizationId: MICROSOFT_TENANT_ID, publisherName: 'Microsoft Services',
      verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
      appRoleAssignmentRequired: false, preferredSingleSignOnMode: null, servicePrincipalType: 'Application',
      tags: [], createdDateTime: t.createdDateTime, accountEnabled: true, appRoles: [],
    },
  ];
  for (let i = 0; sps.length < t.sizes.servicePrincipalsPerTenant; i++) {
    const tpl = SAAS[i % SAAS.length];
    const name = i < SAAS.length ? tpl.name : `${tpl.name} ${Math.floor(i / SAAS.length) + 1}`;
    const rng = new Rng(mix(t.key, 0x5a, i));
    sps.push({
      id: guidFor(t.key, `sp:${name}`),
      appId: guidFor(seedKey, `app:${name}`),
      appDisplayName: name,
      displayName: name,
      appOwnerOrganizationId: guidFor(seedKey, `publisher:${tpl.publisher}`),
      publisherName: tpl.publisher,
      verifiedPublisher: rng.chance(0.6)
        ? { displayName: tpl.publisher, verifiedPublisherId: String(4_000_000 + rng.int(999_999)), addedDateTime: iso(Date.UTC(2021, rng.int(12), 1 + rng.int(28))) }
        : { displayName: null, verifiedPublisherId: null, addedDateTime: null },
      appRoleAssignmentRequired: tpl.required,
      preferredSingleSignOnMode: tpl.sso,
      servicePrincipalType: 'Application',
      tags: ['WindowsAzureActiveDirectoryGalleryApplicationNonPrimaryV1', 'WindowsAzureActiveDirectoryIntegratedApp'],
      createdDateTime: created(i + 1),
      accountEnabled: true,
      appRoles: [
        { id: guidFor(seedKey, `role:${name}:user`), allowedMemberTypes: ['User'], description: 'User', displayName: 'User', isEnabled: true, origin: 'Application', value: 'User' },
        { id: guidFor(seedKey, `role:${name}:admin`), allowedMemberTypes: ['User'], description: 'Administrator', displayName: 'Admin', isEnabled: true, origin: 'Application', value: 'Admin' },
      ],
    });
  }
  return sps;
}

/** An appRoleAssignment id looks like Graph's: 43 base64url characters. */
function assignmentId(key: number, spIndex: number, n: number): string {
  const rng = new Rng(mix(key, 0xa55, spIndex, n));
  const bytes = Buffer.alloc(32);
  for (let i = 0; i < 32; i += 4) bytes.writeUInt32LE(rng.u32(), i);
  return bytes.toString('base64url').slice(0, 43);
}

/**
 * Who is assigned to a gallery app: apps that require assignment get a group (and its members thereby) plus a
 * seeded sample of users; open apps get a few direct users. Capped so big tenants stay cheap.
 */
export function buildAssignments(t: TenantCtx, sps: ServicePrincipal[], spId: string, groups: GraphGroup[], users: UserSlots): AppRoleAssignment[] | undefined {
  const spIndex = sps.findIndex((s) => s.id === spId);
  if (spIndex < 0) return undefined;
  const sp = sps[spIndex];
  if (!sp.appRoles?.length) return [];
  const rng = new Rng(mix(t.key, 0xa5, spIndex));
  const out: AppRoleAssignment[] = [];
  const base = Date.parse(sp.createdDateTime);
  const add = (principalId: string, principalDisplayName: string, principalType: 'User' | 'Group', admin: boolean) =>
    out.push({
      id: assignmentId(t.key, spIndex, out.length),
      appRoleId: sp.appRoles![admin ? 1 : 0].id,
      createdDateTime: iso(base + (out.length + 1) * 3_600_000 * 7),
      principalDisplayName,
      principalId,
      principalType,
      resourceDisplayName: sp.displayName,
      resourceId: sp.id,
    });
  if (sp.appRoleAssignmentRequired && groups.length > 0) {
    const g = groups[spIndex % 2 === 0 && groups.length > 4 ? 4 : spIndex % groups.length];
    add(g.id, g.displayName, 'Group', false);
  }
  const slots = users.baseSlots();
  const want = Math.min(Math.max(3, Math.floor(slots / (sp.appRoleAssignmentRequired ? 6 : 12))), 200, slots);
  const chosen = new Set<number>();
  for (let tries = 0; chosen.size < want && tries < want * 4; tries++) {
    const index = tries === 0 ? 0 : rng.int(slots);
    const u = users.baseAt(index);
    if (!chosen.has(index) && (u.userType !== 'Guest' || rng.chance(0.3))) chosen.add(index);
  }
  for (const index of chosen) {
    const u = users.at(index);
    if (u) add(u.id, u.displayName, 'User', index === 0);
  }
  return out;
}

export function buildApplications(t: TenantCtx, home: TenantCtx, demo: DemoApp & { objectId: string; secretEndDateTime: string }, anchorMs: number): GraphApplication[] {
  const day = 86_400_000;
  const app = (name: string, secrets: { name: string; start: number; end: number }[], audience = 'AzureADMyOrg'): GraphApplication => {
    const rng = new Rng(mix(t.key, hashString(name)));
    return {
      id: guidFor(t.key, `application:${name}`),
      appId: guidFor(t.key, `appId:${name}`),
      displayName: name,
      signInAudience: audience,
      passwordCredentials: secrets.map((s) => ({ keyId: rng.guid(), displayName: s.name, startDateTime: iso(s.start), endDateTime: iso(s.end), hint: secretFor(rng).slice(0, 3) })),
    };
  };
  if (t !== home) return [app(`${t.orgName} Intranet`, [{ name: 'intranet', start: anchorMs - 200 * day, end: anchorMs + 165 * day }])];
  return [
    {
      id: demo.objectId,
      appId: demo.appId,
      displayName: demo.displayName,
      signInAudience: 'AzureADMultipleOrgs',
      passwordCredentials: [
        { keyId: guidFor(t.key, 'demoSecretKey'), displayName: 'bot secret', startDateTime: iso(anchorMs - 30 * day), endDateTime: demo.secretEndDateTime, hint: demo.clientSecret.slice(0, 3) },
      ],
    },
    app('HR Sync Connector', [{ name: 'sync', start: anchorMs - 718 * day, end: anchorMs + 12 * day }]),
    app('Legacy Reporting', [{ name: 'old', start: anchorMs - 800 * day, end: anchorMs - 70 * day }]),
  ];
}
