/** More Teams people and activities for role and isolation tests (see activities.ts for the basics). */
import { ADELE, BOT, personalMessage, WORKSPACE } from './activities.js';
import type { RosterMember } from './connector.js';

export const MEGAN = { id: '29:megan', name: 'Megan Bowen', aadObjectId: 'a1a1a1a1-0000-4000-8000-000000000002' };
export const ALEX = { id: '29:alex', name: 'Alex Wilber', aadObjectId: 'a1a1a1a1-0000-4000-8000-000000000003' };
/** A user of another Teams tenant (another workspace). */
export const OTHER_WORKSPACE = 'b2b2b2b2-86f1-41af-91ab-2d7cd0110000';
export const MALLORY = { id: '29:mallory', name: 'Mallory Outsider', aadObjectId: 'b2b2b2b2-0000-4000-8000-00000000000d' };

/** The roster the fake connector answers member lookups from, with UPNs as Teams gives them. */
export const ROSTER: RosterMember[] = [
  { ...ADELE, userPrincipalName: 'adele@contoso.example', tenantId: WORKSPACE },
  { ...MEGAN, userPrincipalName: 'megan@contoso.example', tenantId: WORKSPACE },
  { ...ALEX, userPrincipalName: 'alex@contoso.example', tenantId: WORKSPACE },
];

type Person = typeof ADELE;

/** A message with @mentions as Teams sends it: `<at>Name</at>` in the text plus mention entities (the bot's too). */
export function messageWithMentions(serviceUrl: string, text: string, mentioned: Person[], opts: { from?: Person; tenantId?: string } = {}) {
  const base = personalMessage(serviceUrl, `<at>${BOT.name}</at> ${text} ${mentioned.map((p) => `<at>${p.name}</at>`).join(' ')}`.trim(), opts);
  const mention = (p: { id: string; name: string }) => ({ type: 'mention', text: `<at>${p.name}</at>`, mentioned: { id: p.id, name: p.name } });
  return { ...base, entities: [mention(BOT), ...mentioned.map(mention)] };
}

/** A message in a team channel (the General channel unless said otherwise). */
export function channelMessage(serviceUrl: string, text: string, opts: { from?: Person; tenantId?: string; channelId?: string } = {}) {
  const base = personalMessage(serviceUrl, text, opts);
  const tenantId = opts.tenantId ?? WORKSPACE;
  const channelId = opts.channelId ?? '19:general-channel@thread.tacv2';
  return {
    ...base,
    conversation: { id: channelId, conversationType: 'channel', isGroup: true, tenantId, name: 'General' },
    channelData: { tenant: { id: tenantId }, team: { id: '19:general-channel@thread.tacv2', name: 'IT Ops' }, channel: { id: channelId } },
  };
}
