import { startGraphTestService, type GraphTestService } from './testkit.js';

let g: GraphTestService;
let home: string;
let token: string;

beforeAll(async () => {
  g = await startGraphTestService({ seed: 'graph-signins', size: { signInsPerTenant: 2500 } });
  home = g.world.home.id;
  token = await g.appToken(home);
});
afterAll(() => g.close());

async function all(first: string): Promise<{ pages: any[]; items: any[] }> {
  const pages: any[] = [];
  for (let url: string | undefined = first; url; ) {
    const r = await g.call(token, url);
    expect(r.status).toBe(200);
    pages.push(r.body);
    url = r.body['@odata.nextLink'];
  }
  return { pages, items: pages.flatMap((p) => p.value) };
}

describe('Graph auditLogs/signIns', () => {
  it('defaults to pages of 1000, newest first', async () => {
    const { pages, items } = await all('/v1.0/auditLogs/signIns');
    expect(pages.map((p) => p.value.length)).toEqual([1000, 1000, 500]);
    expect(pages[0]['@odata.context']).toBe(`${g.url}/v1.0/$metadata#auditLogs/signIns`);
    for (let i = 1; i < items.length; i++) expect(items[i - 1].createdDateTime >= items[i].createdDateTime).toBe(true);
    expect(new Set(items.map((s) => s.id)).size).toBe(2500);
    expect(items[0]).toEqual(expect.objectContaining({ userId: expect.any(String), appDisplayName: expect.any(String), location: expect.objectContaining({ countryOrRegion: expect.any(String) }) }));
    expect((await g.call(token, '/v1.0/auditLogs/signIns?$top=1001')).status).toBe(400);
  });

  it('filters by a createdDateTime window exactly, across pages', async () => {
    const every = [...g.world.signIns(home)];
    const from = every[1200].createdDateTime;
    const to = every[300].createdDateTime;
    const { items } = await all(`/v1.0/auditLogs/signIns?$filter=createdDateTime ge ${from} and createdDateTime lt ${to}&$top=250`);
    const want = every.filter((s) => s.createdDateTime >= from && s.createdDateTime < to);
    expect(want.length).toBeGreaterThan(500);
    expect(items.map((s) => s.id)).toEqual(want.map((s) => s.id));
    const gt = await all(`/v1.0/auditLogs/signIns?$filter=createdDateTime gt ${every[10].createdDateTime}`);
    expect(gt.items.map((s) => s.id)).toEqual(every.filter((s) => s.createdDateTime > every[10].createdDateTime).map((s) => s.id));
  });

  it('does not skip or repeat when sign-ins arrive while a client pages', async () => {
    const before = [...g.world.signIns(home)].slice(0, 600).map((s) => s.id);
    const p1 = await g.call(token, '/v1.0/auditLogs/signIns?$top=300');
    g.world.addSignIns(home, [{}, {}]);
    const p2 = await g.call(token, p1.body['@odata.nextLink']);
    expect([...p1.body.value, ...p2.body.value].map((s: any) => s.id)).toEqual(before);
  });

  it('needs AuditLog.Read.All and Directory.Read.All', async () => {
    const onlyAudit = await g.appToken(home, ['AuditLog.Read.All']);
    const r = await g.call(onlyAudit, '/v1.0/auditLogs/signIns');
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('Authorization_RequestDenied');
  });

  it("answers a tenant without Entra ID P1 with Graph's premium-licence 403", async () => {
    const noP1 = g.world.tenants().find((t) => !t.hasEntraP1)!;
    const r = await g.call(await g.appToken(noP1.id), '/v1.0/auditLogs/signIns');
    expect(r.status).toBe(403);
    expect(r.body.error).toEqual(expect.objectContaining({ code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant', message: "Neither tenant is B2C or tenant doesn't have premium license" }));
    g.control.setEntraP1(home, false);
    expect((await g.call(token, '/v1.0/auditLogs/signIns?$top=1')).status).toBe(403);
    g.control.setEntraP1(home, null);
    expect((await g.call(token, '/v1.0/auditLogs/signIns?$top=1')).status).toBe(200);
  });
});
