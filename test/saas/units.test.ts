import { concealedInReport, csvCells } from '../../src/features/saas/anonymization.js';
import { doctorCard } from '../../src/features/saas/cards-setup.js';
import { createCardRenderer } from '../../src/teams/cards.js';
import { endOfSecret } from '../../src/features/saas/doctor.js';
import { expandGroup, type GroupMember } from '../../src/features/saas/import/group-expansion.js';
import { emailAliases } from '../../src/features/saas/import/hr-roster.js';
import { rangeUrl, signInsUrl } from '../../src/features/saas/import/sso-access.js';
import { adminConsentLink, checkTaskPermissions } from '../../src/features/saas/permissions.js';
import { RosterTally, rosterVerdict } from '../../src/features/saas/roster-filter.js';
import { describeCheck, secretStatus } from '../../src/features/saas/status.js';
import { parseConnectInput, parseDomains } from '../../src/features/saas/validate.js';

const member = { userPrincipalName: 'ann@contoso.com', mail: 'ann@contoso.com', userType: 'Member' };
const nullType = { userPrincipalName: 'bob@contoso.com', mail: 'bob@contoso.com', userType: null };
const guest = { userPrincipalName: 'cy_fabrikam.com#EXT#@contoso.onmicrosoft.com', mail: 'cy@fabrikam.com', userType: 'Guest' };

describe('HR roster filters (seed 003)', () => {
  test('example 1: include guests "yes" retrieves Guest, Member and null user types', () => {
    const filter = { domains: [], includeGuests: true };
    expect([member, nullType, guest].map((u) => rosterVerdict(u, filter).keep)).toEqual([true, true, true]);
  });

  test('example 2: include guests left empty retrieves only Member and null user types', () => {
    const filter = { domains: [], includeGuests: false };
    expect([member, nullType, guest].map((u) => rosterVerdict(u, filter))).toEqual([
      { keep: true, emailOutsideDomains: false },
      { keep: true, emailOutsideDomains: false },
      { keep: false, reason: 'guest' },
    ]);
  });

  test('domain names match the UPN case-insensitively; when UPN and mail differ the email is outside the domain and flagged', () => {
    const filter = { domains: ['contoso.com'], includeGuests: true };
    expect(rosterVerdict({ userPrincipalName: 'Dee@CONTOSO.com', mail: 'dee@contoso.com', userType: 'Member' }, filter)).toEqual({ keep: true, emailOutsideDomains: false });
    expect(rosterVerdict({ userPrincipalName: 'eve@contoso.com', mail: 'eve@northwind.com', userType: 'Member' }, filter)).toEqual({ keep: true, emailOutsideDomains: true });
    expect(rosterVerdict({ userPrincipalName: 'fay@northwind.com', mail: 'fay@contoso.com', userType: 'Member' }, filter)).toEqual({ keep: false, reason: 'domain' });
    // A guest's UPN is in the tenant's onmicrosoft.com domain, so a contoso.com filter leaves it out.
    expect(rosterVerdict(guest, filter)).toEqual({ keep: false, reason: 'domain' });
  });

  test('the tally says which rule applied', () => {
    const tally = new RosterTally({ domains: ['contoso.com'], includeGuests: false });
    for (const u of [member, guest, { userPrincipalName: 'eve@contoso.com', mail: 'eve@northwind.com', userType: 'Member' }, { userPrincipalName: 'x@other.com', userType: 'Member' }]) tally.count(rosterVerdict(u, { domains: ['contoso.com'], includeGuests: false }));
    expect(tally.describe()).toBe(
      'Domain filter contoso.com, matched on the user principal name; Member and null user types only (include guests: not set). 2 of 4 users kept (left out: 1 guest(s), 1 outside the domains). 1 kept user(s) have an email (mail) in another domain, because their UPN and mail differ.',
    );
    const all = new RosterTally({ domains: [], includeGuests: true });
    expect(all.describe()).toMatch(/^No domain filter: every user domain; Guest, Member and null user types \(include guests: yes\)/);
  });
});

describe('connect saas input', () => {
  const good = { clientId: 'A1B2C3D4-0000-4000-8000-000000000001', clientSecret: ' abc8Q~secret ', tenantId: '11111111-2222-3333-4444-555555555555', domains: 'Contoso.com, @fabrikam.COM,contoso.com', includeGuests: 'yes', task_hrRoster: 'true', task_ssoAccess: 'true', task_ssoRoster: 'false' };

  test('accepts GUIDs, comma-separated domains (deduplicated, lower-cased) and the selected tasks', () => {
    expect(parseConnectInput(good)).toEqual({
      ok: true,
      value: { clientId: 'a1b2c3d4-0000-4000-8000-000000000001', clientSecret: 'abc8Q~secret', tenantId: '11111111-2222-3333-4444-555555555555', domains: ['contoso.com', 'fabrikam.com'], includeGuests: true, tasks: ['hrRoster', 'ssoAccess'] },
    });
  });

  test('lists every problem at once: bad GUIDs, a secret ID pasted as the secret, a bad domain, no task', () => {
    const r = parseConnectInput({ clientId: 'nope', tenantId: 'contoso.com', clientSecret: '11111111-2222-3333-4444-555555555555', domains: 'contoso, -bad-.com', includeGuests: 'maybe' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(7);
    expect(r.errors.join('\n')).toMatch(/Client ID must be.*\n.*Tenant ID must be.*\n.*looks like the secret's ID.*\n"contoso" is not a domain.*\n"-bad-.com" is not a domain.*\nInclude guests.*\nChoose at least one/);
  });

  test('an empty domain field means every domain', () => {
    expect(parseDomains(' ')).toEqual({ ok: true, value: [] });
    expect(parseDomains('a.b.example.co.uk')).toEqual({ ok: true, value: ['a.b.example.co.uk'] });
  });
});

describe('permissions doctor arithmetic', () => {
  test('exact permissions per task, alternatives Graph accepts, and the sign-ins pair', () => {
    expect(checkTaskPermissions('hrRoster', ['User.Read.All']).missing).toEqual([]);
    expect(checkTaskPermissions('hrRoster', ['Directory.Read.All'])).toEqual({ task: 'hrRoster', missing: [], coveredBy: { 'User.Read.All': 'Directory.Read.All' } });
    expect(checkTaskPermissions('appDiscovery', ['Application.Read.All']).missing).toEqual(['Organization.Read.All']);
    expect(checkTaskPermissions('ssoRoster', []).missing).toEqual(['Application.Read.All', 'GroupMember.Read.All']);
    expect(checkTaskPermissions('ssoAccess', ['Directory.Read.All']).missing).toEqual(['AuditLog.Read.All']);
    expect(checkTaskPermissions('ssoAccess', ['AuditLog.Read.All']).missing).toEqual(['Directory.Read.All']);
    expect(describeCheck({ task: 'ssoAccess', state: 'missingPermission', missing: ['Directory.Read.All'] })).toMatch(/^missing `Directory.Read.All` \(SSO Application Access needs BOTH AuditLog.Read.All and Directory.Read.All/);
  });

  test('admin-consent link (v1 form) on the configured authority', () => {
    expect(adminConsentLink('https://login.microsoftonline.us/', 'tid', 'cid')).toBe('https://login.microsoftonline.us/tid/adminconsent?client_id=cid');
  });

  test('the secret in use is found by its hint; its end date sets expiring/expired', () => {
    const creds = [{ hint: 'abc', endDateTime: '2027-01-01T00:00:00Z' }, { hint: 'xyz', endDateTime: '2026-01-01T00:00:00Z' }, { hint: 'abc', endDateTime: '2026-12-01T00:00:00Z' }];
    expect(endOfSecret(creds, 'abc8Q~rest')).toBe('2026-12-01T00:00:00Z');
    expect(endOfSecret(creds, 'qqq8Q~rest')).toBeUndefined();
    const now = new Date('2026-11-20T00:00:00Z');
    const prev = { state: 'ok' as const, sealed: 'v1.x', updatedAt: 'then' };
    expect(secretStatus(prev, { result: {} as never, secretEndsAt: '2026-12-01T00:00:00Z' }, now)).toMatchObject({ state: 'expiring', expiresAt: '2026-12-01T00:00:00Z', sealed: 'v1.x' });
    expect(secretStatus(prev, { result: {} as never, secretEndsAt: '2027-12-01T00:00:00Z' }, now).state).toBe('ok');
    expect(secretStatus(prev, { result: {} as never, tokenProblem: { kind: 'badSecret', aadsts: 7000215, message: 'Invalid client secret', fix: '' } }, now)).toMatchObject({ state: 'revoked', detail: 'Invalid client secret', sealed: 'v1.x' });
  });
});

describe('SSO roster group expansion', () => {
  const user = (id: string): GroupMember => ({ '@odata.type': '#microsoft.graph.user', id });
  const group = (id: string): GroupMember => ({ '@odata.type': '#microsoft.graph.group', id });
  const directory: Record<string, GroupMember[]> = {
    top: [user('u1'), group('mid'), user('u2')],
    mid: [user('u2'), user('u3'), group('deep'), group('top')],
    deep: [user('u4')],
  };

  test('expands nested groups once: members of a nested group count, groups nested deeper are reported, not opened', async () => {
    const asked: string[] = [];
    const result = await expandGroup('top', async (id) => (asked.push(id), directory[id] ?? []));
    expect(result.users.map((u) => u.id).sort()).toEqual(['u1', 'u2', 'u3']);
    expect(result.notExpanded).toEqual(['deep']);
    expect(asked).toEqual(['top', 'mid']);
  });
});

describe('small readers', () => {
  test('email aliases: SMTP proxies and other mails, without the primary', () => {
    expect(emailAliases({ id: '1', userPrincipalName: 'a@c.com', mail: 'A@c.com', proxyAddresses: ['SMTP:a@c.com', 'smtp:a@old.com', 'x500:/o=x'], otherMails: ['a@OLD.com', 'a@home.net'] })).toEqual(['a@old.com', 'a@home.net']);
  });

  test('concealed names are read from hashed user principal names in the usage report', () => {
    const head = 'Report Refresh Date,User Principal Name,Display Name';
    expect(concealedInReport(`\ufeff${head}\r\n2026-01-01,0123456789ABCDEF0123456789ABCDEF,FEDCBA9876543210FEDCBA9876543210\r\n`).state).toBe('on');
    expect(concealedInReport(`${head}\r\n2026-01-01,ann@contoso.com,"Vance, Adele"\r\n`).state).toBe('off');
    expect(concealedInReport(`${head}\r\n`).state).toBe('unknown');
    expect(csvCells('a,"b, ""c""",d')).toEqual(['a', 'b, "c"', 'd']);
  });

  test('the sign-ins query: successful only, from the watermark minus the look-back, in Graph\'s largest page (1000)', () => {
    expect(decodeURIComponent(signInsUrl(undefined).url)).toBe('/auditLogs/signIns?$filter=status/errorCode eq 0&$top=1000');
    expect(decodeURIComponent(signInsUrl('2026-05-01T10:00:00Z').url)).toBe('/auditLogs/signIns?$filter=createdDateTime ge 2026-05-01T09:45:00Z and status/errorCode eq 0&$top=1000');
    expect(decodeURIComponent(rangeUrl({ since: '2026-05-01T09:45:00Z', until: '2026-05-02T00:00:00Z' }))).toBe('/auditLogs/signIns?$filter=createdDateTime ge 2026-05-01T09:45:00Z and createdDateTime le 2026-05-02T00:00:00Z and status/errorCode eq 0&$top=1000');
  });
});

describe('doctor card', () => {
  test('a missing permission comes with its admin-consent link; concealed names on shows the steps to turn them off', () => {
    const tenant = {
      id: 'tid-1', workspaceId: 'ws', displayName: 'Contoso', consentedBy: { aadObjectId: 'u' }, consentedAt: '2026-01-01T00:00:00Z',
      credentials: { saasClientSecret: { state: 'ok' as const, sealed: 'v1.a.b.c', updatedAt: '2026-01-01T00:00:00Z', expiresAt: '2026-03-01T00:00:00Z' } },
      saas: { clientId: 'cid-1', domains: [], includeGuests: false, tasks: ['hrRoster', 'ssoAccess'] as ('hrRoster' | 'ssoAccess')[], connectedBy: { aadObjectId: 'u' }, connectedAt: '2026-01-01T00:00:00Z' },
    };
    const doctor = {
      checkedAt: '2026-01-02T10:00:00Z', roles: ['User.Read.All', 'Directory.Read.All'], concealedNames: 'on' as const, concealedDetail: 'x',
      tasks: [
        { task: 'hrRoster' as const, state: 'ok' as const },
        { task: 'appDiscovery' as const, state: 'missingPermission' as const, missing: ['Application.Read.All', 'Organization.Read.All'] },
        { task: 'ssoRoster' as const, state: 'missingPermission' as const, missing: ['Application.Read.All', 'GroupMember.Read.All'] },
        { task: 'ssoAccess' as const, state: 'missingPermission' as const, missing: ['AuditLog.Read.All'] },
      ],
    };
    const card = doctorCard(createCardRenderer(), tenant, doctor, { authorityHost: 'https://login.example', now: new Date('2026-01-02T10:00:00Z') }).content;
    const text = JSON.stringify(card);
    expect(text).toContain('**HR Roster** (selected): OK');
    expect(text).toContain('**SSO Application Access** (selected): missing `AuditLog.Read.All`');
    expect(text).toContain('**Application Discovery** (not selected): missing `Application.Read.All` and `Organization.Read.All`');
    expect(text).toContain('Add AuditLog.Read.All under API permissions (Microsoft Graph, Application permissions), then [grant admin consent](https://login.example/tid-1/adminconsent?client_id=cid-1)');
    expect(text).toContain('BOTH AuditLog.Read.All and Directory.Read.All');
    expect(text).toContain('clear the \\"Display concealed user, group, and site names in all reports\\" box');
    expect(text).toContain('Ends 2026-03-01 00:00 UTC (in 58 days)');
    expect(text).not.toContain('v1.a.b.c');
  });
});
