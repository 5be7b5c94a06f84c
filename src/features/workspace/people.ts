import { TeamsInfo, type TeamsChannelAccount, type TurnContext } from 'botbuilder';
import type { Store } from '../../store/port.js';

/** A person named in a command, resolved to their Microsoft Entra object id. */
export interface NamedPerson {
  aadObjectId: string;
  name: string;
}

export type PersonLookup = { person: NamedPerson } | { problem: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_ROSTER_PAGES = 10;

interface MentionEntity {
  type: string;
  mentioned?: { id?: string; name?: string; aadObjectId?: string };
}

/** People @mentioned in the message, the bot excluded. */
export function mentionedPeople(context: TurnContext): { id: string; name: string; aadObjectId?: string }[] {
  const botId = context.activity.recipient?.id;
  return ((context.activity.entities ?? []) as MentionEntity[])
    .filter((e) => e.type === 'mention' && e.mentioned?.id && e.mentioned.id !== botId)
    .map((e) => ({ id: e.mentioned!.id!, name: e.mentioned!.name ?? e.mentioned!.id!, aadObjectId: e.mentioned!.aadObjectId }));
}

/**
 * Resolves the person a command names: an @mention (looked up with TeamsInfo.getMember, which gives the object
 * id), or typed text (a UPN or an object id). Teams' connector accepts a UPN or object id as member id; the
 * Agents Playground only knows Teams ids, so the roster is also scanned, then this workspace's own imported
 * directory. A typed object id nobody could resolve is accepted as is: an owner who types a GUID means it.
 */
export async function resolvePerson(context: TurnContext, store: Store, workspaceId: string, typed: string): Promise<PersonLookup> {
  const mention = mentionedPeople(context)[0];
  if (mention) {
    const member = await getMember(context, mention.id);
    const aadObjectId = member?.aadObjectId ?? mention.aadObjectId;
    if (!aadObjectId) return { problem: `I couldn't look up ${mention.name} in this conversation. Try their sign-in name (UPN) instead.` };
    return { person: { aadObjectId, name: member?.name || mention.name } };
  }
  const text = typed.trim();
  if (!text) return { problem: 'Say who: @mention them, or type their sign-in name (UPN) or Microsoft Entra object id.' };
  const direct = (await getMember(context, text)) ?? (await findInRoster(context, text));
  if (direct?.aadObjectId) return { person: { aadObjectId: direct.aadObjectId, name: direct.name || text } };
  const imported = await findInDirectory(store, workspaceId, text);
  if (imported) return { person: imported };
  if (GUID.test(text)) return { person: { aadObjectId: text.toLowerCase(), name: text } };
  return { problem: `I couldn't find "${text}". @mention them in a team channel where I'm installed, or type their Microsoft Entra object id.` };
}

async function getMember(context: TurnContext, id: string): Promise<TeamsChannelAccount | undefined> {
  try {
    return await TeamsInfo.getMember(context, id);
  } catch {
    return undefined; // not in this conversation's roster, or not a Teams conversation
  }
}

async function findInRoster(context: TurnContext, text: string): Promise<TeamsChannelAccount | undefined> {
  const key = text.toLowerCase();
  let token: string | undefined;
  try {
    for (let page = 0; page < MAX_ROSTER_PAGES; page++) {
      const result = await TeamsInfo.getPagedMembers(context, 100, token);
      const found = result.members.find((m) => [m.aadObjectId, m.userPrincipalName, m.email].some((v) => v?.toLowerCase() === key));
      if (found || !result.continuationToken) return found;
      token = result.continuationToken;
    }
  } catch {
    // No roster here (or the connector refused): other ways remain.
  }
  return undefined;
}

/** Users imported from the Microsoft tenant that IS this Teams tenant (never another tenant's directory). */
async function findInDirectory(store: Store, workspaceId: string, text: string): Promise<NamedPerson | undefined> {
  const where = GUID.test(text) ? { tenantId: workspaceId, userId: text.toLowerCase() } : { tenantId: workspaceId, userPrincipalName: text };
  const [user] = await store.directoryUsers.find(workspaceId, where, { limit: 1 });
  return user ? { aadObjectId: user.userId, name: user.displayName || user.userPrincipalName } : undefined;
}
