import { ROLE_IDS } from '../../src/microsoft/index.js';
import { credentialSealContext } from '../../src/features/health/credentials.js';
import { scopedId } from '../../src/store/types.js';
import { startWorld, type World } from '../support/world.js';
import { connectAs, connectCard, postedSince, resultRows, snapshot } from './support.js';

/** connect, the impersonation window and add subscriptions: full turns over HTTP against the emulator. */
describe('connect', () => {
  let w: World;
  let sp: string;
  let subs: { subscriptionId: string; displayName: string; ownerIds: string[] }[];
  beforeEach(async () => {
    w = await startWorld();
    sp = w.emulator.world.demoApp.servicePrincipalIdIn(w.workspaceId);
    subs = w.emulator.world.azureSubscriptions(w.workspaceId);
  });
  afterEach(() => w.close());

  const ourCreates = () => w.emulator.control.writes('roleAssignment.create').filter((x) => (x.detail as { principalId: string }).principalId === sp);

  test('Adele: Reader is assigned to our service principal on each subscription she owns, and a result card is posted', async () => {
    const adele = w.people.adele;
    const owned = subs.filter((s) => s.ownerIds.includes(adele.aadObjectId));
    expect(owned.length).toBeGreaterThan(1);

    const { page, posted } = await connectAs(w, adele);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Connected: ');

    const creates = ourCreates();
    expect(creates.map((c) => (c.detail as { subscriptionId: string }).subscriptionId).sort()).toEqual(owned.map((s) => s.subscriptionId).sort());
    expect(creates.every((c) => (c.detail as { roleName: string }).roleName === 'Reader' && c.principal.oid === adele.aadObjectId)).toBe(true);

    // The card goes to the conversation that started the flow.
    expect(posted.path).toContain(encodeURIComponent(`a:personal-${adele.id}`));
    const rows = resultRows(posted);
    for (const s of owned) expect(rows[s.displayName]).toBe('assigned');

    const store = w.bot.deps.store;
    const workspace = await store.workspaces.get(w.workspaceId, w.workspaceId);
    expect(workspace?.admins).toEqual([expect.objectContaining({ aadObjectId: adele.aadObjectId, role: 'owner' })]);
    const tenant = await store.tenants.get(w.workspaceId, w.workspaceId);
    expect(tenant).toMatchObject({ displayName: w.emulator.world.home.displayName, consentedBy: { aadObjectId: adele.aadObjectId }, credentials: { azureConsent: { state: 'ok' }, graphConsent: { state: 'ok' } } });
    // The delegated refresh token is kept sealed, under the context health.check unseals it with.
    const sealed = tenant!.credentials.delegatedRefreshToken!.sealed!;
    expect(sealed).toMatch(/^v1\./);
    const refreshToken = w.bot.deps.sealer.unseal(sealed, credentialSealContext(w.workspaceId, w.workspaceId, 'delegatedRefreshToken'));
    expect(refreshToken.length).toBeGreaterThan(20);
    expect(sealed).not.toContain(refreshToken);

    for (const s of owned) {
      const record = await store.subscriptions.get(w.workspaceId, scopedId(w.workspaceId, s.subscriptionId));
      expect(record).toMatchObject({ role: 'Reader', syncMode: 'readTags', roleAssignmentIds: [expect.stringContaining('/roleAssignments/')] });
    }
    const audit = await store.audit.list(w.workspaceId);
    expect(audit.filter((a) => a.action === 'azure.roleAssignment.create' && a.outcome === 'success')).toHaveLength(owned.length);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['workspace.create', 'tenant.connect', 'credential.set']));
  });

  test('a second connect creates no duplicate assignment and reports "already assigned"', async () => {
    await connectAs(w, w.people.adele);
    const after = ourCreates().length;
    const { posted, page } = await connectAs(w, w.people.adele);
    expect(page.status).toBe(200);
    expect(ourCreates().length).toBe(after);
    const rows = resultRows(posted);
    for (const s of subs.filter((x) => x.ownerIds.includes(w.people.adele.aadObjectId))) expect(rows[s.displayName]).toBe('already assigned');
    expect(w.emulator.control.roleAssignments(subs[0].subscriptionId).filter((a) => a.principalId === sp)).toHaveLength(1);
  });

  test('Megan, an admin who owns nothing, gets "skipped (not owner)" and nothing is written', async () => {
    await connectAs(w, w.people.adele);
    const store = w.bot.deps.store;
    const ws = (await store.workspaces.get(w.workspaceId, w.workspaceId))!;
    await store.workspaces.upsert({ ...ws, admins: [...ws.admins, { aadObjectId: w.people.megan.aadObjectId, name: w.people.megan.name, role: 'admin' }] });
    // Megan can see one subscription (Reader) but may not assign roles there.
    const target = subs[0].subscriptionId;
    w.emulator.control.removeRoleAssignment(target, sp, ROLE_IDS.Reader);
    w.emulator.control.assignRole(target, w.people.megan.aadObjectId, ROLE_IDS.Reader);
    const before = ourCreates().length;

    const { posted } = await connectAs(w, w.people.megan);
    expect(resultRows(posted)).toEqual({ [subs[0].displayName]: 'skipped (not owner)' });
    expect(ourCreates().length).toBe(before);
    expect(JSON.stringify(posted.body)).toContain('0 of 1 subscription(s); 1 skipped (not owner)');
  });

  test('a viewer may not connect once the workspace exists; the refusal is audited', async () => {
    await connectAs(w, w.people.adele);
    const turn = await w.say(w.people.megan, 'connect');
    expect(turn.text).toMatch(/Only workspace admins can connect a tenant/);
    expect(turn.card).toBeUndefined();
    const audit = await w.bot.deps.store.audit.list(w.workspaceId, { where: { action: 'consent.connect', outcome: 'refused' } });
    expect(audit).toHaveLength(1);
  });

  test('the result goes to the conversation that started it: a connect from a channel posts there', async () => {
    const channel = '19:it-ops@thread.tacv2';
    const { posted } = await connectAs(w, w.people.adele, channel);
    expect(posted.path).toContain(encodeURIComponent(channel));
  });

  test('add subscriptions: uses the open window, then asks for a new sign-in once it has closed', async () => {
    await connectAs(w, w.people.adele);
    const target = subs[0];
    w.emulator.control.removeRoleAssignment(target.subscriptionId, sp, ROLE_IDS.Reader);
    const before = ourCreates().length;

    const inWindow = await w.say(w.people.adele, 'add subscriptions');
    expect(inWindow.card?.actions?.some((a: { type: string }) => a.type === 'Action.OpenUrl')).toBe(false);
    expect(resultRows(inWindow.replies[0])[target.displayName]).toBe('assigned');
    expect(ourCreates().length).toBe(before + 1);

    // Megan (an admin too) cannot ride on Adele's window.
    const store = w.bot.deps.store;
    const ws = (await store.workspaces.get(w.workspaceId, w.workspaceId))!;
    await store.workspaces.upsert({ ...ws, admins: [...ws.admins, { aadObjectId: w.people.megan.aadObjectId, name: w.people.megan.name, role: 'admin' }] });
    const megans = await w.say(w.people.megan, 'add subscriptions');
    expect(megans.text).toContain('no open sign-in window');

    w.clock.advance(61 * 60 * 1000);
    const closed = await w.say(w.people.adele, 'add subscriptions');
    expect(closed.text).toContain('no open sign-in window');
    const url = (closed.card?.actions as { type: string; url: string }[]).find((a) => a.type === 'Action.OpenUrl')!.url;
    expect(new URL(url).pathname).toBe(`/${w.workspaceId}/oauth2/v2.0/authorize`);
    const from = w.connector.activities.length;
    const page = await w.completeSignIn(url, w.people.adele.upn);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Subscriptions added');
    await w.waitForMessage((a) => w.connector.activities.indexOf(a) >= from && JSON.stringify(a.body).includes('Subscriptions added'));
    expect(postedSince(w, from)).toContain('already assigned');
    expect(ourCreates().length).toBe(before + 1);
  });

  test('a user of another Teams tenant sees nothing of this workspace and cannot act on it', async () => {
    await connectAs(w, w.people.adele);
    const before = await snapshot(w);
    const outsider = w.people.outsider;
    const add = await w.say(outsider, 'add subscriptions');
    expect(add.text).toMatch(/not connected yet/);
    expect(add.text).not.toContain(w.emulator.world.home.displayName);
    // Their connect starts a flow for their own workspace only.
    const theirs = await w.say(outsider, 'connect');
    const state = new URL((theirs.card?.actions as { type: string; url: string }[])[0].url).searchParams.get('state')!;
    expect(Buffer.from(state.split('.')[1], 'base64url').toString()).toBe(outsider.tenantId);
    expect(await w.bot.deps.store.consentStates.count(outsider.tenantId)).toBe(1);
    expect(await snapshot(w)).toEqual(before);
  });

  test('Cancel: only the user who asked, in the same conversation, can cancel; a cancelled link changes nothing', async () => {
    const adele = w.people.adele;
    const { url, consentId } = await connectCard(w, adele);
    const megan = await w.click('consent.cancel', { consentId }, w.people.megan);
    expect(megan.text).toContain('not yours to cancel');
    const elsewhere = await w.click('consent.cancel', { consentId }, adele, '19:another@thread.tacv2');
    expect(elsewhere.text).toContain('not yours to cancel');
    const outsider = await w.click('consent.cancel', { consentId }, w.people.outsider);
    expect(outsider.text).toContain('not yours to cancel');
    expect((await w.bot.deps.store.consentStates.get(w.workspaceId, consentId))?.status).toBe('pending');

    const mine = await w.click('consent.cancel', { consentId }, adele);
    expect(JSON.stringify(mine.body)).toContain('Cancelled');
    const before = await snapshot(w);
    const page = await w.completeSignIn(url, adele.upn);
    expect(page.status).toBe(400);
    expect(page.html).toContain('cancelled in Teams');
    expect(await snapshot(w)).toEqual(before);
    const refusals = await w.bot.deps.store.audit.list(w.workspaceId, { where: { action: 'consent.cancel', outcome: 'refused' } });
    expect(refusals.map((r) => r.detail?.reason)).toEqual(['another user', 'another conversation']);
  });
});
