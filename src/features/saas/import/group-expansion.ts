/** A member of a group as /groups/{id}/members returns it (users and nested groups). */
export interface GroupMember {
  '@odata.type'?: string;
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  givenName?: string | null;
  surname?: string | null;
}

export interface ExpandedGroup {
  users: GroupMember[];
  /** Groups nested two levels down: seed 003 expands nested groups once, so these were not opened. */
  notExpanded: string[];
}

const isGroup = (m: GroupMember) => m['@odata.type'] === '#microsoft.graph.group';
const isUser = (m: GroupMember) => m['@odata.type'] === undefined || m['@odata.type'] === '#microsoft.graph.user';

/**
 * The users of an assigned group: its direct user members, plus the user members of each group nested in it
 * (expanded once; groups nested deeper are reported, not opened). `members` is called once per group and should
 * be cached by the caller across apps.
 */
export async function expandGroup(groupId: string, members: (groupId: string) => Promise<GroupMember[]>): Promise<ExpandedGroup> {
  const users = new Map<string, GroupMember>();
  const notExpanded = new Set<string>();
  const direct = await members(groupId);
  for (const m of direct) if (isUser(m)) users.set(m.id, m);
  const opened = new Set([groupId, ...direct.filter(isGroup).map((g) => g.id)]);
  for (const nested of direct.filter(isGroup)) {
    if (nested.id === groupId) continue;
    for (const m of await members(nested.id)) {
      if (isUser(m)) users.has(m.id) || users.set(m.id, m);
      else if (isGroup(m) && !opened.has(m.id)) notExpanded.add(m.id);
    }
  }
  return { users: [...users.values()], notExpanded: [...notExpanded] };
}
