import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { ResourceManagementClient } from '@azure/arm-resources';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { randomUUID } from 'node:crypto';
import { registerArm, ROLE_IDS, type ArmControl } from './index.js';
import { mintToken, startTestService, staticCredential, type TestService } from './testkit.js';

const SCOPES = ['https://management.azure.com/.default'];
let t: TestService<ArmControl>;
let home: string;
let subs: string[];
let owner: { id: string; userPrincipalName: string };
let nonOwner: { id: string; userPrincipalName: string };
let sp: string;

const opts = () => ({ endpoint: t.url, credentialScopes: SCOPES, retryOptions: { maxRetries: 0 } });
const userToken = (u: { id: string; userPrincipalName: string }) => mintToken(t.tokens, 'arm', { tenantId: home, oid: u.id, delegated: true, upn: u.userPrincipalName });
const spToken = () => mintToken(t.tokens, 'arm', { tenantId: home, oid: sp, appId: t.world.demoApp.appId });
const role = (sub: string, guid: string) => `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;

beforeAll(async () => {
  t = await startTestService('arm', registerArm);
  home = t.world.home.id;
  subs = t.world.azureSubscriptions(home).map((s) => s.subscriptionId);
  [owner, nonOwner] = t.world.admins(home);
  sp = t.world.demoApp.servicePrincipalIdIn(home);
});
afterAll(() => t.close());
beforeEach(() => t.control.resetArmThrottle());

test('SubscriptionClient lists only subscriptions where the caller holds a role', async () => {
  const ownerSubs = [];
  for await (const s of new SubscriptionClient(staticCredential(await userToken(owner)), opts()).subscriptions.list()) ownerSubs.push(s);
  expect(ownerSubs.map((s) => s.subscriptionId).sort()).toEqual([...subs].sort());
  expect(ownerSubs[0]).toMatchObject({ id: `/subscriptions/${ownerSubs[0].subscriptionId}`, tenantId: home, state: 'Enabled', authorizationSource: 'RoleBased' });

  t.control.assignRole(subs[1], sp, ROLE_IDS.reader);
  const spSubs = [];
  for await (const s of new SubscriptionClient(staticCredential(await spToken()), opts()).subscriptions.list()) spSubs.push(s.subscriptionId);
  expect(spSubs).toEqual([subs[1]]);
  t.control.removeRoleAssignment(subs[1], sp);
});

test('resources.list pages with $top and nextLink, in world order, with no duplicates', async () => {
  t.control.assignRole(subs[0], sp, ROLE_IDS.reader);
  const client = new ResourceManagementClient(staticCredential(await spToken()), subs[0], opts());
  const pages: string[][] = [];
  for await (const page of client.resources.list({ top: 20 }).byPage()) pages.push(page.map((r) => r.id!));
  const expected = [...t.world.resources(subs[0])].map((r) => r.id);
  expect(pages.length).toBeGreaterThanOrEqual(3);
  expect(pages.slice(0, -1).every((p) => p.length === 20)).toBe(true);
  expect(pages.flat()).toEqual(expected);
  t.control.removeRoleAssignment(subs[0], sp);
});

test('a tag filter returns only matching resources and, as ARM does, without their tags', async () => {
  t.control.assignRole(subs[0], sp, ROLE_IDS.reader);
  const client = new ResourceManagementClient(staticCredential(await spToken()), subs[0], opts());
  const got = [];
  for await (const r of client.resources.list({ filter: "tagName eq 'env' and tagValue eq 'prod'" })) got.push(r);
  const expected = [...t.world.resources(subs[0])].filter((r) => r.tags.env === 'prod').map((r) => r.id);
  expect(got.map((r) => r.id)).toEqual(expected);
  expect(got.every((r) => r.tags === undefined)).toBe(true);
  const vms = [];
  for await (const r of client.resources.list({ filter: "resourceType eq 'microsoft.compute/virtualMachines'" })) vms.push(r);
  expect(vms.length).toBeGreaterThan(0);
  expect(vms.every((r) => r.type === 'Microsoft.Compute/virtualMachines')).toBe(true);
  t.control.removeRoleAssignment(subs[0], sp);
});

test('tags PATCH Merge and Delete through tagsOperations, with Tag Contributor; Reader gets 403', async () => {
  const target = [...t.world.resources(subs[2])][0].id;
  t.control.changeTags(target, { env: 'prod', owner: 'alice' });
  t.control.assignRole(subs[2], sp, ROLE_IDS.reader);
  const reader = new ResourceManagementClient(staticCredential(await spToken()), subs[2], opts());
  await expect(reader.tagsOperations.beginUpdateAtScopeAndWait(target, { operation: 'Merge', properties: { tags: { costCenter: 'CC-1' } } })).rejects.toMatchObject({
    statusCode: 403,
    code: 'AuthorizationFailed',
    message: expect.stringContaining("does not have authorization to perform action 'Microsoft.Resources/tags/write'"),
  });

  t.control.assignRole(subs[2], sp, ROLE_IDS.tagContributor);
  const merged = await reader.tagsOperations.beginUpdateAtScopeAndWait(target, { operation: 'Merge', properties: { tags: { costCenter: 'CC-1', env: 'dev' } } });
  expect(merged.properties.tags).toEqual({ env: 'dev', owner: 'alice', costCenter: 'CC-1' });
  // Delete with a stale value leaves the tag; with the current value (or by name) removes it.
  const deleted = await reader.tagsOperations.beginUpdateAtScopeAndWait(target, { operation: 'Delete', properties: { tags: { env: 'prod', owner: 'alice' } } });
  expect(deleted.properties.tags).toEqual({ env: 'dev', costCenter: 'CC-1' });
  expect(t.control.tagsOf(target)).toEqual({ env: 'dev', costCenter: 'CC-1' });
  const got = await reader.tagsOperations.getAtScope(target);
  expect(got).toMatchObject({ id: `${target}/providers/Microsoft.Resources/tags/default`, name: 'default', type: 'Microsoft.Resources/tags' });

  const writes = t.state.writes.filter((w) => w.kind === 'tags.patch');
  expect(writes.map((w) => (w.detail as { operation: string }).operation)).toEqual(['Merge', 'Delete']);
  expect(writes[0].principal).toMatchObject({ oid: sp, tenantId: home });
  t.control.removeRoleAssignment(subs[2], sp);
});

test('tag limits: more than 50 tags and reserved characters are refused with 400', async () => {
  const target = [...t.world.resources(subs[2])][1].id;
  const client = new ResourceManagementClient(staticCredential(await userToken(owner)), subs[2], opts());
  const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
  await expect(client.tagsOperations.beginCreateOrUpdateAtScopeAndWait(target, { properties: { tags: many } })).rejects.toMatchObject({ statusCode: 400 });
  await expect(client.tagsOperations.beginUpdateAtScopeAndWait(target, { operation: 'Merge', properties: { tags: { 'a/b': 'x' } } })).rejects.toMatchObject({ statusCode: 400, code: 'InvalidTagNameCharacters' });
  expect(t.control.tagsOf(target)).toEqual(t.world.resourceAt(subs[2], 1)!.tags);
});

test('roleAssignments.create: 403 for a delegated non-Owner, 201 for an Owner, 409 for a duplicate', async () => {
  const sub = subs[0];
  const body = { roleDefinitionId: role(sub, ROLE_IDS.reader), principalId: sp, principalType: 'ServicePrincipal' as const };
  const asNonOwner = new AuthorizationManagementClient(staticCredential(await userToken(nonOwner)), sub, opts());
  await expect(asNonOwner.roleAssignments.create(`/subscriptions/${sub}`, randomUUID(), body)).rejects.toMatchObject({
    statusCode: 403,
    code: 'AuthorizationFailed',
    message: expect.stringContaining(`The client '${nonOwner.userPrincipalName}' with object id '${nonOwner.id}' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write' over scope '/subscriptions/${sub}'`),
  });

  const asOwner = new AuthorizationManagementClient(staticCredential(await userToken(owner)), sub, opts());
  const name = randomUUID();
  let status = 0;
  const created = await asOwner.roleAssignments.create(`/subscriptions/${sub}`, name, body, { onResponse: (r) => (status = r.status) });
  expect(status).toBe(201);
  expect(created).toMatchObject({ name, principalId: sp, roleDefinitionId: role(sub, ROLE_IDS.reader), scope: `/subscriptions/${sub}` });
  expect(t.state.writes.at(-1)).toMatchObject({ kind: 'roleAssignment.create', status: 201, principal: { oid: owner.id } });

  await expect(asOwner.roleAssignments.create(`/subscriptions/${sub}`, randomUUID(), body)).rejects.toMatchObject({
    statusCode: 409,
    code: 'RoleAssignmentExists',
    message: `The role assignment already exists. The ID of the existing role assignment is ${name.replace(/-/g, '')}.`,
  });
  await expect(asOwner.roleAssignments.create(`/subscriptions/${sub}`, 'not-a-guid', body)).rejects.toMatchObject({ statusCode: 400, code: 'InvalidRoleAssignmentId' });

  const listed = [];
  for await (const a of asOwner.roleAssignments.listForSubscription({ filter: `principalId eq '${sp}'` })) listed.push(a);
  expect(listed.map((a) => a.name)).toEqual([name]);

  const removed = await asOwner.roleAssignments.delete(`/subscriptions/${sub}`, name);
  expect(removed.name).toBe(name);
  expect(t.control.roleAssignments(sub).some((a) => a.principalId === sp)).toBe(false);
});

test('a User Access Administrator who is not Owner may assign roles; an unknown principal is refused', async () => {
  const sub = t.world.azureSubscriptions(home).find((s) => s.userAccessAdminIds.length > 0)!;
  const uaa = t.world.user(home, sub.userAccessAdminIds[0])!;
  const client = new AuthorizationManagementClient(staticCredential(await userToken(uaa)), sub.subscriptionId, opts());
  const created = await client.roleAssignments.create(`/subscriptions/${sub.subscriptionId}`, randomUUID(), { roleDefinitionId: role(sub.subscriptionId, ROLE_IDS.tagContributor), principalId: sp });
  expect(created.principalType).toBe('ServicePrincipal');
  await expect(
    client.roleAssignments.create(`/subscriptions/${sub.subscriptionId}`, randomUUID(), { roleDefinitionId: role(sub.subscriptionId, ROLE_IDS.reader), principalId: t.world.demoApp.appId }),
  ).rejects.toMatchObject({ statusCode: 400, code: 'PrincipalNotFound' });
  t.control.removeRoleAssignment(sub.subscriptionId, sp);
});

test('role definitions and the caller\'s permissions', async () => {
  t.control.assignRole(subs[0], sp, ROLE_IDS.tagContributor);
  const client = new AuthorizationManagementClient(staticCredential(await spToken()), subs[0], opts());
  const defs = [];
  for await (const d of client.roleDefinitions.list(`/subscriptions/${subs[0]}`, { filter: "roleName eq 'Tag Contributor'" })) defs.push(d);
  expect(defs).toHaveLength(1);
  expect(defs[0]).toMatchObject({ name: ROLE_IDS.tagContributor, roleType: 'BuiltInRole' });
  expect(defs[0].permissions![0].actions).toContain('Microsoft.Resources/tags/*');
  const owner = await client.roleDefinitions.get(`/subscriptions/${subs[0]}`, ROLE_IDS.owner);
  expect(owner.permissions![0].actions).toEqual(['*']);
  const rg = t.world.azureSubscription(subs[0])!.resourceGroups[0];
  const perms = [];
  for await (const p of client.permissions.listForResourceGroup(rg)) perms.push(p);
  expect(perms.flatMap((p) => p.actions)).toContain('Microsoft.Resources/tags/*');
  t.control.removeRoleAssignment(subs[0], sp);
});

test('throttling: the 251st read in a burst gets 429 with Retry-After, and the bucket refills with time', async () => {
  t.control.assignRole(subs[0], sp, ROLE_IDS.reader);
  const client = new SubscriptionClient(staticCredential(await spToken()), opts());
  // Freeze the emulator clock so the bucket does not refill while the burst runs.
  const frozenAt = t.state.now();
  const realNow = t.state.now;
  let advanced = 0;
  t.state.now = () => frozenAt + advanced;
  let remaining = '';
  for (let i = 0; i < 250; i++) await client.subscriptions.get(subs[0], { onResponse: (r) => (remaining = r.headers.get('x-ms-ratelimit-remaining-subscription-reads') ?? '') });
  expect(remaining).toBe('0');
  const err = await client.subscriptions.get(subs[0]).catch((e) => e);
  expect(err).toMatchObject({ statusCode: 429, code: 'TooManyRequests' });
  expect(err.response.headers.get('retry-after')).toBe('1');
  advanced = 39; // 25 tokens/s: one token needs 40 ms (Retry-After rounds up to whole seconds)
  await expect(client.subscriptions.get(subs[0])).rejects.toMatchObject({ statusCode: 429 });
  advanced = 40;
  await expect(client.subscriptions.get(subs[0])).resolves.toMatchObject({ subscriptionId: subs[0] });
  // Writes have their own bucket: a write is judged (403 for a Reader), not throttled, after the reads ran out.
  for (let i = 0; i < 250; i++) await client.subscriptions.get(subs[0]).catch(() => undefined);
  const rm = new ResourceManagementClient(staticCredential(await spToken()), subs[0], opts());
  await expect(rm.tagsOperations.beginUpdateAtScopeAndWait(`/subscriptions/${subs[0]}`, { operation: 'Merge', properties: { tags: { a: 'b' } } })).rejects.toMatchObject({ statusCode: 403 });
  t.state.now = realNow;
  t.control.removeRoleAssignment(subs[0], sp);
});
