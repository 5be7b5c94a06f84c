import { connectAs } from '../consent/support.js';
import { actionExecute, teamInstall } from '../support/activities.js';
import { channelMessage } from '../support/people.js';
import { startWorld, type TeamsPerson, type TurnResult, type World } from '../support/world.js';
import type { CapturedActivity } from '../support/connector.js';
import { scopedId, type Subscription, type SyncMode } from '../../src/store/types.js';
import { ROLE_IDS } from '../../src/microsoft/index.js';
import type { EmulatorOptions } from '../../emulator/index.js';

export const CHANNEL = '19:general-channel@thread.tacv2';

/**
 * A connected world: Adele connected (Reader on the subscriptions she owns), Alex and Megan are workspace admins
 * (Alex owns the first two subscriptions in Azure, Megan owns none), the General channel gets approvals and tags,
 * and the Teams roster knows the three of them (so approvers' Teams ids resolve, as in Teams).
 */
export async function connectedWorld(opts: { admins?: ('alex' | 'megan')[]; emulator?: EmulatorOptions } = {}): Promise<World & { sp: string; subs: Subscription[] }> {
  // Short locks: Agenda keeps a lockLifetime/2 timer after each run, which would hold jest open.
  const w = await startWorld({ scheduler: { processEvery: 100, defaultLockLifetime: 2000 }, emulator: { seed: 'consent-world', ...opts.emulator } });
  try {
    await connectAs(w, w.people.adele);
    const store = w.bot.deps.store;
    const ws = (await store.workspaces.get(w.workspaceId, w.workspaceId))!;
    const extra = (opts.admins ?? ['alex', 'megan']).map((k) => ({ aadObjectId: w.people[k].aadObjectId, name: w.people[k].name, role: 'admin' as const }));
    await store.workspaces.upsert({ ...ws, admins: [...ws.admins, ...extra] });
    for (const p of [w.people.adele, w.people.alex, w.people.megan]) w.connector.roster.push({ id: p.id, name: p.name, aadObjectId: p.aadObjectId, userPrincipalName: p.upn, tenantId: w.workspaceId });
    await w.bot.post(teamInstall(w.connector.url, { tenantId: w.workspaceId }));
    await inChannel(w, w.people.adele, 'notify here approvals tags');
    const subs = await store.subscriptions.find(w.workspaceId, {}, { sort: { field: 'displayName', dir: 1 } });
    return Object.assign(w, { sp: w.emulator.world.demoApp.servicePrincipalIdIn(w.workspaceId), subs });
  } catch (err) {
    await w.close();
    throw err;
  }
}

/** A message typed in the General channel; resolves what the bot sent during the turn. */
export async function inChannel(w: World, from: TeamsPerson, text: string): Promise<TurnResult> {
  return turn(w, channelMessage(w.connector.url, text, { from, tenantId: from.tenantId, channelId: CHANNEL }));
}

/** An Action.Execute click on a card in the General channel (replyToId: the card's activity id). */
export async function clickInChannel(w: World, verb: string, data: Record<string, unknown>, from: TeamsPerson, replyToId?: string, trigger: 'manual' | 'automatic' = 'manual'): Promise<TurnResult> {
  const activity = actionExecute(w.connector.url, verb, data, { from, tenantId: from.tenantId, conversationId: CHANNEL, conversationType: 'channel', replyToId });
  return turn(w, { ...activity, value: { ...activity.value, trigger } });
}

async function turn(w: World, activity: object): Promise<TurnResult> {
  const before = w.connector.activities.length;
  const res = await w.bot.post(activity);
  const raw = await res.text();
  const replies = w.connector.activities.slice(before).filter((a) => a.method === 'POST' && a.body.type === 'message');
  const text = replies.map((r) => `${r.body.text ?? ''}${r.body.attachments ? JSON.stringify(r.body.attachments) : ''}`).join('\n');
  const card = replies.flatMap((r) => (r.body.attachments ?? []) as { content: Record<string, any> }[])[0]?.content;
  return { status: res.status, body: raw ? JSON.parse(raw) : undefined, replies, text, card };
}

/** The card an invoke answered with (a user-specific view), or undefined. */
export function invokeCard(result: TurnResult): Record<string, any> | undefined {
  const body = result.body as { type?: string; value?: unknown } | undefined;
  return body?.type === 'application/vnd.microsoft.card.adaptive' ? (body.value as Record<string, any>) : undefined;
}

/** The titles of every button anywhere on a card. */
export function buttons(card: unknown): string[] {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Action.') && typeof o.title === 'string' && o !== (card as Record<string, unknown>).refresh) out.push(o.title);
      for (const [k, v] of Object.entries(o)) if (k !== 'refresh') walk(v);
    }
  };
  walk(card);
  return out;
}

export function openUrlOf(card: unknown): string {
  const m = /"type":"Action\.OpenUrl"[^}]*"url":"([^"]+)"/.exec(JSON.stringify(card));
  if (!m) throw new Error(`no Action.OpenUrl on ${JSON.stringify(card).slice(0, 300)}`);
  return m[1];
}

/** Messages and card updates the bot sent since index `from`. */
export const sentSince = (w: World, from: number): CapturedActivity[] => w.connector.activities.slice(from);
export const updatesSince = (w: World, from: number): CapturedActivity[] => sentSince(w, from).filter((a) => a.method === 'PUT');

/** Sets a subscription's mode in the store (and, for read/write, gives our principal Tag Contributor in Azure), as an approved change would. */
export async function forceMode(w: World & { sp: string }, sub: Subscription, mode: SyncMode): Promise<Subscription> {
  const next = { ...sub, syncMode: mode, role: mode === 'readWriteTags' ? ('Tag Contributor' as const) : ('Reader' as const) };
  if (mode === 'readWriteTags') w.emulator.control.assignRole(sub.subscriptionId, w.sp, ROLE_IDS['Tag Contributor']);
  await w.bot.deps.store.subscriptions.upsert(next);
  return next;
}

export const subscriptionRecordId = (w: World, subscriptionId: string) => scopedId(w.workspaceId, subscriptionId);
