/**
 * Two connected workspaces in one real bot, set up only through the product's own flows (typed commands, card
 * clicks, the emulator's sign-in pages), so that hostile card data has real targets to aim at:
 *
 * - A: the emulator's home tenant. Adele connected it (owner), Alex and Megan are admins (`admins add`), the
 *   General channel gets approvals and tags; one subscription went to Read and Write Tags through an approval Alex
 *   answered and signed in for, its resources were synced and a tag edit is queued; another has a pending
 *   approval; Microsoft 365 users and licences were imported; SaaS discovery is connected and has run; Partner
 *   Center is linked (so the customers are tenants of A too).
 * - B: a customer tenant as a Teams tenant of its own. Its first admin connected it (owner), added the second admin,
 *   synced its resources and asked for Read and Write Tags (pending).
 */
import { connectAs } from '../../../consent/support.js';
import { teamInstall } from '../../../support/activities.js';
import { channelMessage } from '../../../support/people.js';
import { authorizeUrlOf, startWorld, type TeamsPerson, type TurnResult, type World, type WorldOptions } from '../../../support/world.js';
import { clickInChannel, invokeCard, openUrlOf } from '../../../subscriptions/support.js';
import type { Approval, Subscription } from '../../../../src/store/types.js';

export const CHANNEL_A = '19:general-channel@thread.tacv2';
export const CHANNEL_B = '19:b-ops-channel@thread.tacv2';

/** The people and records of one workspace, as the fuzz aims at them. */
export interface WorkspaceTargets {
  workspaceId: string;
  channel: string;
  owner: TeamsPerson;
  admin: TeamsPerson;
  /** A user of the Teams tenant who is not an admin of the workspace. */
  viewer: TeamsPerson;
  /** Ids held by this workspace, by collection (tenants, subscriptions, approvals, tagEdits, resources, conversations). */
  ids: Record<'tenants' | 'subscriptions' | 'approvals' | 'tagEdits' | 'resources' | 'resourceArmIds' | 'conversations' | 'consentStates', string[]>;
  /** Display names of this workspace's tenants and subscriptions: they must never reach another workspace's users. */
  markers: string[];
  /** This workspace's records as JSON (to tell names it shares with another workspace, such as a CSP customer's). */
  dataText: string;
  pendingApproval: Approval;
}

export interface TwoWorkspaces {
  world: World;
  a: WorkspaceTargets;
  b: WorkspaceTargets;
  /** A Teams user of a third tenant that has no workspace. */
  outsider: TeamsPerson;
}

export async function startTwoWorkspaces(opts: WorldOptions = {}): Promise<TwoWorkspaces> {
  const w = await startWorld({ scheduler: { processEvery: 100, defaultLockLifetime: 2000 }, ...opts, emulator: { seed: 'hostile-input', ...opts.emulator } });
  try {
    const a = await setUpA(w);
    const b = await setUpB(w);
    await settle(w);
    return { world: w, a: await targetsOf(w, a), b: await targetsOf(w, b), outsider: w.people.outsider };
  } catch (err) {
    await w.close();
    throw err;
  }
}

type Partial_ = Omit<WorkspaceTargets, 'ids' | 'markers' | 'pendingApproval' | 'dataText'>;

async function setUpA(w: World): Promise<Partial_> {
  const { adele, alex, megan } = w.people;
  const ws = w.workspaceId;
  await connectAs(w, adele);
  for (const p of [adele, alex, megan]) w.connector.roster.push({ id: p.id, name: p.name, aadObjectId: p.aadObjectId, userPrincipalName: p.upn, tenantId: ws });
  for (const p of [alex, megan]) expectText(await w.say(adele, `admins add ${p.upn}`), p.name);
  await w.bot.post(teamInstall(w.connector.url, { tenantId: ws, teamId: CHANNEL_A }));
  await say(w, adele, CHANNEL_A, 'notify here approvals tags m365 saas');

  const store = w.bot.deps.store;
  const subs = await store.subscriptions.find(ws, {}, { sort: { field: 'displayName', dir: 1 } });
  const alexOwns = new Set(w.emulator.world.azureSubscriptions(ws).filter((s) => s.ownerIds.includes(alex.aadObjectId)).map((s) => s.subscriptionId));
  const [writable, pending] = subs.filter((s) => alexOwns.has(s.subscriptionId));
  if (!writable || !pending) throw new Error(`setup: Alex must own two subscriptions of A (owns ${alexOwns.size})`);

  // Read and Write Tags through the approval flow: requested by Adele, approved and signed in for by Alex.
  const approval = await requestReadWrite(w, adele, writable);
  const channelCopy = approval.cards!.find((c) => c.conversationId === CHANNEL_A)!;
  const approved = invokeCard(await clickInChannel(w, 'approval.approve', { approvalId: approval.id }, alex, channelCopy.activityId));
  const page = await w.completeSignIn(openUrlOf(approved), alex.upn);
  if (!page.html.includes('Tag Contributor assigned')) throw new Error(`setup: the role change failed: ${page.html.slice(0, 300)}`);
  await syncTags(w, adele, CHANNEL_A, writable);
  const resource = (await store.resources.find(ws, { subscriptionId: writable.subscriptionId }, { limit: 1 }))[0];
  expectText(await w.say(adele, `tag ${resource.armId} owner=finance`), 'Queued');
  await requestReadWrite(w, adele, pending);

  // Microsoft 365, SaaS discovery and Partner Center.
  let from = w.connector.activities.length;
  await say(w, adele, CHANNEL_A, 'sync m365');
  await w.waitForMessage(after(w, from, 'Microsoft 365 import:'), 30_000);
  const saas = await w.click('saas.connect', saasForm(w), adele);
  expectText(saas, 'Connected: the secret is stored encrypted');
  from = w.connector.activities.length;
  await say(w, adele, CHANNEL_A, 'sync saas');
  await w.waitForMessage(after(w, from, 'SaaS discovery:'), 30_000);
  const partnerTurn = await w.say(adele, `connect partner ${w.emulator.world.partner.tenantId}`);
  from = w.connector.activities.length;
  const linked = await w.completeSignIn(authorizeUrlOf(partnerTurn.card), adele.upn, { forOrganization: true });
  if (!linked.html.includes('Partner Center linked')) throw new Error(`setup: partner link failed: ${linked.html.slice(0, 300)}`);
  await w.waitForMessage(after(w, from, 'Partner Center is linked'), 30_000);

  const viewerUser = [...w.emulator.world.users(ws)].find((u) => ![adele, alex, megan].some((p) => p.aadObjectId === u.id))!;
  return { workspaceId: ws, channel: CHANNEL_A, owner: adele, admin: alex, viewer: person(viewerUser, ws) };
}

async function setUpB(w: World): Promise<Partial_> {
  const customer = w.emulator.world.tenants().find((t) => t.kind === 'customer')!;
  const ws = customer.id;
  const [ownerUser, adminUser] = w.emulator.world.admins(ws);
  const owner = person(ownerUser, ws);
  const admin = person(adminUser, ws);
  const { page } = await connectAs(w, owner);
  if (page.status !== 200) throw new Error(`setup: B's connect failed: ${page.html.slice(0, 300)}`);
  for (const p of [owner, admin]) w.connector.roster.push({ id: p.id, name: p.name, aadObjectId: p.aadObjectId, userPrincipalName: p.upn, tenantId: ws });
  expectText(await w.say(owner, `admins add ${admin.upn}`), admin.name);
  await w.bot.post(teamInstall(w.connector.url, { tenantId: ws, teamId: CHANNEL_B }));
  await say(w, owner, CHANNEL_B, 'notify here approvals tags');
  const subs = await w.bot.deps.store.subscriptions.find(ws, {}, { sort: { field: 'displayName', dir: 1 } });
  if (subs.length === 0) throw new Error('setup: B has no subscriptions');
  await syncTags(w, owner, CHANNEL_B, subs[0]);
  await requestReadWrite(w, owner, subs[0]);
  const viewerUser = [...w.emulator.world.users(ws)].find((u) => ![owner, admin].some((p) => p.aadObjectId === u.id))!;
  return { workspaceId: ws, channel: CHANNEL_B, owner, admin, viewer: person(viewerUser, ws) };
}

async function targetsOf(w: World, t: Partial_): Promise<WorkspaceTargets> {
  const s = w.bot.deps.store;
  const ws = t.workspaceId;
  const ids = async (c: 'tenants' | 'subscriptions' | 'approvals' | 'tagEdits' | 'conversations' | 'consentStates') => (await s[c].find(ws)).map((r) => r.id);
  const resources = await s.resources.find(ws, {}, { limit: 50 });
  const tenants = await s.tenants.find(ws);
  const subs = await s.subscriptions.find(ws);
  const approvals = await s.approvals.find(ws, { status: 'pending' });
  if (approvals.length === 0) throw new Error(`setup: no pending approval in ${ws}`);
  return {
    ...t,
    ids: {
      tenants: tenants.map((x) => x.id),
      subscriptions: subs.map((x) => x.id),
      approvals: await ids('approvals'),
      tagEdits: await ids('tagEdits'),
      resources: resources.map((r) => r.id),
      resourceArmIds: resources.map((r) => r.armId),
      conversations: await ids('conversations'),
      consentStates: await ids('consentStates'),
    },
    markers: [...tenants.filter((x) => !x.partnerCenter || x.partnerCenter.role !== 'customer').map((x) => x.displayName), ...subs.map((x) => x.displayName)].filter((m): m is string => !!m && m.length > 4),
    pendingApproval: approvals[0],
    dataText: JSON.stringify([await s.workspaces.find(ws), tenants, subs, await s.approvals.find(ws), await s.conversations.find(ws), await s.saasApps.find(ws, {}, { limit: 500 })]),
  };
}

/** Waits until no job runs and the connector has been quiet for a moment, so that the "before" digest is stable. */
export async function settle(w: World): Promise<void> {
  for (let quiet = 0, seen = -1; quiet < 5; ) {
    await new Promise((r) => setTimeout(r, 200));
    const running = await w.bot.deps.scheduler.ping().then(() => w.connector.activities.length);
    quiet = running === seen ? quiet + 1 : 0;
    seen = running;
  }
}

async function requestReadWrite(w: World, who: TeamsPerson, sub: Subscription): Promise<Approval> {
  const res = await w.click('subscriptions.setMode', { subscriptionId: sub.id, mode: 'readWriteTags' }, who);
  expectText(res, 'Requested');
  const approval = (await w.bot.deps.store.approvals.find(sub.workspaceId, { subscriptionId: sub.subscriptionId, status: 'pending' }))[0];
  if (!approval) throw new Error(`setup: no approval for ${sub.displayName}`);
  return approval;
}

async function syncTags(w: World, who: TeamsPerson, channel: string, sub: Subscription): Promise<void> {
  const from = w.connector.activities.length;
  expectText(await say(w, who, channel, `sync tags ${sub.subscriptionId}`), 'Tag sync started');
  await w.waitForMessage(after(w, from, 'Tag sync:'), 30_000);
}

function saasForm(w: World) {
  return {
    clientId: w.emulator.demoApp.clientId, clientSecret: w.emulator.demoApp.clientSecret, tenantId: w.emulator.homeTenantId, domains: '', includeGuests: '',
    task_hrRoster: 'true', task_appDiscovery: 'true', task_ssoRoster: 'true', task_ssoAccess: 'true',
  };
}

async function say(w: World, from: TeamsPerson, channelId: string, text: string): Promise<TurnResult> {
  const before = w.connector.activities.length;
  const res = await w.bot.post(channelMessage(w.connector.url, text, { from, tenantId: from.tenantId, channelId }));
  await res.text();
  const replies = w.connector.activities.slice(before).filter((x) => x.method === 'POST' && x.body.type === 'message');
  return { status: res.status, body: undefined, replies, text: replies.map((r) => `${r.body.text ?? ''}${JSON.stringify(r.body.attachments ?? '')}`).join('\n') };
}

const after = (w: World, from: number, text: string) => (x: { body: Record<string, any> }) =>
  w.connector.activities.indexOf(x as never) >= from && JSON.stringify(x.body.attachments ?? x.body.text ?? '').includes(text);

function person(u: { id: string; displayName: string; userPrincipalName: string }, tenantId: string): TeamsPerson {
  return { id: `29:${u.userPrincipalName.split('@')[0]}-${tenantId.slice(0, 4)}`, name: u.displayName, aadObjectId: u.id, upn: u.userPrincipalName, tenantId };
}

function expectText(turn: TurnResult, needle: string): void {
  const all = `${turn.text}${JSON.stringify(turn.body ?? '')}`;
  if (!all.includes(needle)) throw new Error(`setup: expected "${needle}" in ${all.slice(0, 500)}`);
}
