import { startWorld, type World } from '../support/world.js';
import { connectAs, connectCard, postedSince, snapshot } from './support.js';

/**
 * /auth/callback: every way a sign-in can go wrong gives a page, a message in the conversation that started it,
 * an audit entry, and changes nothing (no workspace, tenant or subscription record; no role assignment).
 */
describe('/auth/callback refusals and failures', () => {
  let w: World;
  beforeEach(async () => {
    w = await startWorld();
  });
  afterEach(() => w.close());

  /** Runs `act` and checks: status, page text, conversation text, unchanged store and Microsoft, an audit entry. */
  async function expectNothingChanged(act: () => Promise<{ status: number; html: string }>, want: { status?: number; page: RegExp; message?: RegExp; outcome?: 'refused' | 'failure' }) {
    const before = await snapshot(w);
    const auditBefore = (await w.bot.deps.store.audit.list(w.workspaceId)).length;
    const from = w.connector.activities.length;
    const page = await act();
    expect(page.status).toBe(want.status ?? 400);
    expect(page.html).toMatch(want.page);
    expect(page.html).toContain('Nothing was granted or changed.');
    if (want.message) {
      await w.waitForMessage((a) => w.connector.activities.indexOf(a) >= from && a.body.type === 'message');
      expect(postedSince(w, from)).toMatch(want.message);
      expect(postedSince(w, from)).toContain('Nothing was granted or changed.');
    }
    expect(await snapshot(w)).toEqual(before);
    const audit = (await w.bot.deps.store.audit.list(w.workspaceId)).slice(auditBefore);
    if (want.outcome) expect(audit.map((a) => a.outcome)).toEqual([want.outcome]);
    return { page, audit };
  }

  test('a reused state: the second use of a callback URL is refused', async () => {
    const { url } = await connectCard(w, w.people.adele);
    const redirect = await w.signInRedirect(url, w.people.adele.upn);
    if (!(redirect instanceof URL)) throw new Error(redirect.errorPage);
    const first = await w.openCallback(redirect.toString());
    expect(first.status).toBe(200);
    await expectNothingChanged(() => w.openCallback(redirect.toString()), { page: /already used/, message: /already used/, outcome: 'refused' });
  });

  test('two callbacks racing with the same state: exactly one wins', async () => {
    const { url } = await connectCard(w, w.people.adele);
    const redirect = await w.signInRedirect(url, w.people.adele.upn);
    if (!(redirect instanceof URL)) throw new Error(redirect.errorPage);
    const results = await Promise.all([w.openCallback(redirect.toString()), w.openCallback(redirect.toString())]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
  });

  test('an expired state (11 minutes later) is refused', async () => {
    const { url } = await connectCard(w, w.people.adele);
    w.clock.advance(11 * 60 * 1000);
    await expectNothingChanged(() => w.completeSignIn(url, w.people.adele.upn), { page: /expired/, message: /expired: links work for 10 minutes/, outcome: 'refused' });
  });

  test("a state from another user: Megan's link completed by Adele's sign-in is refused", async () => {
    const { url } = await connectCard(w, w.people.megan);
    const { audit } = await expectNothingChanged(() => w.completeSignIn(url, w.people.adele.upn), { page: /made for Megan Bowen/, message: /made for Megan Bowen/, outcome: 'refused' });
    expect(audit[0]).toMatchObject({ actor: w.people.megan.aadObjectId, action: 'consent.callback', detail: { signedInUser: w.people.adele.aadObjectId } });
    // The refusal is told in Megan's conversation, not Adele's.
    expect(w.connector.activities.at(-1)!.path).toContain(encodeURIComponent(`a:personal-${w.people.megan.id}`));
  });

  test('a bad PKCE verifier: a code delivered with another of her states fails with AADSTS501481', async () => {
    const first = await connectCard(w, w.people.adele);
    const second = await connectCard(w, w.people.adele);
    const redirect = await w.signInRedirect(first.url, w.people.adele.upn);
    if (!(redirect instanceof URL)) throw new Error(redirect.errorPage);
    redirect.searchParams.set('state', new URL(second.url).searchParams.get('state')!);
    const { audit } = await expectNothingChanged(() => w.openCallback(redirect.toString()), { page: /AADSTS501481/, message: /AADSTS501481/, outcome: 'failure' });
    expect(audit[0]).toMatchObject({ action: 'consent.redeem', detail: { kind: 'invalidGrant', aadsts: 501481 } });
  });

  test('access_denied: the user cancels on the consent page', async () => {
    const { url } = await connectCard(w, w.people.adele);
    const { audit } = await expectNothingChanged(() => w.completeSignIn(url, w.people.adele.upn, { accept: false }), { status: 200, page: /Sign-in cancelled/, message: /cancelled at Microsoft/, outcome: 'failure' });
    expect(audit[0].detail).toMatchObject({ kind: 'cancelled', aadsts: 65004, code: 'access_denied' });
  });

  test('AADSTS53003: Conditional Access blocks the sign-in (the error comes back through the redirect)', async () => {
    const { url } = await connectCard(w, w.people.adele);
    w.emulator.control.setConditionalAccessBlock(w.workspaceId, true);
    await expectNothingChanged(() => w.completeSignIn(url, w.people.adele.upn), { page: /Conditional Access/, message: /AADSTS53003.*Conditional Access/s, outcome: 'failure' });
  });

  test('AADSTS65001: consent withdrawn before the code is redeemed', async () => {
    const { url } = await connectCard(w, w.people.adele);
    const redirect = await w.signInRedirect(url, w.people.adele.upn);
    if (!(redirect instanceof URL)) throw new Error(redirect.errorPage);
    w.emulator.control.revokeConsent(w.workspaceId);
    await expectNothingChanged(() => w.openCallback(redirect.toString()), { page: /AADSTS65001/, message: /Consent is missing/, outcome: 'failure' });
  });

  test('AADSTS7000222: the client secret expired before the code is redeemed', async () => {
    const { url } = await connectCard(w, w.people.adele);
    const redirect = await w.signInRedirect(url, w.people.adele.upn);
    if (!(redirect instanceof URL)) throw new Error(redirect.errorPage);
    w.emulator.control.expireClientSecret();
    await expectNothingChanged(() => w.openCallback(redirect.toString()), { page: /AADSTS7000222/, message: /client secret has expired/, outcome: 'failure' });
  });

  test.each([
    ['invalid_grant', 50173, 'The provided grant has expired due to it being revoked.', /revoked/],
    ['invalid_grant', 700082, 'The refresh token has expired due to inactivity.', /expired/],
    ['invalid_grant', 70043, 'The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.', /sign-in frequency/],
    ['invalid_request', 90002, "Tenant 'nope' not found.", /another tenant or account/],
    ['consent_required', 65001, 'The user or administrator has not consented to use the application.', /Consent is missing/],
    ['access_denied', 90094, 'Admin consent is required for the permissions requested by this application.', /Global Administrator/],
    ['invalid_client', 7000215, 'Invalid client secret provided.', /client secret is wrong/],
    ['server_error', 50000, 'There was an error issuing a token.', /Try again/],
  ])('an authorize redirect with %s AADSTS%i gives its explanation', async (error, code, text, fix) => {
    const { url } = await connectCard(w, w.people.adele);
    const state = new URL(url).searchParams.get('state')!;
    const callback = `${w.bot.deps.config.publicBaseUrl}/auth/callback?${new URLSearchParams({ error, error_description: `AADSTS${code}: ${text} Trace ID: abc Correlation ID: def`, state })}`;
    const { audit } = await expectNothingChanged(() => w.openCallback(callback), { page: new RegExp(`AADSTS${code}`), message: fix, outcome: 'failure' });
    expect(audit[0].detail).toMatchObject({ aadsts: code, code: error });
  });

  test('AADSTS7000215: a wrong client secret fails the code redemption', async () => {
    await w.close();
    w = await startWorld({ env: { ENTRA_APP_CLIENT_SECRET: 'this-is-not-the-secret' } });
    const { url } = await connectCard(w, w.people.adele);
    await expectNothingChanged(() => w.completeSignIn(url, w.people.adele.upn), { page: /AADSTS7000215/, message: /client secret is wrong/, outcome: 'failure' });
  });

  test('a code for another tenant: an add-subscriptions link (bound to the tenant) redeemed with a customer tenant code', async () => {
    await connectAs(w, w.people.adele);
    w.clock.advance(61 * 60 * 1000);
    const add = await w.say(w.people.adele, 'add subscriptions');
    const bound = (add.card?.actions as { type: string; url: string }[]).find((a) => a.type === 'Action.OpenUrl')!.url;
    const other = await connectCard(w, w.people.adele);
    const customer = w.emulator.world.tenants().find((t) => t.kind === 'customer')!;
    const redirect = await w.signInRedirect(other.url, w.emulator.world.admins(customer.id)[0].userPrincipalName);
    if (!(redirect instanceof URL)) throw new Error(redirect.errorPage);
    redirect.searchParams.set('state', new URL(bound).searchParams.get('state')!);
    await expectNothingChanged(() => w.openCallback(redirect.toString()), { page: /AADSTS700005/, message: /another tenant/, outcome: 'failure' });
  });

  test('malformed, forged and foreign states: a page and no message; the workspace of another Teams tenant is never touched', async () => {
    const base = `${w.bot.deps.config.publicBaseUrl}/auth/callback`;
    const from = w.connector.activities.length;
    const none = await w.openCallback(`${base}?code=abc`);
    expect(none).toMatchObject({ status: 400 });
    expect(none.html).toContain('not valid');
    const forged = await w.openCallback(`${base}?code=abc&state=${'A'.repeat(43)}.${Buffer.from(w.workspaceId).toString('base64url')}`);
    expect(forged.html).toContain('unknown');
    // Adele's real state with its workspace part swapped for another tenant's: not found there.
    const { url } = await connectCard(w, w.people.adele);
    const [id] = new URL(url).searchParams.get('state')!.split('.');
    const swapped = await w.openCallback(`${base}?code=abc&state=${id}.${Buffer.from(w.people.outsider.tenantId).toString('base64url')}`);
    expect(swapped.html).toContain('unknown');
    expect(await w.bot.deps.store.consentStates.find(w.people.outsider.tenantId)).toEqual([]);
    expect(await w.bot.deps.store.audit.list(w.people.outsider.tenantId)).toEqual([]);
    // Her state is untouched: it still completes.
    const page = await w.completeSignIn(url, w.people.adele.upn);
    expect(page.status).toBe(200);
    expect(postedSince(w, from)).not.toMatch(/refused/);
  });

  test('open redirect attempts: the callback never redirects and never echoes a URL it was given', async () => {
    const { url } = await connectCard(w, w.people.adele);
    const state = new URL(url).searchParams.get('state')!;
    const evil = 'https://evil.example/steal';
    for (const q of <Record<string, string>[]>[
      { state, error: 'server_error', error_description: `AADSTS50000: see ${evil} <script>location="${evil}"</script>`, redirect_uri: evil, return_to: evil, next: evil },
      { code: 'x', state: `${state}x`, redirect_uri: evil },
    ]) {
      const res = await w.openCallback(`${w.bot.deps.config.publicBaseUrl}/auth/callback?${new URLSearchParams(q)}`);
      expect(res.location).toBeNull();
      expect([200, 400]).toContain(res.status);
      expect(res.html).not.toContain('<script');
      expect(res.html).not.toContain(evil);
    }
  });

  test('the Teams user must still be an admin when the callback arrives', async () => {
    await connectAs(w, w.people.adele);
    const store = w.bot.deps.store;
    const ws = (await store.workspaces.get(w.workspaceId, w.workspaceId))!;
    await store.workspaces.upsert({ ...ws, admins: [...ws.admins, { aadObjectId: w.people.alex.aadObjectId, name: w.people.alex.name, role: 'admin' }] });
    const { url } = await connectCard(w, w.people.alex);
    await store.workspaces.upsert(ws); // Alex is removed as admin before he signs in.
    await expectNothingChanged(() => w.completeSignIn(url, w.people.alex.upn), { page: /not an admin/, message: /not an admin/, outcome: 'refused' });
  });
});
