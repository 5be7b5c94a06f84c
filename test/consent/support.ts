import { authorizeUrlOf, type TeamsPerson, type TurnResult, type World } from '../support/world.js';

/** What a refused or failed sign-in must leave untouched: the workspace's records and Microsoft's role assignments. */
export async function snapshot(w: World) {
  const s = w.bot.deps.store;
  return {
    workspaces: await s.workspaces.find(w.workspaceId),
    tenants: await s.tenants.find(w.workspaceId),
    subscriptions: await s.subscriptions.find(w.workspaceId),
    roleAssignmentWrites: w.emulator.control.writes('roleAssignment.create').length,
  };
}

/** `connect` in the user's personal chat: the card and its sign-in URL. */
export async function connectCard(w: World, user: TeamsPerson, conversationId?: string): Promise<{ turn: TurnResult; url: string; consentId: string }> {
  const turn = await w.say(user, 'connect', conversationId);
  const url = authorizeUrlOf(turn.card);
  const execute = (turn.card?.actions as { type: string; data?: { consentId?: string } }[]).find((a) => a.type === 'Action.Execute');
  return { turn, url, consentId: execute?.data?.consentId ?? '' };
}

/** The full connect: card, sign-in pages, callback; resolves the page and the result card posted to the conversation. */
export async function connectAs(w: World, user: TeamsPerson, conversationId?: string) {
  const { url } = await connectCard(w, user, conversationId);
  const before = w.connector.activities.length;
  const page = await w.completeSignIn(url, user.upn);
  const posted = await w.waitForMessage((a) => w.connector.activities.indexOf(a) >= before && a.body.type === 'message');
  return { page, posted, cardText: JSON.stringify(posted.body.attachments ?? posted.body.text) };
}

/** The messages posted after index `from`, as text (cards as JSON). */
export function postedSince(w: World, from: number): string {
  return w.connector.activities.slice(from).filter((a) => a.body.type === 'message').map((a) => `${a.body.text ?? ''}${JSON.stringify(a.body.attachments ?? '')}`).join('\n');
}

/** The factset rows (title → value) of the result card. */
export function resultRows(posted: { body: Record<string, any> }): Record<string, string> {
  const card = posted.body.attachments?.[0]?.content as { body: { type: string; facts?: { title: string; value: string }[] }[] };
  return Object.fromEntries(card.body.filter((b) => b.type === 'FactSet').flatMap((b) => b.facts ?? []).map((f) => [f.title, f.value]));
}
