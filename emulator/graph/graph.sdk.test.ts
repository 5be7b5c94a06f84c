import { ClientSecretCredential } from '@azure/identity';
import { Client, GraphError, PageIterator, ResponseType, type PageCollection } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { startEmulator, type Emulator } from '../index.js';
import { tenantAppKey } from '../login/apps.js';

/** The official Graph client, authenticated by @azure/identity against the emulator's login, exactly as the bot wires it. */
describe('Graph through @microsoft/microsoft-graph-client', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'graph-sdk-test' });
  });
  afterAll(() => emu.close());

  function graphClient(tenantId: string): Client {
    const credential = new ClientSecretCredential(tenantId, emu.demoApp.clientId, emu.demoApp.clientSecret, { authorityHost: emu.urls.authority, disableInstanceDiscovery: true });
    const authProvider = new TokenCredentialAuthenticationProvider(credential, { scopes: ['https://graph.microsoft.com/.default'] });
    return Client.initWithMiddleware({ authProvider, baseUrl: emu.urls.graph, customHosts: new Set([new URL(emu.urls.graph).hostname]) });
  }

  async function iterateAll<T>(client: Client, first: PageCollection): Promise<T[]> {
    const items: T[] = [];
    await new PageIterator(client, first, (item: T) => {
      items.push(item);
      return true;
    }).iterate();
    return items;
  }

  const graphRequests = (path: string) => emu.control.requests('graph').filter((r) => r.url.startsWith(path) && r.status === 200).length;

  it('PageIterator walks every user across at least 3 pages', async () => {
    const client = graphClient(emu.homeTenantId);
    const before = graphRequests('/v1.0/users');
    const first = (await client.api('/users').select(['id', 'displayName', 'userPrincipalName', 'userType']).top(15).get()) as PageCollection;
    const users = await iterateAll<{ id: string; userType: string | null }>(client, first);
    expect(users.map((u) => u.id)).toEqual([...emu.world.users(emu.homeTenantId)].map((u) => u.id));
    expect(graphRequests('/v1.0/users') - before).toBeGreaterThanOrEqual(3);
    expect(users.some((u) => u.userType === 'Guest')).toBe(true);
  });

  it('PageIterator walks auditLogs/signIns inside a createdDateTime window', async () => {
    const client = graphClient(emu.homeTenantId);
    const every = [...emu.world.signIns(emu.homeTenantId)];
    const since = every[330].createdDateTime;
    const first = (await client.api('/auditLogs/signIns').filter(`createdDateTime ge ${since}`).top(120).get()) as PageCollection;
    const signIns = await iterateAll<{ id: string; createdDateTime: string }>(client, first);
    const want = every.filter((s) => s.createdDateTime >= since);
    expect(want.length).toBeGreaterThan(240);
    expect(signIns.map((s) => s.id)).toEqual(want.map((s) => s.id));
  });

  it('users/delta: the second run returns exactly the changes made after the first', async () => {
    const client = graphClient(emu.homeTenantId);
    const run = async (url: string) => {
      const items: { id: string; department?: string; '@removed'?: unknown }[] = [];
      let page = await client.api(url).header('Prefer', 'odata.maxpagesize=12').get();
      items.push(...page.value);
      while (page['@odata.nextLink']) {
        page = await client.api(page['@odata.nextLink']).get();
        items.push(...page.value);
      }
      return { items, deltaLink: page['@odata.deltaLink'] as string };
    };
    const first = await run('/users/delta?$select=displayName,department');
    expect(first.items).toHaveLength(emu.world.userCount(emu.homeTenantId));
    const [added] = emu.control.addUsers(emu.homeTenantId, 1);
    const victim = [...emu.world.users(emu.homeTenantId)][20];
    emu.control.removeUser(emu.homeTenantId, victim.id);
    const second = await run(first.deltaLink);
    expect(second.items.map((u) => u.id).sort()).toEqual([added.id, victim.id].sort());
    expect(second.items.find((u) => u.id === victim.id)?.['@removed']).toEqual({ reason: 'changed' });
    expect((await run(second.deltaLink)).items).toEqual([]);
  });

  it('surfaces a missing permission as GraphError 403 Authorization_RequestDenied', async () => {
    const customer = emu.world.tenants().find((t) => t.kind === 'customer' && t.hasEntraP1)!;
    emu.state.appConsents.set(tenantAppKey(customer.id, emu.demoApp.clientId), new Set(['User.Read.All']));
    const client = graphClient(customer.id);
    expect((await client.api('/users').top(1).get()).value).toHaveLength(1);
    const err = await client.api('/subscribedSkus').get().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GraphError);
    expect(err).toEqual(expect.objectContaining({ statusCode: 403, code: 'Authorization_RequestDenied' }));
  });

  it('surfaces the no-P1 tenant as GraphError 403 with the premium-licence code', async () => {
    const noP1 = emu.world.tenants().find((t) => !t.hasEntraP1)!;
    emu.control.grantAdminConsent(noP1.id, emu.demoApp.clientId);
    const err = await graphClient(noP1.id).api('/auditLogs/signIns').get().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toEqual(expect.objectContaining({ statusCode: 403, code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant' }));
  });

  it('follows the usage report redirect to the CSV download', async () => {
    const client = graphClient(emu.homeTenantId);
    const csv = (await client.api("/reports/getOffice365ActiveUserDetail(period='D7')").responseType(ResponseType.TEXT).get()) as string;
    const lines = csv.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0].split(',').slice(0, 3)).toEqual(['Report Refresh Date', 'User Principal Name', 'Display Name']);
    expect(lines).toHaveLength(emu.world.userCount(emu.homeTenantId) + 1);
  });
});
