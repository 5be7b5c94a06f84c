import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Deps } from '../../deps.js';
import { refuse, requireRole, type Caller } from '../../teams/guards.js';
import { addAdmin, changeAdmins, describeAdmins, removeAdmin, type AdminChange } from './admins.js';
import { resolvePerson, type NamedPerson } from './people.js';

const USAGE = 'Use `admins`, `admins add @person` (add `as owner` to make them an owner) or `admins remove @person`. Instead of a mention you can type a sign-in name (UPN) or a Microsoft Entra object id.';

/** `admins`, `admins add`, `admins remove`: owners manage who administers the workspace. */
export function register(app: Application, deps: Deps): void {
  deps.commands.add(
    { usage: 'admins', description: 'List the owners and admins of this workspace.', audience: 'owners' },
    { usage: 'admins add @person [as owner]', description: 'Make someone an admin (or an owner). A UPN or object id works too.', audience: 'owners' },
    { usage: 'admins remove @person', description: 'Remove an admin or owner. The last owner stays.', audience: 'owners' },
  );

  app.message(/^\s*admins(\s|$)/i, async (context) => {
    const [, sub = '', rest = ''] = /^\s*admins(?:\s+(\S+))?([\s\S]*)$/i.exec(context.activity.text ?? '') ?? [];
    const verb = sub.toLowerCase();
    if (verb === '') return listAdmins(deps, context);
    if (verb === 'add' || verb === 'remove') return changeAdmin(deps, context, verb, rest);
    await context.sendActivity(`I don't know \`admins ${sub}\`. ${USAGE}`);
  });
}

async function listAdmins(deps: Deps, context: TurnContext): Promise<void> {
  const caller = await requireRole(deps, context, 'owner', 'admins.list', { doing: 'see and manage the admins' });
  if (!caller?.workspace) return;
  await context.sendActivity(describeAdmins(caller.workspace));
}

async function changeAdmin(deps: Deps, context: TurnContext, verb: 'add' | 'remove', rest: string): Promise<void> {
  const action = `admins.${verb}`;
  const caller = await requireRole(deps, context, 'owner', action, { doing: 'manage admins' });
  if (!caller?.workspace) return;
  const asOwner = verb === 'add' && /\sas\s+owner\s*$/i.test(` ${rest}`);
  const typed = rest.replace(/<at>[\s\S]*?<\/at>/gi, ' ').replace(/\sas\s+owner\s*$/i, ' ').trim();
  const lookup = await resolvePerson(context, deps.store, caller.workspaceId, typed);
  if ('problem' in lookup) {
    await context.sendActivity(lookup.problem);
    return;
  }
  const at = deps.now().toISOString();
  const change = await changeAdmins(deps.store, caller.workspaceId, (w) =>
    verb === 'add' ? addAdmin(w, lookup.person, asOwner ? 'owner' : 'admin', at) : removeAdmin(w, lookup.person, at),
  );
  await report(deps, context, caller, action, lookup.person, change);
}

async function report(deps: Deps, context: TurnContext, caller: Caller, action: string, person: NamedPerson, change: AdminChange): Promise<void> {
  if (change.kind === 'refused') {
    await refuse(deps, context, caller, { action, target: person.aadObjectId, reason: change.reason, message: change.message, detail: { name: person.name } });
    return;
  }
  if (change.kind === 'changed') {
    await deps.store.audit.append({
      workspaceId: caller.workspaceId,
      actor: caller.aadObjectId,
      action,
      target: person.aadObjectId,
      outcome: 'success',
      detail: { name: person.name, role: change.role },
    });
  }
  await context.sendActivity(change.message);
}
