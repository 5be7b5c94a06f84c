import { registerPartnerCenter, isPartnerOf, MFA_REQUIRED_CODE, type PartnerControl } from './index.js';
import { mintToken, startTestService, type TestService } from '../arm/testkit.js';

let t: TestService<PartnerControl>;
let partnerTenant: string;
let admin: { id: string; userPrincipalName: string };

async function get(path: string, token?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.url}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}
const userToken = (amr: string[] = ['pwd', 'mfa'], oid = admin.id) => mintToken(t.tokens, 'partnerCenter', { tenantId: partnerTenant, oid, delegated: true, upn: admin.userPrincipalName, amr });

beforeAll(async () => {
  t = await startTestService('partnerCenter', registerPartnerCenter, { size: { customerTenants: 5, usersPerTenant: 5, resourcesPerSubscription: 1 } });
  partnerTenant = t.world.partner.tenantId;
  admin = t.world.admins(partnerTenant)[0];
});
afterAll(() => t.close());

test('customers page with size and MS-ContinuationToken, covering every customer once', async () => {
  const token = await userToken();
  const seen: string[] = [];
  let page = await get('/v1/customers?size=2', token);
  for (;;) {
    expect(page.status).toBe(200);
    expect(page.body.attributes).toEqual({ objectType: 'Collection' });
    expect(page.body.totalCount).toBe(page.body.items.length);
    for (const c of page.body.items) {
      expect(c).toMatchObject({ relationshipToPartner: 'reseller', attributes: { objectType: 'Customer' }, companyProfile: { tenantId: c.id } });
      seen.push(c.id);
    }
    const next = page.body.links.next;
    if (!next) break;
    expect(next.uri).toBe('/customers?size=2&seekOperation=Next');
    const cont = next.headers.find((h: { key: string }) => h.key === 'MS-ContinuationToken');
    page = await get('/v1/customers?size=2&seekOperation=Next', token, { 'MS-ContinuationToken': cont.value });
  }
  expect(seen).toEqual(t.world.partnerCustomers().map((c) => c.id));
  expect(seen).toHaveLength(5);

  const one = await get(`/v1/customers/${seen[0]}`, token);
  expect(one.body.companyProfile.companyName).toBe(t.world.tenant(seen[0])!.displayName);
});

test('an app+user token without the MFA claim gets 401 with code 900421', async () => {
  const res = await get('/v1/customers', await userToken(['pwd']));
  expect(res.status).toBe(401);
  expect(res.body).toMatchObject({ code: MFA_REQUIRED_CODE, source: 'PartnerFD' });
});

test('invoices need app+user; the billing report answers the same for the same world', async () => {
  const res = await get('/v1/invoices', await userToken(), { 'MS-CorrelationId': 'corr-1' });
  expect(res.status).toBe(200);
  expect(res.headers.get('ms-correlationid')).toBe('corr-1');
  expect(res.body.items).toHaveLength(3);
  expect(res.body.items[0]).toMatchObject({ documentType: 'invoice', currencyCode: 'USD', attributes: { objectType: 'Invoice' } });
  expect((await get('/v1/invoices', await userToken())).body.items).toEqual(res.body.items);
  const single = await get(`/v1/invoices/${res.body.items[1].id}`, await userToken());
  expect(single.body.id).toBe(res.body.items[1].id);

  const appOnly = await mintToken(t.tokens, 'partnerCenter', { tenantId: partnerTenant, oid: t.world.demoApp.servicePrincipalIdIn(partnerTenant) });
  expect((await get('/v1/invoices', appOnly)).status).toBe(403);
  expect((await get('/v1/customers', appOnly)).status).toBe(200);
});

test('wrong audience, a non-partner tenant and a non-admin user are refused', async () => {
  expect((await get('/v1/customers')).status).toBe(401);
  const armToken = await mintToken(t.tokens, 'arm', { tenantId: partnerTenant, oid: admin.id, delegated: true, amr: ['pwd', 'mfa'] });
  expect((await get('/v1/customers', armToken)).status).toBe(401);
  const customer = t.world.partnerCustomers()[0].id;
  const foreign = await mintToken(t.tokens, 'partnerCenter', { tenantId: customer, oid: t.world.admins(customer)[0].id, delegated: true, amr: ['pwd', 'mfa'] });
  expect((await get('/v1/customers', foreign)).status).toBe(403);
  const plainUser = [...t.world.users(partnerTenant)].find((u) => !t.world.admins(partnerTenant).some((a) => a.id === u.id))!;
  expect((await get('/v1/customers', await userToken(['pwd', 'mfa'], plainUser.id))).status).toBe(403);
});

test('isPartnerOf: the partner tenant reaches its customers only', () => {
  const [c1] = t.world.partnerCustomers();
  expect(isPartnerOf(t.world, partnerTenant, c1.id)).toBe(true);
  expect(t.control.isPartnerOf(partnerTenant.toUpperCase(), c1.id)).toBe(true);
  expect(isPartnerOf(t.world, c1.id, partnerTenant)).toBe(false);
  expect(isPartnerOf(t.world, partnerTenant, partnerTenant)).toBe(false);
});
