import { randomUUID } from 'node:crypto';
import { registerArm, ROLE_IDS, type ArmControl } from './index.js';
import { mintToken, startTestService, type TestService } from './testkit.js';

let t: TestService<ArmControl>;
let home: string;
let sub: string;
let owner: { id: string; userPrincipalName: string };
let sp: string;

const V = 'api-version=2022-12-01';
async function call(method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
const ownerToken = () => mintToken(t.tokens, 'arm', { tenantId: home, oid: owner.id, delegated: true, upn: owner.userPrincipalName });

beforeAll(async () => {
  t = await startTestService('arm', registerArm);
  home = t.world.home.id;
  sub = t.world.azureSubscriptions(home)[0].subscriptionId;
  owner = t.world.admins(home)[0];
  sp = t.world.demoApp.servicePrincipalIdIn(home);
});
afterAll(() => t.close());

test('authentication errors are ARM-shaped 401s with a Bearer challenge', async () => {
  const none = await call('GET', `/subscriptions?${V}`);
  expect(none.status).toBe(401);
  expect(none.body.error.code).toBe('AuthenticationFailed');
  expect(none.headers.get('www-authenticate')).toMatch(/^Bearer authorization_uri=/);

  const graphToken = await mintToken(t.tokens, 'graph', { tenantId: home, oid: owner.id, delegated: true });
  expect((await call('GET', `/subscriptions?${V}`, graphToken)).body.error.code).toBe('InvalidAuthenticationTokenAudience');

  const short = await mintToken(t.tokens, 'arm', { tenantId: home, oid: owner.id, delegated: true, lifetimeSeconds: 60 });
  t.state.clockOffsetMs += 120_000;
  const expired = await call('GET', `/subscriptions?${V}`, short);
  t.state.clockOffsetMs -= 120_000;
  expect(expired.status).toBe(401);
  expect(expired.body.error.code).toBe('ExpiredAuthenticationToken');
});

test('api-version is required; a token from another tenant is told which tenant owns the subscription', async () => {
  const token = await ownerToken();
  const missing = await call('GET', `/subscriptions/${sub}/resources`, token);
  expect(missing.status).toBe(400);
  expect(missing.body.error.code).toBe('MissingApiVersionParameter');

  const other = t.world.tenants().find((x) => x.id !== home)!;
  const foreign = await mintToken(t.tokens, 'arm', { tenantId: other.id, oid: t.world.admins(other.id)[0].id, delegated: true });
  const wrong = await call('GET', `/subscriptions/${sub}/resources?${V}`, foreign);
  expect(wrong.status).toBe(401);
  expect(wrong.body.error.code).toBe('InvalidAuthenticationTokenTenant');
  expect(wrong.body.error.message).toContain(`https://sts.windows.net/${home}/`);

  expect((await call('GET', `/subscriptions/${randomUUID()}?${V}`, token)).body.error.code).toBe('SubscriptionNotFound');
});

test('nextLink is an absolute URL on the ARM origin carrying $skiptoken; paths are case-insensitive and tolerate //', async () => {
  const token = await ownerToken();
  const first = await call('GET', `//SUBSCRIPTIONS/${sub}/Resources?${V}&$top=10&$expand=createdTime,changedTime`, token);
  expect(first.status).toBe(200);
  expect(first.body.value).toHaveLength(10);
  expect(first.body.value[0].createdTime).toMatch(/^\d{4}-\d\d-\d\dT/);
  const next = new URL(first.body.nextLink);
  expect(next.origin).toBe(t.url);
  expect(next.searchParams.get('$skiptoken')).toBeTruthy();
  expect(next.searchParams.get('$top')).toBe('10');
  expect(first.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toMatch(/^\d+$/);
  const second = await call('GET', next.pathname + next.search, token);
  expect(second.body.value[0].id).toBe(t.world.resourceAt(sub, 10)!.id);
});

test('resource-group listing, and resources added at run time appear at the end', async () => {
  const token = await ownerToken();
  const rg = t.world.azureSubscription(sub)!.resourceGroups[0];
  const listed = await call('GET', `/subscriptions/${sub}/resourceGroups/${rg}/resources?${V}`, token);
  const expected = [...t.world.resources(sub)].filter((r) => r.resourceGroup === rg).map((r) => r.id);
  expect(listed.body.value.map((r: { id: string }) => r.id)).toEqual(expected);
  expect((await call('GET', `/subscriptions/${sub}/resourceGroups/nope/resources?${V}`, token)).body.error.code).toBe('ResourceGroupNotFound');

  const before = t.world.azureSubscription(sub)!.resourceCount;
  const [added] = t.control.addResources(sub, 1);
  const page = await call('GET', `/subscriptions/${sub}/resources?${V}&$top=1000`, token);
  expect(page.body.value).toHaveLength(before + 1);
  expect(page.body.value.at(-1).id).toBe(added.id);
  const tagsOfAdded = await call('PUT', `${added.id}/providers/Microsoft.Resources/tags/default?api-version=2021-04-01`, token, { properties: { tags: { team: 'x' } } });
  expect(tagsOfAdded.status).toBe(200);
  expect(t.control.tagsOf(added.id)).toEqual({ team: 'x' });
});

test('tags at subscription and resource-group scope; DELETE clears them; a change "in Azure" is visible', async () => {
  const token = await ownerToken();
  const rg = t.world.azureSubscription(sub)!.resourceGroups[1];
  const put = await call('PUT', `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Resources/tags/default?api-version=2021-04-01`, token, { properties: { tags: { dept: 'fin' } } });
  expect(put.body).toEqual({ id: `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Resources/tags/default`, name: 'default', type: 'Microsoft.Resources/tags', properties: { tags: { dept: 'fin' } } });
  const del = await call('DELETE', `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Resources/tags/default?api-version=2021-04-01`, token);
  expect(del.status).toBe(200);
  expect(t.control.tagsOf(`/subscriptions/${sub}/resourceGroups/${rg}`)).toEqual({});

  const res = t.world.resourceAt(sub, 3)!;
  t.control.changeTags(res.id, { changed: 'in-azure' });
  const got = await call('GET', `${res.id}/providers/Microsoft.Resources/tags/default?api-version=2021-04-01`, token);
  expect(got.body.properties.tags).toEqual({ changed: 'in-azure' });
  const missing = await call('GET', `/subscriptions/${sub}/resourceGroups/${res.resourceGroup}/providers/Microsoft.Compute/virtualMachines/ghost/providers/Microsoft.Resources/tags/default?api-version=2021-04-01`, token);
  expect(missing.body.error.code).toBe('ResourceNotFound');
});

test('role assignment PUT is idempotent for the same name and content; another role under that name is a conflict', async () => {
  const token = await ownerToken();
  const name = randomUUID();
  const path = `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments/${name}?api-version=2022-04-01`;
  const body = { properties: { roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.reader}`, principalId: sp } };
  expect((await call('PUT', path, token, body)).status).toBe(201);
  const writes = t.state.writes.length;
  expect((await call('PUT', path, token, body)).status).toBe(201);
  expect(t.state.writes.length).toBe(writes);
  const other = { properties: { ...body.properties, roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.tagContributor}` } };
  expect((await call('PUT', path, token, other)).body.error.code).toBe('RoleAssignmentUpdateNotPermitted');
  const wrongType = await call('PUT', `/subscriptions/${sub}/providers/Microsoft.Authorization/roleAssignments/${randomUUID()}?api-version=2022-04-01`, token, { properties: { ...other.properties, principalType: 'User' } });
  expect(wrongType.body.error.code).toBe('UnmatchedPrincipalType');
  expect((await call('DELETE', path, token)).status).toBe(200);
  expect((await call('DELETE', path, token)).status).toBe(204);
});

test('PAL: PUT, GET, PATCH and DELETE per caller, invalid partner id refused, writes recorded', async () => {
  const token = await mintToken(t.tokens, 'arm', { tenantId: home, oid: sp, appId: t.world.demoApp.appId });
  const mpn = t.world.partner.mpnId;
  const base = '/providers/Microsoft.ManagementPartner/partners';
  expect((await call('GET', `${base}?api-version=2018-02-01`, token)).status).toBe(404);
  expect((await call('PUT', `${base}/123?api-version=2018-02-01`, token)).body.error.code).toBe('BadRequest');

  const put = await call('PUT', `${base}/${mpn}?api-version=2018-02-01`, token);
  expect(put.status).toBe(200);
  expect(put.body).toMatchObject({ name: mpn, type: 'Microsoft.ManagementPartner/partner', etag: 1, properties: { partnerId: mpn, tenantId: home, objectId: sp, version: '1', state: 'Active' } });
  expect((await call('GET', `${base}/${mpn}?api-version=2018-02-01`, token)).body.properties.partnerId).toBe(mpn);
  expect((await call('GET', `${base}?api-version=2018-02-01`, token)).body.id).toBe('/providers/microsoft.managementpartner/partners');
  // Another caller has no link.
  expect((await call('GET', `${base}?api-version=2018-02-01`, await ownerToken())).status).toBe(404);
  expect(t.control.palLinks()).toEqual([expect.objectContaining({ partnerId: mpn, objectId: sp })]);

  const del = await call('DELETE', `${base}/${mpn}?api-version=2018-02-01`, token);
  expect(del.status).toBe(200);
  expect(t.state.writes.filter((w) => w.kind.startsWith('pal.')).map((w) => w.kind)).toEqual(['pal.put', 'pal.delete']);
  expect(t.control.palLinks()).toEqual([]);
});

test('control routes: list, assign and remove role assignments over HTTP', async () => {
  const base = `/_emulator/arm/subscriptions/${sub}/roleAssignments`;
  const created = await call('POST', base, undefined, { principalId: sp, roleDefinitionId: ROLE_IDS.reader });
  expect(created.status).toBe(201);
  expect((await call('GET', base)).body.value.some((a: { principalId: string }) => a.principalId === sp)).toBe(true);
  const removed = await call('DELETE', `${base}?principalId=${sp}`);
  expect(removed.body.removed).toBe(1);
});
