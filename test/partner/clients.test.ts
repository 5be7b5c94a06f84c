import { ClientSecretCredential } from '@azure/identity';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { msalClient, signInWithMsal } from '../../emulator/login/testkit.js';
import { PalClient, isValidPartnerId } from '../../src/microsoft/pal.js';
import { PartnerCenterClient, PARTNER_CENTER_MFA_REQUIRED } from '../../src/microsoft/partner-center.js';
import { MicrosoftRestError } from '../../src/microsoft/rest.js';

const PC = 'https://api.partnercenter.microsoft.com/user_impersonation';

describe('Partner Center and Partner Admin Link clients against the emulator', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ seed: 'partner-clients', size: { customerTenants: 5 } });
  });
  afterAll(() => emu.close());

  test('customers are paged with MS-ContinuationToken until all are read; invoices prove the app+user token', async () => {
    const admin = emu.adminUpns[0];
    const { refreshToken } = await signInWithMsal(emu, { upn: admin, scopes: [PC, 'offline_access'], tenant: emu.world.partner.tenantId });
    const pcToken = await msalClient(emu, emu.world.partner.tenantId).acquireTokenByRefreshToken({ refreshToken, scopes: ['https://api.partnercenter.microsoft.com/.default'] });
    const client = new PartnerCenterClient(emu.urls.partnerCenter, async () => pcToken!.accessToken);
    const pages: number[] = [];
    for await (const page of client.customerPages(2)) pages.push(page.length);
    expect(pages).toEqual([2, 2, 1]);
    const customers = await client.customers();
    expect(customers.map((c) => c.tenantId)).toEqual(emu.world.partnerCustomers().map((c) => c.id));
    expect(customers[0]).toMatchObject({ companyName: emu.world.tenant(customers[0].tenantId)!.displayName, relationshipToPartner: 'reseller' });
    const invoices = await client.invoices();
    expect(invoices).toHaveLength(3);
    expect(invoices[0]).toMatchObject({ currencyCode: 'USD', id: expect.stringMatching(/^G\d{9}$/) });
  });

  test('an app-only token cannot read invoices: the 403 surfaces with its status, not as a generic error', async () => {
    const credential = new ClientSecretCredential(emu.world.partner.tenantId, emu.demoApp.clientId, emu.demoApp.clientSecret, { authorityHost: emu.urls.authority, disableInstanceDiscovery: true });
    const client = new PartnerCenterClient(emu.urls.partnerCenter, async () => (await credential.getToken('https://api.partnercenter.microsoft.com/.default'))!.token);
    const err = await client.invoices().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MicrosoftRestError);
    expect(err).toMatchObject({ statusCode: 403 });
    expect(PARTNER_CENTER_MFA_REQUIRED).toBe(900421);
  });

  test('PAL: set (PUT), set again (no write), an unknown id refused by Microsoft, show, remove (DELETE); writes recorded by Microsoft', async () => {
    const tenantId = emu.homeTenantId;
    const credential = new ClientSecretCredential(tenantId, emu.demoApp.clientId, emu.demoApp.clientSecret, { authorityHost: emu.urls.authority, disableInstanceDiscovery: true });
    const pal = new PalClient(emu.urls.arm, async () => (await credential.getToken('https://management.azure.com/.default'))!.token, { baseDelayMs: 1 });
    const mpn = emu.world.partner.mpnId;
    expect(await pal.get()).toBeUndefined();
    expect(await pal.set(mpn)).toMatchObject({ change: 'created', link: { partnerId: mpn, tenantId } });
    expect(await pal.set(mpn)).toMatchObject({ change: 'unchanged' });
    expect((await pal.get())?.partnerId).toBe(mpn);
    await expect(pal.set('9999999')).rejects.toMatchObject({ statusCode: 400, code: 'BadRequest' });
    expect(await pal.remove()).toMatchObject({ change: 'removed', previous: { partnerId: mpn } });
    expect(await pal.remove()).toEqual({ change: 'none' });
    expect(emu.control.writes().filter((w) => w.kind.startsWith('pal.')).map((w) => w.kind)).toEqual(['pal.put', 'pal.delete']);
  });

  test('partner id format', () => {
    expect(['1234567', '123456', '12345678'].every(isValidPartnerId)).toBe(true);
    expect(['12345', '123456789', '12a4567', '', ' 1234567', '1234567; drop'].some(isValidPartnerId)).toBe(false);
  });
});
