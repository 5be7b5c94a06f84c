import { startGraphTestService, type GraphTestService } from './testkit.js';

let g: GraphTestService;
let token: string;
let home: string;

beforeAll(async () => {
  g = await startGraphTestService();
  home = g.world.home.id;
  token = await g.appToken(home);
});
afterAll(() => g.close());

async function all(first: string, headers: Record<string, string> = {}): Promise<{ pages: any[]; items: any[] }> {
  const pages: any[] = [];
  let url: string | undefined = first;
  while (url) {
    const r = await g.call(token, url, { headers });
    expect(r.status).toBe(200);
    pages.push(r.body);
    url = r.body['@odata.nextLink'];
  }
  return { pages, items: pages.flatMap((p) => p.value) };
}

describe('Graph users', () => {
  it('pages with $top and nextLink, returning the default property set', async () => {
    const { pages, items } = await all('/v1.0/users?$top=15');
    expect(pages.length).toBe(3);
    expect(pages[0]['@odata.context']).toBe(`${g.url}/v1.0/$metadata#users`);
    expect(pages[0]['@odata.nextLink']).toMatch(new RegExp(`^${g.url}/v1\\.0/users\\?\\$top=15&\\$skiptoken=`));
    expect(items.map((u) => u.id)).toEqual([...g.world.users(home)].map((u) => u.id));
    expect(Object.keys(items[0]).sort()).toEqual(['businessPhones', 'displayName', 'givenName', 'id', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName']);
  });

  it('honours $select with every seed-002 field', async () => {
    const fields = 'displayName,companyName,department,mail,givenName,surname,jobTitle,state,postalCode,streetAddress,city,preferredLanguage,usageLocation,assignedLicenses,userPrincipalName,officeLocation,onPremisesExtensionAttributes,country,userType';
    const r = await g.call(token, `/v1.0/users?$select=${fields}&$top=999`);
    expect(r.status).toBe(200);
    expect(r.body['@odata.context']).toBe(`${g.url}/v1.0/$metadata#users(${fields})`);
    expect(r.body['@odata.nextLink']).toBeUndefined();
    const world = [...g.world.users(home)];
    expect(r.body.value).toHaveLength(world.length);
    const sample = r.body.value[5];
    expect(Object.keys(sample).sort()).toEqual(['id', ...fields.split(',')].sort());
    expect(sample).toEqual(expect.objectContaining({ department: world[5].department, assignedLicenses: world[5].assignedLicenses, onPremisesExtensionAttributes: world[5].onPremisesExtensionAttributes }));
  });

  it('rejects unknown $select properties and $top outside 1..999', async () => {
    expect((await g.call(token, '/v1.0/users?$select=nope')).body.error.code).toBe('Request_BadRequest');
    const r = await g.call(token, '/v1.0/users?$top=1000');
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/between 1 and 999/);
  });

  it('filters userType without advanced mode, endsWith only with ConsistencyLevel and $count', async () => {
    const guests = await all("/v1.0/users?$filter=userType eq 'Guest'&$select=userType,userPrincipalName");
    const expected = [...g.world.users(home)].filter((u) => u.userType === 'Guest');
    expect(guests.items.map((u) => u.id)).toEqual(expected.map((u) => u.id));
    expect(guests.items.every((u) => u.userPrincipalName.includes('#EXT#'))).toBe(true);

    const domain = g.world.home.verifiedDomains.find((d) => d.isDefault)!.name;
    const plain = await g.call(token, `/v1.0/users?$filter=endsWith(mail,'@${domain}')`);
    expect(plain.status).toBe(400);
    expect(plain.body.error.code).toBe('Request_UnsupportedQuery');
    const noCount = await g.call(token, '/v1.0/users?$count=true');
    expect(noCount.status).toBe(400);

    const advanced = await all(`/v1.0/users?$filter=endsWith(mail,'@${domain}')&$count=true&$top=5`, { ConsistencyLevel: 'eventual' });
    const want = [...g.world.users(home)].filter((u) => u.mail?.toLowerCase().endsWith(`@${domain}`));
    expect(advanced.items.map((u) => u.id)).toEqual(want.map((u) => u.id));
    expect(advanced.pages[0]['@odata.count']).toBe(want.length);
  });

  it('gets one user by id or UPN, and 404s in Graph shape', async () => {
    const u = [...g.world.users(home)][7];
    const byId = await g.call(token, `/v1.0/users/${u.id}?$select=department`);
    expect(byId.body).toEqual(expect.objectContaining({ id: u.id, department: u.department }));
    const byUpn = await g.call(token, `/v1.0/users/${encodeURIComponent(u.userPrincipalName)}`);
    expect(byUpn.body.id).toBe(u.id);
    const missing = await g.call(token, '/v1.0/users/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('Request_ResourceNotFound');
  });

  it('enforces permissions and token validity', async () => {
    const skuOnly = await g.appToken(home, ['Organization.Read.All']);
    const denied = await g.call(skuOnly, '/v1.0/users');
    expect(denied.status).toBe(403);
    expect(denied.body.error).toEqual(expect.objectContaining({ code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' }));
    expect((await g.call(skuOnly, '/v1.0/subscribedSkus')).status).toBe(200);
    const noAuth = await fetch(`${g.url}/v1.0/users`);
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(((await noAuth.json()) as { error: { code: string } }).error.code).toBe('InvalidAuthenticationToken');
    const expired = await g.appToken(home, undefined, 60);
    g.state.clockOffsetMs += 3600_000;
    try {
      expect((await g.call(expired, '/v1.0/users')).status).toBe(401);
    } finally {
      g.state.clockOffsetMs -= 3600_000;
    }
  });
});

describe('Graph users/delta', () => {
  it('returns everything first, then exactly the changes since the deltaLink', async () => {
    const first = await all('/v1.0/users/delta?$select=displayName,department', { Prefer: 'odata.maxpagesize=10' });
    expect(first.pages.length).toBeGreaterThanOrEqual(4);
    expect(first.items.map((u) => u.id)).toEqual([...g.world.users(home)].map((u) => u.id));
    expect(Object.keys(first.items[0]).sort()).toEqual(['department', 'displayName', 'id']);
    const deltaLink = first.pages.at(-1)['@odata.deltaLink'];
    expect(deltaLink).toMatch(/\/v1\.0\/users\/delta\?\$deltatoken=/);
    expect(first.pages.slice(0, -1).every((p) => p['@odata.deltaLink'] === undefined)).toBe(true);

    const [added] = g.world.addUsers(home, 1);
    const users = [...g.world.users(home)];
    const changed = users[10];
    const removed = users[11];
    g.world.updateUser(home, changed.id, { department: 'Legal' });
    g.world.removeUser(home, removed.id);

    const second = await all(deltaLink);
    expect(second.items).toHaveLength(3);
    expect(second.items.find((u) => u.id === added.id)).toEqual({ id: added.id, displayName: added.displayName, department: added.department });
    expect(second.items.find((u) => u.id === changed.id).department).toBe('Legal');
    expect(second.items.find((u) => u.id === removed.id)).toEqual({ '@odata.type': '#microsoft.graph.user', id: removed.id, '@removed': { reason: 'changed' } });

    const third = await all(second.pages.at(-1)['@odata.deltaLink']);
    expect(third.items).toEqual([]);
    expect(third.pages.at(-1)['@odata.deltaLink']).toBeDefined();
  });
});
