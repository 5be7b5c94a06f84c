import { createHash } from 'node:crypto';

/**
 * The Agents Playground's mock Teams context (`.m365agentsplayground.yml`, schema 0.1.1), derived from the
 * emulator's seeded home tenant, so that a Teams user in the Playground IS a user of the emulated directory:
 * same tenant id, object id (aadObjectId) and UPN. Schema facts (read from the Playground 0.2.28 bundle):
 * `users` holds exactly 5 entries besides `currentUser`; personal chat holds only `currentUser`; the team and the
 * group chat hold `currentUser` and all 5 `users`; the team has General (its id is the team id) plus at most one
 * more channel; user ids must be unique, and so must chat, team and channel ids.
 */

/** A directory user as the Playground needs it. */
export interface PlaygroundPerson {
  aadObjectId: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string;
  surname: string;
  email: string;
}

export interface PlaygroundWorld {
  tenantId: string;
  /** The signed-in Teams user: the seeded admin who owns the subscriptions. */
  signedIn: PlaygroundPerson;
  /** Exactly 5 more team members; put the second admin (the approver) first. */
  members: PlaygroundPerson[];
  teamName: string;
  /** The one channel besides General. */
  channelName: string;
  botName: string;
}

/** Teams user ids are `29:` ids; deriving them from the object id keeps them stable across restarts. */
export const teamsUserId = (aadObjectId: string): string => `29:${aadObjectId}`;
export const PLAYGROUND_BOT_ID = '28:tenant-steward';

/** Stable ids, so that conversation references stored by the bot stay valid when the launcher restarts. */
export function playgroundIds(tenantId: string, signedInObjectId: string) {
  const h = (label: string) => createHash('sha256').update(`${tenantId}:${label}`).digest('hex');
  const g = h('team-group');
  return {
    personalChat: `a:${createHash('sha256').update(`${tenantId}:${signedInObjectId}:personal`).digest('hex').slice(0, 40)}`,
    groupChat: `19:${h('group-chat').slice(0, 32)}@thread.v2`,
    team: `19:${h('general').slice(0, 32)}@thread.tacv2`,
    channel: `19:${h('it-ops').slice(0, 32)}@thread.tacv2`,
    teamAadGroupId: `${g.slice(0, 8)}-${g.slice(8, 12)}-4${g.slice(13, 16)}-a${g.slice(17, 20)}-${g.slice(20, 32)}`,
  };
}

export interface PlaygroundUserEntry {
  id: string;
  name: string;
  userPrincipleName: string; // sic: the Playground's schema spells it so
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
}

export interface PlaygroundConfigFile {
  version: '0.1.1';
  tenantId: string;
  bot: { id: string; name: string };
  currentUser: PlaygroundUserEntry;
  users: PlaygroundUserEntry[];
  personalChat: { id: string };
  groupChat: { id: string; name: string };
  team: { id: string; name: string; aadGroupId: string; channels: { id: string; name: string }[] };
}

export function playgroundConfig(world: PlaygroundWorld): PlaygroundConfigFile {
  if (world.members.length !== 5) throw new Error(`The Playground needs exactly 5 team members besides the signed-in user, got ${world.members.length}`);
  const ids = playgroundIds(world.tenantId, world.signedIn.aadObjectId);
  const entry = (p: PlaygroundPerson): PlaygroundUserEntry => ({
    id: teamsUserId(p.aadObjectId),
    name: p.displayName,
    userPrincipleName: p.userPrincipalName,
    aadObjectId: p.aadObjectId,
    givenName: p.givenName,
    surname: p.surname,
    email: p.email,
  });
  return {
    version: '0.1.1',
    tenantId: world.tenantId,
    bot: { id: PLAYGROUND_BOT_ID, name: world.botName.slice(0, 42) },
    currentUser: entry(world.signedIn),
    users: world.members.map(entry),
    personalChat: { id: ids.personalChat },
    groupChat: { id: ids.groupChat, name: `${world.teamName} chat` },
    team: { id: ids.team, name: world.teamName, aadGroupId: ids.teamAadGroupId, channels: [{ id: ids.channel, name: world.channelName }] },
  };
}

/** YAML with every scalar JSON-quoted (a JSON string is a valid YAML double-quoted scalar), so no value can break it. */
export function toYaml(config: PlaygroundConfigFile, header: string): string {
  const q = (s: string) => JSON.stringify(s);
  const user = (u: PlaygroundUserEntry, indent: string, first: string) =>
    (Object.entries(u) as [string, string][]).map(([k, v], i) => `${i === 0 ? first : indent}${k}: ${q(v)}`).join('\n');
  return [
    ...header.split('\n').map((l) => `# ${l}`.trimEnd()),
    `version: ${q(config.version)}`,
    `tenantId: ${q(config.tenantId)}`,
    'bot:',
    `  id: ${q(config.bot.id)}`,
    `  name: ${q(config.bot.name)}`,
    'currentUser:',
    user(config.currentUser, '  ', '  '),
    'users:',
    ...config.users.map((u) => user(u, '    ', '  - ')),
    'personalChat:',
    `  id: ${q(config.personalChat.id)}`,
    'groupChat:',
    `  id: ${q(config.groupChat.id)}`,
    `  name: ${q(config.groupChat.name)}`,
    'team:',
    `  id: ${q(config.team.id)}`,
    `  name: ${q(config.team.name)}`,
    `  aadGroupId: ${q(config.team.aadGroupId)}`,
    '  channels:',
    ...config.team.channels.map((c) => `    - id: ${q(c.id)}\n      name: ${q(c.name)}`),
    '',
  ].join('\n');
}
