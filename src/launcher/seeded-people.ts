import type { GraphUser, World } from '../../emulator/world/types.js';
import type { PlaygroundPerson, PlaygroundWorld } from './playground-config.js';

/**
 * Picks the Playground's people from the emulator's home tenant: the signed-in user is the seeded admin who owns the
 * most subscriptions (so `connect` finds subscriptions to grant on), the second admin comes next (the approver of
 * read/write requests), then other admins and enabled members fill the team up to the 5 the Playground requires.
 */
export function playgroundWorldFrom(world: World, names: { teamName?: string; channelName?: string; botName?: string } = {}): PlaygroundWorld {
  const tenantId = world.home.id;
  const subscriptions = world.azureSubscriptions(tenantId);
  const owned = (u: GraphUser) => subscriptions.filter((s) => s.ownerIds.includes(u.id)).length;
  const admins = [...world.admins(tenantId)].sort((a, b) => owned(b) - owned(a));
  if (admins.length < 2) throw new Error(`The emulator's home tenant has ${admins.length} seeded admin(s); the Playground needs two (requester and approver).`);
  const adminIds = new Set(admins.map((a) => a.id));
  const members: GraphUser[] = admins.slice(1);
  for (const u of world.users(tenantId)) {
    if (members.length >= 5) break;
    if (!adminIds.has(u.id) && u.userType === 'Member' && u.accountEnabled) members.push(u);
  }
  if (members.length < 5) throw new Error(`The emulator's home tenant has too few enabled members for the Playground's 5 team members (found ${members.length}).`);
  return {
    tenantId,
    signedIn: person(admins[0]),
    members: members.slice(0, 5).map(person),
    teamName: names.teamName ?? `${world.home.displayName} IT`,
    channelName: names.channelName ?? 'IT Ops',
    botName: names.botName ?? 'Tenant Steward',
  };
}

function person(u: GraphUser): PlaygroundPerson {
  const [first, ...rest] = u.displayName.split(' ');
  return {
    aadObjectId: u.id,
    userPrincipalName: u.userPrincipalName,
    displayName: u.displayName,
    givenName: u.givenName ?? first,
    surname: u.surname ?? (rest.join(' ') || first),
    email: u.mail ?? u.userPrincipalName,
  };
}
