import type { Subscription } from '../../src/store/types.js';
import type { World } from '../support/world.js';
import { connectedWorld, inChannel } from '../subscriptions/support.js';

/** tags.sync over several ARM pages: follows nextLink, stores page by page, counts added and removed resources. */
test('450 resources over 3 pages: every page stored, new resources counted as added, vanished ones removed', async () => {
  const w: World & { sp: string; subs: Subscription[] } = await connectedWorld({ emulator: { size: { resourcesPerSubscription: 450 } } });
  try {
    const sub = w.subs[0];
    const store = w.bot.deps.store;
    const syncNow = async () => {
      const from = w.connector.activities.length;
      await inChannel(w, w.people.adele, `sync tags ${sub.subscriptionId}`);
      const card = await w.waitForMessage((a) => w.connector.activities.indexOf(a) >= from && JSON.stringify(a.body.attachments ?? '').includes('Tag sync:'), 20_000);
      const facts = (card.body.attachments[0].content.body as { facts?: { title: string; value: string }[] }[]).flatMap((b) => b.facts ?? []);
      return Object.fromEntries(facts.map((f) => [f.title, f.value]));
    };
    w.emulator.control.clearLogs();
    const first = await syncNow();
    expect(first['Resources seen']).toBe('450 (3 pages)');
    expect(first.Added).toBe('450');
    const lists = w.emulator.control.requests('arm').filter((r) => r.method === 'GET' && r.url.includes(`/subscriptions/${sub.subscriptionId}/resources`));
    expect(lists).toHaveLength(3);
    expect(lists.slice(1).every((r) => r.url.includes('skiptoken'))).toBe(true);
    expect(await store.resources.count(w.workspaceId, { subscriptionId: sub.subscriptionId })).toBe(450);

    // A resource we stored earlier that Azure no longer has, and two new ones in Azure.
    const [kept] = await store.resources.find(w.workspaceId, { subscriptionId: sub.subscriptionId }, { limit: 1 });
    const gone = { ...kept, id: `${kept.tenantId}/${kept.armId.toLowerCase()}-deleted`, armId: `${kept.armId}-deleted`, name: `${kept.name}-deleted` };
    await store.resources.upsert(gone);
    w.emulator.control.addResources(sub.subscriptionId, 2);
    const second = await syncNow();
    expect(second.Added).toBe('2');
    expect(second.Removed).toBe('1');
    expect(second['Resources seen']).toBe('452 (3 pages)');
    expect(await store.resources.get(w.workspaceId, gone.id)).toBeUndefined();
    expect(await store.resources.count(w.workspaceId, { subscriptionId: sub.subscriptionId })).toBe(452);
    expect(await store.subscriptions.get(w.workspaceId, sub.id)).toMatchObject({ counts: { resources: 452 }, lastSyncOutcome: 'success' });
  } finally {
    await w.close();
  }
}, 60_000);
