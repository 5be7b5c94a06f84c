import { randomBytes } from 'node:crypto';
import { connectCard } from '../consent/support.js';
import { authorizeUrlOf, startWorld, type TeamsPerson, type World } from '../support/world.js';
import { recordFigures } from './figures.js';
import { browse, EVIL_PATHS, EVIL_TARGETS, REDIRECT_PARAMS, unsafeParts, worldState } from './support/callback-probes.js';

/**
 * Issue 10 point 5: /auth/callback against the emulator's real sign-in pages. Every hostile callback (a state the
 * bot never issued, one issued to another user or workspace, a replay, an expired state, a code for another tenant,
 * open-redirect bait) gets a clear page, no redirect, and changes nothing: no workspace, tenant or subscription
 * record, no role assignment written or deleted at Microsoft, in this workspace or the other one.
 */
describe('consent callback refusals', () => {
  let w: World;
  let refused = 0;
  const authorizeUrls: string[] = [];

  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w?.close();
    recordFigures('consent-callback', { 'consent callbacks refused': refused });
  });

  const base = () => `${w.bot.deps.config.publicBaseUrl}/auth/callback`;
  const stateOf = (url: string | URL) => new URL(url).searchParams.get('state')!;
  const workspacePart = (id: string) => Buffer.from(id, 'utf8').toString('base64url');

  /** A sign-in link for `user` and where Microsoft sends the browser back (code + state), not yet opened. */
  async function redirectFor(user: TeamsPerson, signInAs = user.upn, link?: string): Promise<URL> {
    const url = link ?? (await connectCard(w, user)).url;
    authorizeUrls.push(url);
    const redirect = await w.signInRedirect(url, signInAs);
    if (!(redirect instanceof URL)) throw new Error(`sign-in stopped at Microsoft: ${redirect.errorPage.slice(0, 300)}`);
    return redirect;
  }

  /** Runs a hostile callback and checks the page, its safety, and that nothing changed anywhere. */
  async function expectRefused(label: string, act: () => Promise<{ status: number; html: string; location?: string | null; headers?: Headers }>, page: RegExp, echo: 'none' | 'inert' = 'none') {
    const before = await worldState(w, [w.people.outsider.tenantId]);
    const res = await act();
    expect({ label, status: res.status, page: page.test(res.html), nothingChanged: res.html.includes('Nothing was granted or changed.'), unsafe: unsafeParts(res, echo) }).toEqual({
      label, status: 400, page: true, nothingChanged: true, unsafe: [],
    });
    expect(await worldState(w, [w.people.outsider.tenantId])).toEqual(before);
    refused++;
  }

  test('CSRF: states the bot never issued are unknown or invalid; the real one still works afterwards, redirect bait ignored', async () => {
    const genuine = await redirectFor(w.people.adele);
    const code = genuine.searchParams.get('code')!;
    const [id] = stateOf(genuine).split('.');
    const forgedStates: [string, string | string[]][] = [
      ['a random state in this workspace', `${randomBytes(32).toString('base64url')}.${workspacePart(w.workspaceId)}`],
      ["Adele's state id moved to another workspace", `${id}.${workspacePart(w.people.outsider.tenantId)}`],
      ["Adele's state id in a made-up workspace", `${id}.${workspacePart('00000000-0000-4000-8000-000000000000')}`],
      ['one character changed', `${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}.${workspacePart(w.workspaceId)}`],
      ['no workspace part', id],
      ['empty', ''],
      ['too long', 'A'.repeat(400)],
      ['padded workspace part', `${id}.${workspacePart(w.workspaceId)}=`],
      ['state given twice', [stateOf(genuine), stateOf(genuine)]],
      ['operator-shaped', '{"$ne":null}'],
    ];
    for (const [label, state] of forgedStates) {
      const query = new URLSearchParams({ code });
      for (const s of Array.isArray(state) ? state : [state]) query.append('state', s);
      await expectRefused(label, () => browse(`${base()}?${query}`), /This sign-in link is (unknown|not valid)/);
    }
    // None of that touched Adele's state: her own callback still connects, and its redirect bait is ignored.
    const bait = new URL(genuine);
    for (const p of REDIRECT_PARAMS) bait.searchParams.set(p, EVIL_TARGETS[0]);
    const page = await browse(bait.toString());
    expect({ status: page.status, unsafe: unsafeParts(page) }).toEqual({ status: 200, unsafe: [] });
    expect(await w.bot.deps.store.tenants.count(w.workspaceId)).toBe(1);
    // The replay of that same callback comes later; keep it.
    replayable = genuine;
  });
  let replayable: URL;

  test("CSRF: a state issued to another user, or in another workspace, does not complete with Adele's sign-in", async () => {
    // Megan becomes an admin (as Adele would make her with `admins add`), so that she may start a connect.
    const store = w.bot.deps.store;
    const ws = (await store.workspaces.get(w.workspaceId, w.workspaceId))!;
    await store.workspaces.upsert({ ...ws, admins: [...ws.admins, { aadObjectId: w.people.megan.aadObjectId, name: w.people.megan.name, role: 'admin' }] });
    const megan = await connectCard(w, w.people.megan);
    authorizeUrls.push(megan.url);
    await expectRefused("Megan's link completed by Adele's account", async () => browse((await redirectFor(w.people.megan, w.people.adele.upn, megan.url)).toString()), /Sign-in refused[\s\S]*made for Megan Bowen/);
    // Adele's own code delivered with a state issued to Megan: the PKCE verifier is Megan's, so Microsoft refuses.
    const megan2 = await connectCard(w, w.people.megan);
    const adeles = await redirectFor(w.people.adele);
    adeles.searchParams.set('state', stateOf(megan2.url));
    await expectRefused("Adele's code with Megan's state", () => browse(adeles.toString()), /Sign-in failed[\s\S]*AADSTS501481/);
    // A state from another Teams tenant's workspace (Mallory's), with Adele's code.
    const mallory = await w.say(w.people.outsider, 'connect');
    const malloryState = stateOf(authorizeUrlOf(mallory.card));
    expect(Buffer.from(malloryState.split('.')[1], 'base64url').toString()).toBe(w.people.outsider.tenantId);
    const adeles2 = await redirectFor(w.people.adele);
    adeles2.searchParams.set('state', malloryState);
    await expectRefused("Adele's code with a state of another workspace", () => browse(adeles2.toString()), /Sign-in failed[\s\S]*AADSTS501481/);
  });

  test('replay: a used state+code, a redeemed code with a fresh state, and the loser of a race are refused', async () => {
    await expectRefused('the first connect replayed', () => browse(replayable.toString()), /already used/);
    const fresh = await connectCard(w, w.people.adele);
    const withOldCode = new URL(base());
    withOldCode.searchParams.set('code', replayable.searchParams.get('code')!);
    withOldCode.searchParams.set('state', stateOf(fresh.url));
    await expectRefused('a redeemed code with a fresh state', () => browse(withOldCode.toString()), /Sign-in failed/);

    const race = await redirectFor(w.people.adele);
    const roleWrites = w.emulator.control.writes('roleAssignment.create').length;
    const both = await Promise.all([browse(race.toString()), browse(race.toString())]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 400]);
    expect(both.find((r) => r.status === 400)!.html).toMatch(/already used/);
    expect(both.flatMap((r) => unsafeParts(r))).toEqual([]);
    expect(w.emulator.control.writes('roleAssignment.create').length).toBe(roleWrites); // a reconnect: already assigned
    refused++;
    await expectRefused('the race replayed once more', () => browse(race.toString()), /already used/);
  });

  test('expired: a state used 10 minutes and 1 second after it was issued, then the same again', async () => {
    const card = await connectCard(w, w.people.adele);
    authorizeUrls.push(card.url);
    w.clock.advance(10 * 60_000 + 1000);
    const redirect = await redirectFor(w.people.adele, w.people.adele.upn, card.url);
    await expectRefused('expired', () => browse(redirect.toString()), /expired: links work for 10 minutes/);
    await expectRefused('expired, replayed', () => browse(redirect.toString()), /already used/);
  });

  test('a code issued for another tenant than the one the state is bound to (add subscriptions, reconnect)', async () => {
    w.clock.advance(61 * 60_000); // the delegated window of the first connect is over, so both ask for a sign-in
    const customer = w.emulator.world.tenants().find((t) => t.kind === 'customer')!;
    const customerAdmin = w.emulator.world.admins(customer.id)[0].userPrincipalName;
    const bound = [
      ['add subscriptions', authorizeUrlOf((await w.say(w.people.adele, 'add subscriptions')).card)],
      ['reconnect', authorizeUrlOf((await w.click('connect', { tenantId: w.workspaceId }, w.people.adele)).card)],
    ];
    for (const [label, url] of bound) {
      authorizeUrls.push(url);
      expect(new URL(url).pathname).toContain(w.workspaceId); // the authority is the connected tenant
      const customerRedirect = await redirectFor(w.people.adele, customerAdmin);
      customerRedirect.searchParams.set('state', stateOf(url));
      await expectRefused(`${label} state with a customer-tenant code`, () => browse(customerRedirect.toString()), /Sign-in failed[\s\S]*AADSTS700005/);
    }
  });

  test('open redirect: no answer of /auth/callback redirects, refreshes, links or echoes the target, encoded or not', async () => {
    for (const target of EVIL_TARGETS) {
      const unknown = new URLSearchParams({ code: 'x', state: `${randomBytes(32).toString('base64url')}.${workspacePart(w.workspaceId)}` });
      for (const p of REDIRECT_PARAMS) unknown.set(p, target);
      await expectRefused(`unknown state, ${target}`, () => browse(`${base()}?${unknown}`), /unknown/);
      // A real state with Microsoft's error coming back, the bait in the error text as well.
      const card = await connectCard(w, w.people.adele);
      const failed = new URLSearchParams({ state: stateOf(card.url), error: 'invalid_request', error_description: `AADSTS90002: Tenant not found. Go to ${target}` });
      for (const p of REDIRECT_PARAMS) failed.set(p, target);
      await expectRefused(`Microsoft error, ${target}`, () => browse(`${base()}?${failed}`), /Sign-in failed/, 'inert');
    }
    const origin = new URL(base()).origin;
    for (const path of EVIL_PATHS) {
      const res = await browse(`${origin}${path}?code=x&state=y&redirect_uri=${encodeURIComponent(EVIL_TARGETS[0])}`);
      expect({ path, unsafe: unsafeParts(res) }).toEqual({ path, unsafe: [] });
    }
    // The only redirect in the flow is Microsoft's, to the redirect_uri the bot put in its links: always our callback.
    expect(authorizeUrls.length).toBeGreaterThan(8);
    for (const url of authorizeUrls) expect(new URL(url).searchParams.get('redirect_uri')).toBe(base());
    console.log(`consent callback: ${refused} hostile callbacks refused, ${authorizeUrls.length} authorize links checked`);
  });
});
