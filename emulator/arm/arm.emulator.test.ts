import { ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import { ResourceManagementClient } from '@azure/arm-resources';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { randomUUID } from 'node:crypto';
import { startEmulator, type Emulator } from '../index.js';
import { signInWithMsal } from '../login/testkit.js';
import { ROLE_IDS } from './roles.js';
import type { ArmControl } from './control.js';

/**
 * The whole connect path with only official SDKs and the emulator's own login: the app's ClientSecretCredential
 * sees nothing, an Owner signed in with msal-node (auth code + PKCE) assigns Reader, then the app lists resources.
 */
let emu: Emulator;
let arm: ArmControl;
const ARM_SCOPE = 'https://management.azure.com/user_impersonation';
const SCOPES = ['https://management.azure.com/.default'];

beforeAll(async () => {
  emu = await startEmulator({ seed: 'arm-e2e' });
  arm = emu.control as unknown as ArmControl;
});
afterAll(() => emu.close());

const armOptions = () => ({ endpoint: emu.urls.arm, credentialScopes: SCOPES });
const appCredential = () => new ClientSecretCredential(emu.homeTenantId, emu.demoApp.clientId, emu.demoApp.clientSecret, { authorityHost: emu.urls.authority, disableInstanceDiscovery: true });
/** A TokenCredential over a delegated token obtained through the sign-in pages. */
async function delegated(upn: string): Promise<TokenCredential> {
  const { result } = await signInWithMsal(emu, { upn, scopes: [ARM_SCOPE] });
  return { getToken: async () => ({ token: result.accessToken, expiresOnTimestamp: result.expiresOn!.getTime() }) };
}

test('connect: Owner assigns Reader to the service principal, then the app lists subscriptions and resources', async () => {
  const subs = new SubscriptionClient(appCredential(), armOptions());
  const before = [];
  for await (const s of subs.subscriptions.list()) before.push(s);
  expect(before).toEqual([]);

  const [ownerUpn, nonOwnerUpn] = emu.adminUpns;
  const sub = emu.world.azureSubscriptions(emu.homeTenantId)[0].subscriptionId;
  const sp = emu.world.demoApp.servicePrincipalIdIn(emu.homeTenantId);
  const body = { roleDefinitionId: `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${ROLE_IDS.reader}`, principalId: sp, principalType: 'ServicePrincipal' as const };

  const nonOwner = new AuthorizationManagementClient(await delegated(nonOwnerUpn), sub, armOptions());
  await expect(nonOwner.roleAssignments.create(`/subscriptions/${sub}`, randomUUID(), body)).rejects.toMatchObject({ statusCode: 403, code: 'AuthorizationFailed' });

  const owner = new AuthorizationManagementClient(await delegated(ownerUpn), sub, armOptions());
  let status = 0;
  await owner.roleAssignments.create(`/subscriptions/${sub}`, randomUUID(), body, { onResponse: (r) => (status = r.status) });
  expect(status).toBe(201);
  expect(emu.state.writes.filter((w) => w.service === 'arm').map((w) => w.kind)).toEqual(['roleAssignment.create']);

  const after = [];
  for await (const s of subs.subscriptions.list()) after.push(s.subscriptionId);
  expect(after).toEqual([sub]);

  const rm = new ResourceManagementClient(appCredential(), sub, armOptions());
  let pages = 0;
  let count = 0;
  for await (const page of rm.resources.list({ top: 15 }).byPage()) {
    pages++;
    count += page.length;
  }
  expect(pages).toBeGreaterThanOrEqual(3);
  expect(count).toBe(emu.world.azureSubscription(sub)!.resourceCount);
  expect(arm.roleAssignments(sub).some((a) => a.principalId === sp && a.roleDefinitionGuid === ROLE_IDS.reader)).toBe(true);
});
