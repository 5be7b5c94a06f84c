import { ROLE_IDS } from '../../src/microsoft/index.js';
import type { Subscription } from '../../src/store/types.js';
import type { World } from '../support/world.js';
import { connectAs } from '../consent/support.js';
import { buttons, clickInChannel, CHANNEL, connectedWorld, invokeCard, openUrlOf, updatesSince } from './support.js';

/** Read and Write Tags: request, user-specific approval card, the approver's Owner sign-in and the role swap. Full turns over HTTP. */
describe('Read and Write Tags approval', () => {
  let w: World & { sp: string; subs: Subscription[] };
  let sub: Subscription;
  beforeEach(async () => {
    w = await connectedWorld();
    const alexOwns = w.emulator.world.azureSubscriptions(w.workspaceId).filter((s) => s.ownerIds.includes(w.people.alex.aadObjectId)).map((s) => s.subscriptionId);
    sub = w.subs.find((s) => alexOwns.includes(s.subscriptionId))!;
  });
  afterEach(() => w.close());

  const store = () => w.bot.deps.store;
  const approvalOf = async () => (await store().approvals.find(w.workspaceId, { subscriptionId: sub.subscriptionId }))[0];
  const ourRoles = () => w.emulator.control.roleAssignments(sub.subscriptionId).filter((a) => a.principalId === w.sp).map((a) => a.roleDefinitionGuid).sort();
  const request = async () => {
    const before = w.connector.activities.length;
    const res = await w.click('subscriptions.setMode', { subscriptionId: sub.id, mode: 'readWriteTags' }, w.people.adele);
    const posted = w.connector.activities.slice(before).filter((a) => a.method === 'POST' && a.body.attachments?.[0]?.content?.refresh);
    return { res, posted, approval: await approvalOf() };
  };
  const refusals = async (action: string) => (await store().audit.list(w.workspaceId)).filter((a) => a.action === action && a.outcome === 'refused');

  test('happy path: request → user-specific views → Alex approves → signs in → Tag Contributor assigned, then Reader removed → everyone sees the outcome', async () => {
    expect(ourRoles()).toEqual([ROLE_IDS.Reader]);
    const { res, posted, approval } = await request();
    expect(JSON.stringify(res.body)).toContain('Requested');
    expect(approval).toMatchObject({ status: 'pending', requestedBy: { aadObjectId: w.people.adele.aadObjectId }, request: { fromMode: 'readTags', toMode: 'readWriteTags' } });
    expect(Date.parse(approval.expiresAt) - Date.parse(approval.requestedAt)).toBe(24 * 3600_000);
    // One copy in the approvals channel, one in the requester's chat; the shared view offers no decision.
    const paths = posted.map((p) => decodeURIComponent(p.path));
    expect(paths).toHaveLength(2);
    expect(paths).toEqual(expect.arrayContaining([expect.stringContaining(`a:personal-${w.people.adele.id}`), expect.stringContaining(CHANNEL)]));
    const shared = posted[0].body.attachments[0].content;
    expect(buttons(shared)).toEqual(['Show my options']);
    expect(JSON.stringify(shared)).toContain('Alex Wilber');
    expect(shared.refresh).toMatchObject({ action: { type: 'Action.Execute', verb: 'approval.view', data: { approvalId: approval.id } } });
    expect(shared.refresh.userIds.sort()).toEqual([w.people.alex.id, w.people.megan.id].sort());
    expect(approval.cards).toHaveLength(2);
    const channelCopy = approval.cards!.find((c) => c.conversationId === CHANNEL)!;

    // The refresh gives each user their own view, in the invoke response only (no PUT of the shared message).
    let from = w.connector.activities.length;
    const alexView = invokeCard(await clickInChannel(w, 'approval.view', { approvalId: approval.id }, w.people.alex, channelCopy.activityId, 'automatic'));
    expect(buttons(alexView)).toEqual(['Approve', 'Reject']);
    expect(alexView!.refresh.userIds).toContain(w.people.alex.id);
    const adeleView = invokeCard(await clickInChannel(w, 'approval.view', { approvalId: approval.id }, w.people.adele, channelCopy.activityId, 'automatic'));
    expect(buttons(adeleView)).toEqual(['Show my options']);
    // A client that does not refresh by itself: the same view on a click.
    expect(buttons(invokeCard(await clickInChannel(w, 'approval.view', { approvalId: approval.id }, w.people.alex, channelCopy.activityId)))).toEqual(['Approve', 'Reject']);
    expect(updatesSince(w, from)).toEqual([]);

    // Alex approves: his view becomes the sign-in; every OTHER copy shows "approved, waiting for the sign-in". The copy
    // he clicked is not PUT: a PUT replaces it for him too and can land after his answer, taking the link away.
    from = w.connector.activities.length;
    const approved = invokeCard(await clickInChannel(w, 'approval.approve', { approvalId: approval.id }, w.people.alex, channelCopy.activityId));
    expect(buttons(approved)).toEqual(['Sign in to change the role', 'Get a new sign-in link']);
    expect(await approvalOf()).toMatchObject({ status: 'approved', approver: { aadObjectId: w.people.alex.aadObjectId } });
    const afterApprove = updatesSince(w, from);
    expect(afterApprove.map((u) => decodeURIComponent(u.path))).toEqual([expect.stringContaining(`a:personal-${w.people.adele.id}`)]);
    expect(decodeURIComponent(afterApprove[0].path)).not.toContain(channelCopy.activityId);
    expect(JSON.stringify(afterApprove[0].body)).toContain('Approved by Alex Wilber');
    // Alex's refresh (a reload, or "Show my options") gives his view back with a working link, not one more click.
    const refreshed = invokeCard(await clickInChannel(w, 'approval.view', { approvalId: approval.id }, w.people.alex, channelCopy.activityId, 'automatic'));
    expect(buttons(refreshed)).toEqual(['Sign in to change the role', 'Get a new sign-in link']);
    expect(openUrlOf(refreshed)).not.toBe(openUrlOf(approved)); // a fresh single-use state
    // Megan (an approver listed in refresh) sees the outcome in the clicked copy through her refresh.
    const meganView = invokeCard(await clickInChannel(w, 'approval.view', { approvalId: approval.id }, w.people.megan, channelCopy.activityId, 'automatic'));
    expect(JSON.stringify(meganView)).toContain('Approved by Alex Wilber');
    expect(buttons(meganView)).toEqual(['Show my options']);

    // Alex signs in as an Owner: Tag Contributor first, then Reader removed.
    from = w.connector.activities.length;
    const writesBefore = w.emulator.control.writes().length;
    const page = await w.completeSignIn(openUrlOf(approved), w.people.alex.upn);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Tag Contributor assigned, Reader removed');
    const writes = w.emulator.control.writes().slice(writesBefore).filter((x) => x.kind.startsWith('roleAssignment.'));
    expect(writes.map((x) => [x.kind, (x.detail as { roleName: string }).roleName, x.principal.oid])).toEqual([
      ['roleAssignment.create', 'Tag Contributor', w.people.alex.aadObjectId],
      ['roleAssignment.delete', 'Reader', w.people.alex.aadObjectId],
    ]);
    expect(ourRoles()).toEqual([ROLE_IDS['Tag Contributor']]);
    expect(await store().subscriptions.get(w.workspaceId, sub.id)).toMatchObject({ role: 'Tag Contributor', syncMode: 'readWriteTags', roleAssignmentIds: [expect.stringContaining('/roleAssignments/')] });
    expect(await approvalOf()).toMatchObject({ status: 'completed' });
    // Everyone's copy now shows the outcome, without refresh (nothing left to decide).
    const updates = updatesSince(w, from);
    expect(updates).toHaveLength(2);
    for (const u of updates) {
      expect(JSON.stringify(u.body)).toContain('Done: Tag Contributor assigned, Reader removed');
      expect(u.body.attachments[0].content.refresh).toBeUndefined();
    }
    const actions = (await store().audit.list(w.workspaceId)).map((a) => `${a.action}:${a.outcome}`);
    expect(actions).toEqual(expect.arrayContaining(['approval.request:success', 'approval.approve:success', 'azure.roleAssignment.create:success', 'azure.roleAssignment.delete:success', 'subscription.syncMode:success']));

    // A reconnect (e.g. from a health alert) must not add Reader back beside Tag Contributor.
    await connectAs(w, w.people.adele);
    expect(ourRoles()).toEqual([ROLE_IDS['Tag Contributor']]);
    expect(await store().subscriptions.get(w.workspaceId, sub.id)).toMatchObject({ role: 'Tag Contributor', syncMode: 'readWriteTags' });

    // Moving down after the same kind of sign-in: Reader restored, Tag Contributor removed.
    const down = await w.click('subscriptions.setMode', { subscriptionId: sub.id, mode: 'readTags' }, w.people.adele);
    expect(down.card).toBeDefined();
    expect((await store().subscriptions.get(w.workspaceId, sub.id))?.syncMode).toBe('readWriteTags');
    const downPage = await w.completeSignIn(openUrlOf(down.card), w.people.adele.upn);
    expect(downPage.html).toContain('Reader restored, Tag Contributor removed');
    expect(ourRoles()).toEqual([ROLE_IDS.Reader]);
    expect(await store().subscriptions.get(w.workspaceId, sub.id)).toMatchObject({ role: 'Reader', syncMode: 'readTags' });
  });

  test('the requester cannot approve their own request; refused and audited', async () => {
    const { approval } = await request();
    const turn = await w.click('approval.approve', { approvalId: approval.id }, w.people.adele);
    expect(turn.text).toContain('another workspace admin must');
    expect(await approvalOf()).toMatchObject({ status: 'pending' });
    expect(await refusals('approval.approve')).toEqual([expect.objectContaining({ actor: w.people.adele.aadObjectId, detail: expect.objectContaining({ reason: 'self-approval' }) })]);
  });

  test('a viewer cannot approve; refused and audited', async () => {
    const store_ = store();
    const ws = (await store_.workspaces.get(w.workspaceId, w.workspaceId))!;
    await store_.workspaces.upsert({ ...ws, admins: ws.admins.filter((a) => a.aadObjectId !== w.people.megan.aadObjectId) });
    const { approval } = await request();
    const turn = await w.click('approval.approve', { approvalId: approval.id }, w.people.megan);
    expect(turn.text).toContain('Only workspace admins can answer approval requests');
    expect(await approvalOf()).toMatchObject({ status: 'pending' });
    expect(await refusals('approval.approve')).toEqual([expect.objectContaining({ actor: w.people.megan.aadObjectId })]);
    // The viewer's own view of the card offers no decision either.
    expect(buttons(invokeCard(await w.click('approval.view', { approvalId: approval.id }, w.people.megan)))).toEqual(['Show my options']);
  });

  test('an expired approval cannot be approved', async () => {
    const { approval } = await request();
    w.clock.advance(24 * 3600_000 + 1000);
    const from = w.connector.activities.length;
    const turn = await w.click('approval.approve', { approvalId: approval.id }, w.people.alex);
    expect(turn.text).toContain('expired');
    expect(await approvalOf()).toMatchObject({ status: 'expired' });
    expect(ourRoles()).toEqual([ROLE_IDS.Reader]);
    expect((await store().subscriptions.get(w.workspaceId, sub.id))?.syncMode).toBe('readTags');
    expect(updatesSince(w, from).map((u) => JSON.stringify(u.body))).toEqual([expect.stringContaining('Expired'), expect.stringContaining('Expired')]);
    expect(await refusals('approval.approve')).toEqual([expect.objectContaining({ detail: expect.objectContaining({ reason: 'expired' }) })]);
  });

  test('the approvals.expire job expires a request at its time and updates every copy', async () => {
    const ws = (await store().workspaces.get(w.workspaceId, w.workspaceId))!;
    await store().workspaces.upsert({ ...ws, settings: { ...ws.settings, approvalTtlHours: 1 / 3600 } });
    const { approval } = await request();
    const deadline = Date.now() + 20_000;
    while ((await approvalOf()).status === 'pending' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await approvalOf()).toMatchObject({ status: 'expired' });
    const audit = await store().audit.list(w.workspaceId);
    expect(audit.find((a) => a.action === 'approval.expire')).toMatchObject({ actor: 'job:approvals.expire', target: approval.id });
  });

  test('a failed role assignment keeps the old mode and says why', async () => {
    const { approval } = await request();
    const approved = invokeCard(await w.click('approval.approve', { approvalId: approval.id }, w.people.megan));
    const from = w.connector.activities.length;
    // Megan is a workspace admin but owns no subscription in Azure: ARM refuses the role assignment.
    const page = await w.completeSignIn(openUrlOf(approved), w.people.megan.upn);
    expect(page.status).toBe(400);
    expect(page.html).toContain('may not assign roles on this subscription');
    expect(w.emulator.control.writes('roleAssignment.create').filter((x) => x.principal.oid === w.people.megan.aadObjectId)).toEqual([]);
    expect(ourRoles()).toEqual([ROLE_IDS.Reader]);
    expect(await store().subscriptions.get(w.workspaceId, sub.id)).toMatchObject({ role: 'Reader', syncMode: 'readTags' });
    expect(await approvalOf()).toMatchObject({ status: 'failed', detail: expect.stringContaining('may not assign roles') });
    const sent = w.connector.activities.slice(from).map((a) => JSON.stringify(a.body));
    expect(sent.filter((s) => s.includes('The role change failed, so the mode is unchanged'))).toHaveLength(2);
    expect(sent.some((s) => s.includes('stays Read Tags Only'))).toBe(true);
    const failures = (await store().audit.list(w.workspaceId)).filter((a) => a.outcome === 'failure').map((a) => a.action);
    expect(failures).toEqual(['azure.roleAssignment.create', 'subscription.syncMode']);
  });
});
