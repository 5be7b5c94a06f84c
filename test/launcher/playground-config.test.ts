import { createWorld } from '../../emulator/world/index.js';
import { playgroundConfig, playgroundIds, toYaml, type PlaygroundPerson, type PlaygroundWorld } from '../../src/launcher/playground-config.js';
import { playgroundWorldFrom } from '../../src/launcher/seeded-people.js';

const person = (n: number, name = `User ${n}`): PlaygroundPerson => ({
  aadObjectId: `00000000-0000-4000-8000-00000000000${n}`,
  userPrincipalName: `user${n}@contoso.com`,
  displayName: name,
  givenName: 'User',
  surname: String(n),
  email: `user${n}@contoso.com`,
});
const base: PlaygroundWorld = {
  tenantId: 'tenant-a',
  signedIn: person(0),
  members: [1, 2, 3, 4, 5].map((n) => person(n)),
  teamName: 'IT',
  channelName: 'IT Ops',
  botName: 'Tenant Steward',
};

test('exactly 5 members, as the Playground schema demands', () => {
  expect(() => playgroundConfig({ ...base, members: base.members.slice(0, 4) })).toThrow(/exactly 5/);
  expect(playgroundConfig(base).users).toHaveLength(5);
});

test('Teams ids derive from object ids and tenant, so they survive restarts and differ between tenants', () => {
  const config = playgroundConfig(base);
  expect(config.currentUser).toMatchObject({ id: '29:00000000-0000-4000-8000-000000000000', userPrincipleName: 'user0@contoso.com' });
  expect(playgroundConfig(base)).toEqual(config);
  const other = playgroundIds('tenant-b', base.signedIn.aadObjectId);
  expect(other.team).not.toBe(config.team.id);
  const ids = [config.personalChat.id, config.groupChat.id, config.team.id, ...config.team.channels.map((c) => c.id)];
  expect(new Set(ids).size).toBe(ids.length);
  expect(config.team.aadGroupId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('YAML scalars are JSON-quoted, so names with quotes, colons or # cannot break the file', () => {
  const tricky = 'O\'Brien: "Ops" #1 \\ ü';
  const yml = toYaml(playgroundConfig({ ...base, signedIn: person(0, tricky) }), 'line one\nline two');
  expect(yml.startsWith('# line one\n# line two\nversion: "0.1.1"\n')).toBe(true);
  const nameLine = yml.split('\n').find((l) => l.startsWith('  name: ') && l.includes('Brien'))!;
  expect(JSON.parse(nameLine.slice('  name: '.length))).toBe(tricky);
  expect(yml).toContain('users:\n  - id: "29:00000000-0000-4000-8000-000000000001"\n    name: "User 1"\n');
  expect(yml).toContain('  channels:\n    - id: ');
});

test('from the emulator world: the signed-in user owns the most subscriptions, the approver is another admin', () => {
  const world = createWorld({ seed: 'tenant-steward' });
  const home = world.home.id;
  const picked = playgroundWorldFrom(world);
  const owned = (id: string) => world.azureSubscriptions(home).filter((s) => s.ownerIds.includes(id)).length;
  const adminIds = world.admins(home).map((a) => a.id);
  expect(picked.tenantId).toBe(home);
  expect(adminIds).toContain(picked.signedIn.aadObjectId);
  expect(Math.max(...adminIds.map(owned))).toBe(owned(picked.signedIn.aadObjectId));
  expect(adminIds).toContain(picked.members[0].aadObjectId);
  expect(picked.members[0].aadObjectId).not.toBe(picked.signedIn.aadObjectId);
  const all = [picked.signedIn, ...picked.members];
  expect(new Set(all.map((p) => p.aadObjectId)).size).toBe(6);
  for (const p of all) {
    const u = world.user(home, p.aadObjectId)!;
    expect(u.userPrincipalName).toBe(p.userPrincipalName);
    expect(u.accountEnabled).toBe(true);
  }
});
