import type { Subscription, TagEdit } from '../../src/store/types.js';
import { scopedId } from '../../src/store/types.js';
import type { CapturedActivity } from '../support/connector.js';
import type { World } from '../support/world.js';
import { CHANNEL, connectedWorld, forceMode, inChannel } from '../subscriptions/support.js';
import { mintToken } from '../../emulator/arm/testkit.js';

type W = World & { sp: string; subs: Subscription[] };

/** tags.sync and tag edits: full turns over HTTP (`sync tags`, `tag`, `untag`) against the emulator's ARM. */
describe('tags.sync and tag edits', () => {
  let w: W;
  let sub: Subscription;
  beforeEach(async () => {
    // A fixed fault seed: the throttled run is the same run every time.
    w = await connectedWorld({ emulator: { faultSeed: 20250304 } });
    sub = w.subs[0];
  });
  afterEach(() => w.close());

  const store = () => w.bot.deps.store;
  const resources = () => store().resources.find(w.workspaceId, { subscriptionId: sub.subscriptionId });
  const summaryCards = (from: number) =>
    w.connector.activities.slice(from).filter((a) => a.method === 'POST' && JSON.stringify(a.body.attachments ?? '').includes('Tag sync:'));
  /** `sync tags <id>` in the channel, then the run's summary card (posted to the channel, which gets `tags`). */
  const syncNow = async (): Promise<{ card: CapturedActivity; facts: Record<string, string>; text: string }> => {
    const from = w.connector.activities.length;
    const turn = await inChannel(w, w.people.adele, `sync tags ${sub.subscriptionId}`);
    expect(turn.text).toContain('Tag sync started');
    const card = await w.waitForMessage((a) => w.connector.activities.indexOf(a) >= from && JSON.stringify(a.body.attachments ?? '').includes('Tag sync:'), 20_000);
    expect(decodeURIComponent(card.path)).toContain(CHANNEL);
    const content = card.body.attachments[0].content as { body: { type: string; facts?: { title: string; value: string }[] }[] };
    const facts = Object.fromEntries(content.body.flatMap((b) => b.facts ?? []).map((f) => [f.title, f.value]));
    return { card, facts, text: JSON.stringify(content) };
  };
  const tagWrites = () => w.emulator.control.writes().filter((x) => x.kind.startsWith('tags.'));

  test('No Resources reads nothing from ARM', async () => {
    sub = await forceMode(w, sub, 'none');
    w.emulator.control.clearLogs();
    const { facts } = await syncNow();
    expect(facts.Read).toContain('No Resources');
    expect(w.emulator.control.requests('arm')).toEqual([]);
    expect(await resources()).toEqual([]);
  });

  test('No Tags stores resources without their tags', async () => {
    sub = await forceMode(w, sub, 'noTags');
    const { facts } = await syncNow();
    const stored = await resources();
    const inAzure = w.emulator.world.azureSubscriptions(w.workspaceId).find((s) => s.subscriptionId === sub.subscriptionId)!.resourceCount;
    expect(stored).toHaveLength(inAzure);
    expect(facts['Resources seen']).toContain(String(inAzure));
    expect(stored.filter((r) => r.tags !== undefined || r.tagsHash !== undefined)).toEqual([]);
    expect(await store().subscriptions.get(w.workspaceId, sub.id)).toMatchObject({ counts: { resources: inAzure, tagged: 0 }, lastSyncOutcome: 'success' });
  });

  test('Read Tags Only stores tags, refuses edits with the reason, and never sends a write', async () => {
    w.emulator.control.clearLogs();
    await syncNow();
    const stored = await resources();
    const tagged = stored.find((r) => Object.keys(r.tags ?? {}).length > 0)!;
    expect(tagged.tagsHash).toEqual(expect.any(String));
    expect(tagged.tags).toEqual(w.emulator.control.tagsOf(tagged.armId));

    const turn = await w.say(w.people.adele, `tag ${tagged.armId} owner=finance`);
    expect(turn.text).toContain('Read Tags Only');
    expect(await store().tagEdits.find(w.workspaceId)).toEqual([]);
    // Even an edit left in the outbox (queued before a mode change) is not written in this mode.
    const stray: TagEdit = { id: 'stray', workspaceId: w.workspaceId, tenantId: sub.tenantId, subscriptionId: sub.subscriptionId, resourceId: tagged.id, operation: 'Merge', tags: { owner: 'x' }, baseTags: { owner: null }, requestedBy: { aadObjectId: w.people.adele.aadObjectId }, requestedAt: new Date().toISOString(), status: 'pending' };
    await store().tagEdits.insert(stray);
    const { facts } = await syncNow();
    expect(facts['Edits applied']).toContain('never writes');
    expect(w.emulator.control.writes()).toEqual([]);
    expect(w.emulator.control.requests('arm').filter((r) => r.method !== 'GET')).toEqual([]);
    expect((await store().tagEdits.get(w.workspaceId, 'stray'))?.status).toBe('pending');
  });

  test('read/write: `tag` queues a validated edit, `sync tags` writes it with a Merge PATCH; `untag` with a Delete PATCH; never Replace', async () => {
    sub = await forceMode(w, sub, 'readWriteTags');
    await syncNow();
    const [target] = await resources();
    const bad = await w.say(w.people.adele, `tag ${target.name} bad/name=1 ${'k'.repeat(513)}=v`);
    expect(bad.text).toContain('refuses in names');
    expect(bad.text).toContain('Azure allows 512');
    expect(await store().tagEdits.find(w.workspaceId)).toEqual([]);

    const queued = await w.say(w.people.adele, `tag ${target.name} owner=finance "cost center"="R&D 1"`);
    expect(queued.text).toContain('Queued');
    expect(tagWrites()).toEqual([]);
    const { facts } = await syncNow();
    expect(facts['Edits applied']).toBe('1');
    const writes = tagWrites();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ kind: 'tags.patch', method: 'PATCH', principal: { oid: w.sp }, detail: { scope: target.armId, operation: 'Merge', tags: { owner: 'finance', 'cost center': 'R&D 1' } } });
    expect(w.emulator.control.tagsOf(target.armId)).toMatchObject({ owner: 'finance', 'cost center': 'R&D 1' });
    expect(await store().tagEdits.find(w.workspaceId)).toEqual([expect.objectContaining({ status: 'applied' })]);

    await w.say(w.people.adele, `untag ${target.armId} owner`);
    await syncNow();
    expect(tagWrites().slice(1)).toEqual([expect.objectContaining({ detail: expect.objectContaining({ operation: 'Delete', tags: { owner: 'finance' } }) })]);
    expect(w.emulator.control.tagsOf(target.armId)?.owner).toBeUndefined();
    expect(tagWrites().every((x) => (x.detail as { operation?: string }).operation !== 'Replace')).toBe(true);
    const audit = (await store().audit.list(w.workspaceId)).filter((a) => a.action === 'azure.tags.patch');
    expect(audit.map((a) => a.outcome)).toEqual(['success', 'success']);
  });

  test('a tag changed in Azure since the last read is a conflict: reported with both values, not written', async () => {
    sub = await forceMode(w, sub, 'readWriteTags');
    await syncNow();
    const target = (await resources()).find((r) => r.tags?.env)!;
    const was = target.tags!.env;
    await w.say(w.people.megan, `tag ${target.armId} env=prod-eu`);
    w.emulator.control.changeTags(target.armId, { ...w.emulator.control.tagsOf(target.armId), env: 'changed-in-portal' });
    const { facts, text } = await syncNow();
    expect(facts.Conflicts).toBe('1');
    expect(facts['Tags changed in Azure']).toBe('1');
    expect(text).toContain(`env: Megan Bowen asked for \\"prod-eu\\"; Azure now has \\"changed-in-portal\\" (it was \\"${was}\\" when asked). Not overwritten.`);
    expect(tagWrites()).toEqual([]);
    expect(w.emulator.control.tagsOf(target.armId)?.env).toBe('changed-in-portal');
    expect(await store().tagEdits.find(w.workspaceId)).toEqual([
      expect.objectContaining({ status: 'conflict', conflict: { expected: { env: was }, actual: { env: 'changed-in-portal' } } }),
    ]);
  });

  test('a throttled run finishes with every edit applied exactly once, honouring Retry-After', async () => {
    sub = await forceMode(w, sub, 'readWriteTags');
    await syncNow();
    const targets = (await resources()).slice(0, 6);
    for (const [i, r] of targets.entries()) await w.say(w.people.adele, `tag ${r.armId} batch=b${i}`);
    w.emulator.control.setFaults({ throttleRate: 0.35, retryAfterSeconds: 1 });
    const { facts } = await syncNow();
    w.emulator.control.setFaults({ throttleRate: 0 });
    expect(facts['Edits applied']).toBe('6');
    expect(facts['Still pending']).toBe('0');
    const writes = tagWrites();
    expect(writes.map((x) => (x.detail as { scope: string }).scope).sort()).toEqual(targets.map((r) => r.armId).sort());
    for (const [i, r] of targets.entries()) expect(w.emulator.control.tagsOf(r.armId)?.batch).toBe(`b${i}`);
    expect((await store().tagEdits.find(w.workspaceId)).map((e) => e.status)).toEqual(Array(6).fill('applied'));
    // The run was throttled, and every retry came at least Retry-After (1 s) after its 429.
    const log = w.emulator.control.requests('arm');
    const throttled = log.filter((r) => r.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    for (const t of throttled) {
      const retry = log.find((r) => r.seq > t.seq && r.method === t.method && r.url === t.url);
      if (retry) expect(Date.parse(retry.at) - Date.parse(t.at)).toBeGreaterThanOrEqual(950);
    }
  }, 60_000);

  test("ARM's write bucket drained by someone else: writes wait for Retry-After and every edit is applied exactly once", async () => {
    sub = await forceMode(w, sub, 'readWriteTags');
    await syncNow();
    const targets = (await resources()).slice(0, 3);
    for (const r of targets) await w.say(w.people.adele, `tag ${r.armId} drained=yes`);
    // Another client writing as our service principal keeps the bucket empty (refused writes count too) until the
    // bot's first write is throttled; then it stops, and the bucket refills at 10 writes a second.
    const token = await mintToken(w.emulator.tokens, 'arm', { tenantId: w.workspaceId, oid: w.sp, appId: w.emulator.demoApp.clientId });
    const url = `${w.emulator.urls.arm}${targets[0].armId}/providers/Microsoft.Resources/tags/default?api-version=2021-04-01`;
    const drain = () => fetch(url, { method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    for (let i = 0; i < 210; i++) await drain();
    expect((await drain()).status).toBe(429);
    const lastSeq = w.emulator.control.requests('arm').at(-1)!.seq;
    // The bot's requests are the SDK's (`//subscriptions/…`); the drain's are not.
    const botThrottled = () => w.emulator.control.requests('arm').some((r) => r.seq > lastSeq && r.method === 'PATCH' && r.status === 429 && r.url.startsWith('//'));
    let syncing = true;
    const drainer = (async () => {
      while (syncing && !botThrottled()) await drain();
    })();
    const { facts } = await syncNow();
    syncing = false;
    await drainer;
    expect(facts['Edits applied']).toBe('3');
    expect(tagWrites().map((x) => (x.detail as { scope: string }).scope).sort()).toEqual(targets.map((r) => r.armId).sort());
    // The bot's own writes met the empty bucket (real 429s, not injected faults) and waited Retry-After each time.
    const log = w.emulator.control.requests('arm').filter((r) => r.seq > lastSeq && r.url.startsWith('//'));
    const throttled = log.filter((r) => r.method === 'PATCH' && r.status === 429 && !r.fault);
    expect(throttled.length).toBeGreaterThan(0);
    for (const t of throttled) {
      const retry = log.find((r) => r.seq > t.seq && r.method === 'PATCH' && r.url === t.url);
      expect(retry).toBeDefined();
      expect(Date.parse(retry!.at) - Date.parse(t.at)).toBeGreaterThanOrEqual(950);
    }
    expect((await store().tagEdits.find(w.workspaceId)).map((e) => e.status)).toEqual(['applied', 'applied', 'applied']);
  }, 60_000);

  test('a tampered subscription id from another workspace is refused and audited', async () => {
    const other = 'b2b2b2b2-86f1-41af-91ab-2d7cd0110000';
    const mallory = w.people.outsider;
    const at = new Date().toISOString();
    await store().workspaces.upsert({ id: other, workspaceId: other, admins: [{ aadObjectId: mallory.aadObjectId, name: mallory.name, role: 'owner' }], settings: {}, createdAt: at });
    const theirs = { ...sub, workspaceId: other, id: scopedId('c0ffee00-0000-4000-8000-000000000000', sub.subscriptionId), tenantId: 'c0ffee00-0000-4000-8000-000000000000', syncMode: 'readTags' as const };
    await store().subscriptions.upsert(theirs);
    // An admin of the other workspace sends this workspace's subscription id…
    const t1 = await w.click('subscriptions.setMode', { subscriptionId: sub.id, mode: 'none' }, mallory);
    expect(t1.text).toContain('does not have');
    // …and an admin here sends the other workspace's.
    const t2 = await w.click('subscriptions.setMode', { subscriptionId: theirs.id, mode: 'none' }, w.people.adele);
    expect(t2.text).toContain('does not have');
    expect((await store().subscriptions.get(w.workspaceId, sub.id))?.syncMode).toBe('readTags');
    expect((await store().subscriptions.get(other, theirs.id))?.syncMode).toBe('readTags');
    const refusedHere = (await store().audit.list(w.workspaceId)).filter((a) => a.outcome === 'refused' && a.action === 'subscriptions.setMode');
    const refusedThere = (await store().audit.list(other)).filter((a) => a.outcome === 'refused' && a.action === 'subscriptions.setMode');
    expect(refusedHere).toEqual([expect.objectContaining({ target: theirs.id, detail: expect.objectContaining({ possibleTampering: true }) })]);
    expect(refusedThere).toEqual([expect.objectContaining({ target: sub.id, detail: expect.objectContaining({ possibleTampering: true }) })]);
  });
});
