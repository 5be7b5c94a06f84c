import { MAX_CARD_BYTES } from '../../src/teams/cards.js';
import type { Subscription } from '../../src/store/types.js';
import type { World } from '../support/world.js';
import { buttons, connectedWorld } from './support.js';

/** The `subscriptions` card over HTTP: what each row says, paging of 200 subscriptions under 28 KB, who may change. */
describe('subscriptions card', () => {
  let w: World & { sp: string; subs: Subscription[] };
  beforeEach(async () => {
    w = await connectedWorld({ admins: ['alex'] });
  });
  afterEach(() => w.close());

  test('each connected subscription shows its name, id, role, mode, counts and last sync; viewers get no change button', async () => {
    const [first] = w.subs;
    await w.bot.deps.store.subscriptions.upsert({ ...first, counts: { resources: 45, tagged: 31 }, lastSyncAt: '2025-03-04T03:00:00.000Z', lastSyncOutcome: 'success' });
    const { card } = await w.say(w.people.adele, 'subscriptions');
    const text = JSON.stringify(card);
    for (const s of w.subs) {
      expect(text).toContain(s.displayName);
      expect(text).toContain(s.subscriptionId);
    }
    expect(text).toContain('role Reader · **Read Tags Only**');
    expect(text).toContain('45 resources · 31 tagged · last sync 2025-03-04 03:00 UTC (success)');
    expect(text).toContain('never synced');
    for (const meaning of ['No Resources', 'No Tags', 'Read Tags Only', 'Read and Write Tags']) expect(text).toContain(meaning);
    expect(buttons(card).filter((b) => b === 'Change sync mode')).toHaveLength(w.subs.length);
    // Megan is a viewer here: she sees the list, without change buttons.
    const viewer = await w.say(w.people.megan, 'subscriptions');
    expect(JSON.stringify(viewer.card)).toContain(w.subs[0].displayName);
    expect(buttons(viewer.card)).not.toContain('Change sync mode');
  });

  test('200 subscriptions are paged: every page is under 28 KB and Next page walks through all of them once', async () => {
    const [template] = w.subs;
    const many = Array.from({ length: 200 }, (_, i) => ({ ...template, id: `${template.tenantId}/sub-${String(i).padStart(3, '0')}`, subscriptionId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, displayName: `Paged subscription ${String(i).padStart(3, '0')}` }));
    await w.bot.deps.store.subscriptions.bulkUpsert(many);
    const seen = new Set<string>();
    let turn = await w.say(w.people.adele, 'subscriptions');
    let card: Record<string, any> | undefined = turn.card;
    for (let pages = 0; card && pages < 30; pages++) {
      expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(MAX_CARD_BYTES);
      for (const m of JSON.stringify(card).matchAll(/Paged subscription (\d{3})/g)) {
        expect(seen.has(m[1])).toBe(false);
        seen.add(m[1]);
      }
      const next = JSON.stringify(card).match(/"title":"Next page","verb":"subscriptions.page","data":\{"page":(\d+)\}/);
      if (!next) break;
      const res = await w.click('subscriptions.page', { page: Number(next[1]) }, w.people.adele);
      card = (res.body as { value?: Record<string, any> }).value;
    }
    expect(seen.size).toBe(200);
  });

  test('the modes card of a subscription lists the four modes with their meaning; a change among the first three is immediate and audited', async () => {
    const sub = w.subs[0];
    const modes = (await w.click('subscriptions.modes', { subscriptionId: sub.id }, w.people.adele)).body as { value: Record<string, any> };
    const text = JSON.stringify(modes.value);
    expect(text).toContain('Nothing is read from this subscription');
    expect(text).toContain('Resources are read; their tags are neither read nor written');
    expect(text).toContain('tag edits are never written back');
    expect(text).toContain('needs Tag Contributor and a second admin');
    const res = await w.click('subscriptions.setMode', { subscriptionId: sub.id, mode: 'noTags' }, w.people.adele);
    expect(JSON.stringify(res.body)).toContain('is now No Tags');
    expect(await w.bot.deps.store.subscriptions.get(w.workspaceId, sub.id)).toMatchObject({ syncMode: 'noTags', role: 'Reader' });
    const audit = (await w.bot.deps.store.audit.list(w.workspaceId)).filter((a) => a.action === 'subscription.syncMode');
    expect(audit).toEqual([expect.objectContaining({ actor: w.people.adele.aadObjectId, outcome: 'success', detail: { from: 'readTags', to: 'noTags' } })]);
    // No Azure write for an app-level mode.
    expect(w.emulator.control.writes().filter((x) => x.kind.startsWith('roleAssignment.') && x.principal.oid !== w.people.adele.aadObjectId)).toEqual([]);
    // A viewer may not change it.
    const refused = await w.click('subscriptions.setMode', { subscriptionId: sub.id, mode: 'none' }, w.people.megan);
    expect(refused.text).toContain('Only workspace admins can change sync modes');
    expect((await w.bot.deps.store.subscriptions.get(w.workspaceId, sub.id))?.syncMode).toBe('noTags');
  });
});
