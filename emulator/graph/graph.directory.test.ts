import { startGraphTestService, type GraphTestService } from './testkit.js';

let g: GraphTestService;
let home: string;
let token: string;

beforeAll(async () => {
  g = await startGraphTestService({ seed: 'graph-directory' });
  home = g.world.home.id;
  token = await g.appToken(home);
});
afterAll(() => g.close());

describe('Graph tenant, licences and apps', () => {
  it('reports subscribedSkus whose consumedUnits match the users holding them', async () => {
    const r = await g.call(token, '/v1.0/subscribedSkus');
    expect(r.status).toBe(200);
    const users = [...g.world.users(home)];
    for (const sku of r.body.value) {
      expect(sku.consumedUnits).toBe(users.filter((u) => u.assignedLicenses.some((l) => l.skuId === sku.skuId)).length);
      expect(sku.id).toBe(`${home}_${sku.skuId}`);
      expect(sku.prepaidUnits).toEqual(expect.objectContaining({ enabled: expect.any(Number), suspended: expect.any(Number), warning: expect.any(Number) }));
    }
    expect(r.body.value.map((s: any) => s.skuPartNumber)).toEqual(expect.arrayContaining(['ENTERPRISEPACK', 'SPE_E5']));
  });

  it('returns the organization with verified domains and AAD_PREMIUM only where the tenant has P1', async () => {
    const noP1 = g.world.tenants().find((t) => !t.hasEntraP1)!;
    const withP1 = (await g.call(token, '/v1.0/organization')).body.value[0];
    const without = (await g.call(await g.appToken(noP1.id), '/v1.0/organization')).body.value[0];
    expect(withP1.id).toBe(home);
    expect(withP1.verifiedDomains.map((d: any) => d.name)).toEqual(g.world.home.verifiedDomains.map((d) => d.name));
    const AAD_PREMIUM = '41781fb2-bc02-4b7c-bd55-b576c07bb09d';
    expect(withP1.assignedPlans.some((p: any) => p.servicePlanId === AAD_PREMIUM && p.service === 'AADPremiumService')).toBe(true);
    expect(without.assignedPlans.some((p: any) => p.servicePlanId === AAD_PREMIUM)).toBe(false);
    const selected = (await g.call(token, '/v1.0/organization?$select=verifiedDomains')).body;
    expect(Object.keys(selected.value[0]).sort()).toEqual(['id', 'verifiedDomains']);
    expect(selected['@odata.context']).toMatch(/#organization\(verifiedDomains\)$/);
  });

  it('pages servicePrincipals and their appRoleAssignedTo (users and groups)', async () => {
    const first = await g.call(token, '/v1.0/servicePrincipals?$top=3&$select=id,displayName,appRoleAssignmentRequired,preferredSingleSignOnMode,publisherName');
    expect(first.body.value).toHaveLength(3);
    const second = await g.call(token, first.body['@odata.nextLink']);
    expect(second.body.value[0].id).not.toBe(first.body.value[0].id);
    const required = g.world.servicePrincipals(home).find((s) => s.appRoleAssignmentRequired)!;
    const r = await g.call(token, `/v1.0/servicePrincipals/${required.id}/appRoleAssignedTo?$top=2`);
    const items: any[] = [...r.body.value];
    for (let next = r.body['@odata.nextLink']; next; ) {
      const p = await g.call(token, next);
      items.push(...p.body.value);
      next = p.body['@odata.nextLink'];
    }
    expect(items.map((a) => a.id)).toEqual(g.world.appRoleAssignedTo(home, required.id).map((a) => a.id));
    expect(new Set(items.map((a) => a.principalType))).toEqual(new Set(['User', 'Group']));
    const filtered = await g.call(token, `/v1.0/servicePrincipals?$filter=appId eq '${required.appId}'`);
    expect(filtered.body.value.map((s: any) => s.id)).toEqual([required.id]);
    expect((await g.call(token, `/v1.0/servicePrincipals(appId='${required.appId}')`)).body.id).toBe(required.id);
    const denied = await g.call(await g.appToken(home, ['User.Read.All']), '/v1.0/servicePrincipals');
    expect(denied.status).toBe(403);
  });

  it('lists group members with @odata.type, and transitive members through nesting', async () => {
    const top = g.world.groups(home)[0];
    const direct = (await g.call(token, `/v1.0/groups/${top.id}/members?$top=999`)).body.value;
    const transitive = (await g.call(token, `/v1.0/groups/${top.id}/transitiveMembers?$top=999`)).body.value;
    expect(direct.some((m: any) => m['@odata.type'] === '#microsoft.graph.group')).toBe(true);
    expect(direct.some((m: any) => m['@odata.type'] === '#microsoft.graph.user' && m.userPrincipalName)).toBe(true);
    expect(transitive.length).toBe(g.world.transitiveGroupMembers(home, top.id)!.length);
    expect(transitive.length).toBeGreaterThan(direct.length);
    expect((await g.call(token, '/v1.0/groups/00000000-0000-4000-8000-000000000000/members')).status).toBe(404);
  });

  it('shows application secrets with the live endDateTime from the emulator state', async () => {
    const appId = g.world.demoApp.appId;
    const expired = '2020-01-01T00:00:00Z';
    g.state.clientSecrets.set(appId, [{ appId, tenantId: home, secret: g.world.demoApp.clientSecret, endDateTime: expired }]);
    const r = await g.call(token, `/v1.0/applications?$filter=appId eq '${appId}'&$select=appId,passwordCredentials`);
    expect(r.body.value).toHaveLength(1);
    expect(r.body.value[0].passwordCredentials).toEqual([expect.objectContaining({ endDateTime: expired, hint: g.world.demoApp.clientSecret.slice(0, 3), secretText: null })]);
    const all = await g.call(token, '/v1.0/applications');
    expect(all.body.value.length).toBe(g.world.applications(home).length);
  });
});

describe('Graph report settings and usage report', () => {
  it('reads and patches displayConcealedNames, recording the write', async () => {
    expect((await g.call(token, '/v1.0/admin/reportSettings')).body.displayConcealedNames).toBe(false);
    const patch = await g.call(token, '/v1.0/admin/reportSettings', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ displayConcealedNames: true }) });
    expect(patch.status).toBe(204);
    expect(g.state.concealedNames.has(home)).toBe(true);
    expect(g.state.writes.at(-1)).toEqual(expect.objectContaining({ service: 'graph', kind: 'reportSettings.patch', detail: { displayConcealedNames: true }, status: 204 }));
    const readOnly = await g.appToken(home, ['Reports.Read.All']);
    expect((await g.call(readOnly, '/v1.0/admin/reportSettings')).status).toBe(403);
    g.state.concealedNames.delete(home);
  });

  it('redirects the active-user report to a CSV download, hashing names while concealed', async () => {
    const r = await g.call(token, "/v1.0/reports/getOffice365ActiveUserDetail(period='D7')");
    expect(r.status).toBe(302);
    const csv = await (await fetch(r.headers.get('location')!)).text();
    const lines = csv.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe(
      'Report Refresh Date,User Principal Name,Display Name,Is Deleted,Deleted Date,Has Exchange License,Has OneDrive License,Has SharePoint License,Has Skype For Business License,Has Yammer License,Has Teams License,Exchange Last Activity Date,OneDrive Last Activity Date,SharePoint Last Activity Date,Skype For Business Last Activity Date,Yammer Last Activity Date,Teams Last Activity Date,Exchange License Assign Date,OneDrive License Assign Date,SharePoint License Assign Date,Skype For Business License Assign Date,Yammer License Assign Date,Teams License Assign Date,Assigned Products',
    );
    expect(lines).toHaveLength(g.world.userCount(home) + 1);
    const admin = g.world.admins(home)[0];
    expect(csv).toContain(admin.userPrincipalName);

    g.state.concealedNames.add(home);
    const hidden = await g.call(token, "/v1.0/reports/getOffice365ActiveUserDetail(period='D30')");
    const concealed = await (await fetch(hidden.headers.get('location')!)).text();
    g.state.concealedNames.delete(home);
    expect(concealed).not.toContain(admin.userPrincipalName);
    expect(concealed.split('\r\n')[1].split(',')[1]).toMatch(/^[0-9A-F]{32}$/);
    expect((await g.call(token, "/v1.0/reports/getOffice365ActiveUserDetail(period='D8')")).status).toBe(400);
  });
});
