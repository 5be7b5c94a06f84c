import { ROLE_IDS } from '../../src/microsoft/index.js';
import type { Subscription } from '../../src/store/types.js';
import type { World } from '../support/world.js';
import { clickInChannel, connectedWorld, inChannel, invokeCard, openUrlOf } from './support.js';

/**
 * Issue 5's acceptance, end to end over HTTP: `subscriptions`, change one to Read and Write Tags, a second seeded
 * admin (Alex Wilber) approves and signs in, Tag Contributor is assigned and Reader removed, `tag`, `sync tags`,
 * the Merge PATCH in the emulator and the summary card.
 */
test('subscriptions → Read and Write Tags → Alex approves and signs in → tag → sync tags → Merge PATCH and a summary card', async () => {
  const w: World & { sp: string; subs: Subscription[] } = await connectedWorld();
  try {
    const alexOwns = w.emulator.world.azureSubscriptions(w.workspaceId).filter((s) => s.ownerIds.includes(w.people.alex.aadObjectId)).map((s) => s.subscriptionId);
    const sub = w.subs.find((s) => alexOwns.includes(s.subscriptionId))!;
    const list = await w.say(w.people.adele, 'subscriptions');
    expect(JSON.stringify(list.card)).toContain(sub.displayName);
    await w.click('subscriptions.setMode', { subscriptionId: sub.id, mode: 'readWriteTags' }, w.people.adele);
    const [approval] = await w.bot.deps.store.approvals.find(w.workspaceId);
    const inTheChannel = approval.cards!.find((c) => c.conversationId.startsWith('19:'))!;
    const signIn = invokeCard(await clickInChannel(w, 'approval.approve', { approvalId: approval.id }, w.people.alex, inTheChannel.activityId));
    const page = await w.completeSignIn(openUrlOf(signIn), w.people.alex.upn);
    expect(page.status).toBe(200);
    const ours = w.emulator.control.roleAssignments(sub.subscriptionId).filter((a) => a.principalId === w.sp).map((a) => a.roleDefinitionGuid);
    expect(ours).toEqual([ROLE_IDS['Tag Contributor']]);

    const first = w.connector.activities.length;
    await inChannel(w, w.people.adele, `sync tags ${sub.displayName}`);
    await w.waitForMessage((a) => w.connector.activities.indexOf(a) >= first && JSON.stringify(a.body.attachments ?? '').includes('Tag sync:'), 20_000);
    const [resource] = await w.bot.deps.store.resources.find(w.workspaceId, { subscriptionId: sub.subscriptionId }, { limit: 1 });
    const queued = await w.say(w.people.adele, `tag ${resource.name} owner=finance`);
    expect(queued.text).toContain('Queued');
    const second = w.connector.activities.length;
    await inChannel(w, w.people.adele, `sync tags ${sub.subscriptionId}`);
    const summary = await w.waitForMessage((a) => w.connector.activities.indexOf(a) >= second && JSON.stringify(a.body.attachments ?? '').includes('Tag sync:'), 20_000);
    expect(JSON.stringify(summary.body)).toContain('{"title":"Edits applied","value":"1"}');
    expect(w.emulator.control.writes('tags.patch')).toEqual([expect.objectContaining({ method: 'PATCH', detail: expect.objectContaining({ scope: resource.armId, operation: 'Merge', tags: { owner: 'finance' } }) })]);
  } finally {
    await w.close();
  }
}, 60_000);
