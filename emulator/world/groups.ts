import { guidFor, mix, Rng } from './prng.js';
import type { TenantCtx } from './tenants.js';
import type { DirectoryObjectRef, GraphGroup, GraphUser } from './types.js';

/** Reads users of one tenant by slot (null when removed). */
export interface UserSlots {
  slots(): number;
  baseSlots(): number;
  at(index: number): GraphUser | null | undefined;
  baseAt(index: number): GraphUser;
}

interface GroupTemplate {
  name: string;
  unified: boolean;
  /** Which users belong: by department, or a seeded sample. */
  pick: (u: GraphUser, index: number) => boolean;
  cap: number;
  /** Positions of nested member groups. */
  nested: number[];
}

const byDept = (d: string) => (u: GraphUser) => u.department === d && u.userType !== 'Guest';

function templates(t: TenantCtx): GroupTemplate[] {
  const base: GroupTemplate[] = [
    { name: 'All Staff', unified: false, pick: (u, i) => u.userType !== 'Guest' && mix(t.key, 0xa11, i) % 4 === 0, cap: 300, nested: [1, 2] },
    { name: 'Engineering', unified: false, pick: byDept('Engineering'), cap: 500, nested: [3] },
    { name: 'Sales', unified: false, pick: byDept('Sales'), cap: 500, nested: [] },
    { name: 'Platform Team', unified: false, pick: (u, i) => byDept('Engineering')(u) && i % 2 === 0, cap: 50, nested: [] },
    { name: 'SaaS App Users', unified: false, pick: (u, i) => u.userType !== 'Guest' && mix(t.key, 0x5aa5, i) % 3 === 0, cap: 100, nested: [] },
    { name: 'Marketing Team', unified: true, pick: byDept('Marketing'), cap: 300, nested: [] },
  ];
  const projects = ['Phoenix', 'Atlas', 'Orion', 'Nova', 'Zephyr', 'Aurora', 'Helios', 'Titan'];
  for (let g = base.length; g < t.sizes.groupsPerTenant; g++) {
    const salt = g;
    base.push({ name: `Project ${projects[g % projects.length]}${g >= base.length + projects.length ? ` ${g}` : ''}`, unified: true, pick: (_u, i) => mix(t.key, 0x9e0, salt, i) % 7 === 0, cap: 30, nested: [] });
  }
  return base.slice(0, Math.max(t.sizes.groupsPerTenant, 0));
}

export interface GroupData {
  groups: GraphGroup[];
  /** Direct members per group id, as user slot indices and nested group ids. */
  members: Map<string, { userIndexes: number[]; groupIds: string[] }>;
}

const SCAN_LIMIT = 20_000;

/** Builds groups and their (capped) membership with one pass over at most SCAN_LIMIT base users. */
export function buildGroups(t: TenantCtx, users: UserSlots): GroupData {
  const tpl = templates(t);
  const groups: GraphGroup[] = tpl.map((g, i) => {
    const nick = g.name.toLowerCase().replace(/[^a-z0-9]/g, '');
    return {
      id: guidFor(t.key, 'group', i),
      displayName: g.name,
      description: `${g.name} (${t.orgName})`,
      mail: g.unified ? `${nick}@${t.primaryDomain}` : null,
      mailNickname: nick,
      mailEnabled: g.unified,
      securityEnabled: !g.unified,
      groupTypes: g.unified ? ['Unified'] : [],
      createdDateTime: new Date(Date.parse(t.createdDateTime) + (i + 1) * 86_400_000 * 17).toISOString().replace(/\.\d+Z$/, 'Z'),
    };
  });
  const members = new Map<string, { userIndexes: number[]; groupIds: string[] }>();
  tpl.forEach((g, i) => members.set(groups[i].id, { userIndexes: [], groupIds: g.nested.filter((n) => n < groups.length).map((n) => groups[n].id) }));
  const limit = Math.min(users.baseSlots(), SCAN_LIMIT);
  for (let index = 0; index < limit; index++) {
    const u = users.baseAt(index);
    tpl.forEach((g, gi) => {
      const m = members.get(groups[gi].id)!;
      if (m.userIndexes.length < g.cap && g.pick(u, index)) m.userIndexes.push(index);
    });
  }
  // A group with no member looks broken in a demo; give every group at least its tenant's first admin.
  for (const m of members.values()) if (m.userIndexes.length === 0 && m.groupIds.length === 0) m.userIndexes.push(new Rng(t.key).int(t.admins.length));
  return { groups, members };
}

export function directMembers(data: GroupData, users: UserSlots, groupId: string): DirectoryObjectRef[] | undefined {
  const m = data.members.get(groupId);
  if (!m) return undefined;
  const out: DirectoryObjectRef[] = [];
  for (const i of m.userIndexes) {
    const u = users.at(i);
    if (u) out.push({ '@odata.type': '#microsoft.graph.user', id: u.id });
  }
  for (const id of m.groupIds) out.push({ '@odata.type': '#microsoft.graph.group', id });
  return out;
}

/** Users and nested groups reachable from a group, each once (Graph's transitiveMembers). */
export function transitiveMembers(data: GroupData, users: UserSlots, groupId: string): DirectoryObjectRef[] | undefined {
  if (!data.members.has(groupId)) return undefined;
  const seen = new Set<string>([groupId]);
  const out: DirectoryObjectRef[] = [];
  const queue = [groupId];
  while (queue.length) {
    for (const ref of directMembers(data, users, queue.shift()!) ?? []) {
      if (seen.has(ref.id)) continue;
      seen.add(ref.id);
      out.push(ref);
      if (ref['@odata.type'] === '#microsoft.graph.group') queue.push(ref.id);
    }
  }
  return out;
}
