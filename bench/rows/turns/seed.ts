import type { Emulator } from '../../../emulator/index.js';
import { drivePages } from '../../../emulator/login/testkit.js';
import { actionExecute, personalMessage } from '../../../test/support/activities.js';
import type { startConnector } from '../../../test/support/connector.js';
import { authorizeUrlOf, type TeamsPerson } from '../../../test/support/world.js';

type Connector = Awaited<ReturnType<typeof startConnector>>;

/** One person of the load: a workspace admin in their own personal conversation. */
export interface BenchAdmin extends TeamsPerson {
  conversationId: string;
}

/** One subscription as its modes card offers it: the Action.Execute data of the No Tags / Read Tags Only buttons. */
export interface ModeTarget {
  subscriptionId: string;
  mode: 'noTags' | 'readTags';
}

export interface SeededWorkspace {
  admins: BenchAdmin[];
  /** Every subscription record id shown on the subscriptions card (all pages). */
  subscriptionIds: string[];
  /** How many subscriptions the card says are connected. */
  connected: number;
}

/**
 * Seeds the workspace only through what Teams and Microsoft would do: the first admin types `connect` and signs in
 * on the emulator's pages (Reader is assigned on each subscription she owns; the product stores them), then adds
 * the other admins with `admins add <upn>` (the connector's roster knows them, as Teams does). The subscription ids
 * are read from the subscriptions card's own buttons.
 */
export async function seedWorkspace(emulator: Emulator, connector: Connector, botUrl: string, adminCount: number, progress: (m: string) => void = () => undefined): Promise<SeededWorkspace> {
  const tenantId = emulator.homeTenantId;
  const users = [...emulator.world.admins(tenantId)];
  for (const u of emulator.world.users(tenantId)) {
    if (users.length >= adminCount) break;
    if (!users.some((a) => a.id === u.id)) users.push(u);
  }
  if (users.length < adminCount) throw new Error(`the emulator's home tenant has ${users.length} users; ${adminCount} admins are needed`);
  const admins: BenchAdmin[] = users.slice(0, adminCount).map((u) => {
    const handle = u.userPrincipalName.split('@')[0];
    return { id: `29:${handle}`, name: u.displayName, aadObjectId: u.id, upn: u.userPrincipalName, tenantId, conversationId: `a:bench-personal-${handle}` };
  });
  for (const a of admins) connector.roster.push({ id: a.id, name: a.name, aadObjectId: a.aadObjectId, userPrincipalName: a.upn, tenantId });
  const owner = admins[0];
  const post = (activity: object) => postActivity(botUrl, activity);
  const say = async (from: BenchAdmin, text: string) => {
    const before = connector.activities.length;
    const res = await post(personalMessage(connector.url, text, { from, tenantId, conversationId: from.conversationId }));
    if (res.status >= 300) throw new Error(`"${text}" answered HTTP ${res.status}: ${res.body}`);
    return connector.activities.slice(before).filter((a) => a.body.type === 'message');
  };

  const [connectReply] = await say(owner, 'connect');
  const card = connectReply?.body.attachments?.[0]?.content as Record<string, any> | undefined;
  const outcome = await drivePages(authorizeUrlOf(card), { upn: owner.upn, consent: 'accept', consentForOrganization: true });
  if (!('redirect' in outcome)) throw new Error(`sign-in failed: ${outcome.errorPage}`);
  const before = connector.activities.length;
  const callback = await fetch(outcome.redirect, { redirect: 'manual' });
  if (callback.status !== 200) throw new Error(`the consent callback answered ${callback.status}: ${(await callback.text()).slice(0, 300)}`);
  await connector.waitFor((a) => connector.activities.indexOf(a) >= before && a.body.type === 'message' && a.body.conversation?.id === owner.conversationId, 60_000);

  progress('connected');
  for (const a of admins.slice(1)) {
    const replies = await say(owner, `admins add ${a.upn}`);
    const text = replies.map((r) => r.body.text ?? '').join(' ');
    if (!/admin/i.test(text) || /couldn't|can't|only/i.test(text)) throw new Error(`admins add ${a.upn}: ${text}`);
  }

  progress(`${admins.length - 1} admins added`);
  const subscriptionIds: string[] = [];
  let connected = 0;
  for (let page = 0; ; page++) {
    const res = await post(actionExecute(connector.url, 'subscriptions.page', { page }, { from: owner, tenantId, conversationId: owner.conversationId }));
    const cardJson = invokeCard(res.body);
    connected = Number(/"(\d+) connected · page/.exec(cardJson)?.[1] ?? 0);
    for (const m of cardJson.matchAll(/"verb":"subscriptions\.modes","data":\{"subscriptionId":"([^"]+)"\}/g)) subscriptionIds.push(m[1]);
    if (!cardJson.includes('"title":"Next page"')) break;
  }
  return { admins, subscriptionIds, connected };
}

/** The Choose buttons of a subscription's modes card (what `subscriptions.modes` answers), for the in-turn modes. */
export async function modeTargets(connector: Connector, botUrl: string, admin: BenchAdmin, subscriptionId: string): Promise<ModeTarget[]> {
  const res = await postActivity(botUrl, actionExecute(connector.url, 'subscriptions.modes', { subscriptionId }, { from: admin, tenantId: admin.tenantId, conversationId: admin.conversationId }));
  const cardJson = invokeCard(res.body);
  return [...cardJson.matchAll(/"verb":"subscriptions\.setMode","data":\{"subscriptionId":"([^"]+)","mode":"(noTags|readTags)"\}/g)].map((m) => ({ subscriptionId: m[1], mode: m[2] as ModeTarget['mode'] }));
}

export async function postActivity(botUrl: string, activity: object): Promise<{ status: number; body: string }> {
  const res = await fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  return { status: res.status, body: await res.text() };
}

/** The card an Action.Execute invoke answered with, as JSON text; throws if it answered something else. */
function invokeCard(body: string): string {
  const parsed = JSON.parse(body || '{}') as { type?: string; value?: unknown };
  if (parsed.type !== 'application/vnd.microsoft.card.adaptive') throw new Error(`expected a card, the invoke answered ${body.slice(0, 300)}`);
  return JSON.stringify(parsed.value);
}
