import { ClientSecretCredential } from '@azure/identity';
import { startEmulator, type Emulator } from './index.js';
import { composeControl } from './control/index.js';

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('startEmulator and the control API', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'control-test', faultSeed: 7 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('serves four distinct HTTPS origins on 127.0.0.1 and returns the demo app and CA', () => {
    const origins = Object.values(emu.urls);
    expect(new Set(origins).size).toBe(4);
    for (const o of origins) expect(o).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.caPath).toMatch(/ca\.pem$/);
    expect(emu.demoApp.clientId).toBe(emu.world.demoApp.appId);
    expect(emu.adminUpns.length).toBeGreaterThan(0);
  });

  it('fault settings changed on one origin apply everywhere, hit the APIs but not login, and show in the request log', async () => {
    const set = await post(`${emu.urls.graph}/_emulator/faults`, { throttleRate: 1, retryAfterSeconds: 3 });
    expect(set.json).toMatchObject({ throttleRate: 1, retryAfterSeconds: 3 });
    expect(await (await fetch(`${emu.urls.arm}/_emulator/faults`)).json()).toMatchObject({ throttleRate: 1 });
    try {
      const arm = await fetch(`${emu.urls.arm}/subscriptions?api-version=2022-12-01`);
      expect(arm.status).toBe(429);
      expect(arm.headers.get('retry-after')).toBe('3');
      const login = await fetch(`${emu.urls.authority}/${emu.homeTenantId}/v2.0/.well-known/openid-configuration`);
      expect(login.status).toBe(200);
      const log = (await (await fetch(`${emu.urls.authority}/_emulator/requests?service=arm`)).json()) as { value: { fault?: string; status: number }[] };
      expect(log.value.at(-1)).toMatchObject({ status: 429, fault: 'throttle' });
    } finally {
      await post(`${emu.urls.graph}/_emulator/faults`, { throttleRate: 0 });
    }
    expect((await post(`${emu.urls.graph}/_emulator/faults`, { throttleRate: 2 })).status).toBe(400);
  });

  it('runs scripted events over HTTP with positional args, and 404s unknown ones', async () => {
    const names = (await (await fetch(`${emu.urls.arm}/_emulator/events`)).json()) as { value: string[] };
    expect(names.value).toEqual(expect.arrayContaining(['revokeUserRefreshTokens', 'expireClientSecret', 'setConcealedNames', 'setConditionalAccessBlock', 'advanceClock', 'addUsers', 'removeRoleAssignment']));
    const block = await post(`${emu.urls.graph}/_emulator/events/setConditionalAccessBlock`, { args: [emu.homeTenantId, true] });
    expect(block.status).toBe(200);
    expect(emu.state.conditionalAccessBlocked.has(emu.homeTenantId)).toBe(true);
    await post(`${emu.urls.graph}/_emulator/events/setConditionalAccessBlock`, { args: [emu.homeTenantId, false] });
    const before = emu.state.now();
    const moved = await post(`${emu.urls.authority}/_emulator/events/advanceClock`, { args: [3_600_000] });
    expect(Date.parse(moved.json.result as string)).toBeGreaterThanOrEqual(before + 3_600_000);
    await post(`${emu.urls.authority}/_emulator/events/advanceClock`, { args: [-3_600_000] });
    const added = await post(`${emu.urls.authority}/_emulator/events/addUsers`, { args: [emu.homeTenantId, 2] });
    expect(added.json.result).toHaveLength(2);
    expect((await post(`${emu.urls.authority}/_emulator/events/doesNotExist`, {})).status).toBe(404);
    expect((await post(`${emu.urls.authority}/_emulator/events/setConcealedNames`, { args: ['no-such-tenant', true] })).status).toBe(400);
  });

  it('expiring the client secret over HTTP makes ClientSecretCredential fail with AADSTS7000222', async () => {
    const fresh = emu.control.addClientSecret();
    const cred = new ClientSecretCredential(emu.homeTenantId, emu.demoApp.clientId, fresh.secret, { authorityHost: emu.urls.authority, disableInstanceDiscovery: true });
    await cred.getToken('https://management.azure.com/.default');
    await post(`${emu.urls.arm}/_emulator/events/expireClientSecret`, {});
    const again = new ClientSecretCredential(emu.homeTenantId, emu.demoApp.clientId, fresh.secret, { authorityHost: emu.urls.authority, disableInstanceDiscovery: true });
    await expect(again.getToken('https://management.azure.com/.default')).rejects.toThrow(/AADSTS7000222/);
  });

  it('lists writes, filtered by kind', async () => {
    emu.state.recordWrite({ service: 'arm', kind: 'tags.patch', method: 'PATCH', path: '/x', principal: {}, detail: {}, status: 200 });
    const all = (await (await fetch(`${emu.urls.graph}/_emulator/writes`)).json()) as { value: { kind: string }[] };
    const tags = (await (await fetch(`${emu.urls.graph}/_emulator/writes?kind=tags.patch`)).json()) as { value: { kind: string }[] };
    expect(all.value.length).toBeGreaterThanOrEqual(tags.value.length);
    expect(tags.value.map((w) => w.kind)).toEqual(['tags.patch']);
  });

  it('refuses two controls defining the same name', () => {
    expect(() => composeControl({ a: () => 1 }, { a: () => 2 })).toThrow(/defined by two services/);
  });
});
