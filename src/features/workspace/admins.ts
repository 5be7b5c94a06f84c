import type { Store } from '../../store/port.js';
import type { Workspace, WorkspaceAdmin } from '../../store/types.js';
import type { NamedPerson } from './people.js';

/** The outcome of an admin change, decided against one version of the workspace. */
export type AdminChange =
  | { kind: 'changed'; workspace: Workspace; message: string; role: WorkspaceAdmin['role'] | 'none' }
  | { kind: 'unchanged'; message: string }
  | { kind: 'refused'; reason: string; message: string };

/** Adds `person` as admin (or owner), or promotes an admin to owner. Never demotes. */
export function addAdmin(workspace: Workspace, person: NamedPerson, role: WorkspaceAdmin['role'], at: string): AdminChange {
  const existing = workspace.admins.find((a) => a.aadObjectId === person.aadObjectId);
  if (existing && (existing.role === role || existing.role === 'owner')) {
    return { kind: 'unchanged', message: `${existing.name} is already ${existing.role === 'owner' ? 'an owner' : 'an admin'} of this workspace.` };
  }
  const others = workspace.admins.filter((a) => a.aadObjectId !== person.aadObjectId);
  const added: WorkspaceAdmin = { aadObjectId: person.aadObjectId, name: existing?.name ?? person.name, role, addedAt: existing?.addedAt ?? at };
  return {
    kind: 'changed',
    role,
    workspace: { ...workspace, admins: [...others, added], updatedAt: at },
    message: existing ? `${added.name} is now an owner of this workspace.` : `${added.name} is now ${role === 'owner' ? 'an owner' : 'an admin'} of this workspace.`,
  };
}

/** Removes `person` from the admins. The last owner cannot be removed: the workspace would be unmanageable. */
export function removeAdmin(workspace: Workspace, person: NamedPerson, at: string): AdminChange {
  const existing = workspace.admins.find((a) => a.aadObjectId === person.aadObjectId);
  if (!existing) return { kind: 'unchanged', message: `${person.name} is not an admin of this workspace, so there is nothing to remove.` };
  const owners = workspace.admins.filter((a) => a.role === 'owner');
  if (existing.role === 'owner' && owners.length === 1) {
    return {
      kind: 'refused',
      reason: 'last owner',
      message: `${existing.name} is the last owner of this workspace, so I can't remove them. Make someone else an owner first with \`admins add @person as owner\`.`,
    };
  }
  return {
    kind: 'changed',
    role: 'none',
    workspace: { ...workspace, admins: workspace.admins.filter((a) => a !== existing), updatedAt: at },
    message: `${existing.name} is no longer ${existing.role === 'owner' ? 'an owner' : 'an admin'} of this workspace.`,
  };
}

/**
 * Applies `decide` to the stored workspace with compare-and-set on `updatedAt`, retrying when another change landed
 * in between, so two owners editing at once never lose each other's change (nor remove the last two owners).
 */
export async function changeAdmins(store: Store, workspaceId: string, decide: (current: Workspace) => AdminChange): Promise<AdminChange> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await store.workspaces.get(workspaceId, workspaceId);
    if (!current) return { kind: 'refused', reason: 'no workspace', message: 'This workspace is not connected yet: type `connect` first.' };
    const change = decide(current);
    if (change.kind !== 'changed') return change;
    if (await store.workspaces.replaceIf(change.workspace, { updatedAt: current.updatedAt ?? null })) return change;
  }
  throw new Error('the workspace kept changing while its admins were being updated');
}

/** Who administers the workspace, owners first, as Markdown lines. */
export function describeAdmins(workspace: Workspace): string {
  const line = (a: WorkspaceAdmin) => `- ${a.name}${a.addedAt ? ` (since ${a.addedAt.slice(0, 10)})` : ''}`;
  const owners = workspace.admins.filter((a) => a.role === 'owner');
  const admins = workspace.admins.filter((a) => a.role === 'admin');
  return [
    `**Owners** (manage admins):`,
    ...owners.map(line),
    `**Admins** (change settings):`,
    ...(admins.length ? admins.map(line) : ['- none yet: add one with `admins add @person`']),
    'Everyone else in your organisation can read (status, security, help) but change nothing.',
  ].join('\n');
}
