import type { TurnContext } from 'botbuilder';
import type { Deps } from '../deps.js';
import type { Store } from '../store/port.js';
import type { Person, Workspace, WorkspaceAdmin } from '../store/types.js';
import { turnLogger, workspaceIdOf } from './turn.js';

/**
 * Who may do what. The workspace is the Teams tenant of the activity (channelData.tenant.id); the person is
 * `activity.from.aadObjectId`. Owners manage admins, admins change things, everyone else in the Teams tenant is a
 * viewer who may read. Every refusal is audited and answered in the conversation.
 */

export type Role = 'owner' | 'admin' | 'viewer';

export interface Caller {
  workspaceId: string;
  aadObjectId: string;
  name: string;
  role: Role;
  /** Undefined until the first admin completes `connect`. */
  workspace?: Workspace;
}

/** What the guards need: a subset of Deps, so the /auth/callback route can use them too. */
export type GuardDeps = Pick<Deps, 'store' | 'logger' | 'now'>;

const RANK: Record<Role, number> = { viewer: 0, admin: 1, owner: 2 };

/** Collections whose ids arrive in card data and must be checked against the caller's workspace. */
export type OwnedCollection = 'tenants' | 'subscriptions' | 'approvals' | 'tagEdits' | 'conversations';
type RecordOf<K extends OwnedCollection> = NonNullable<Awaited<ReturnType<Store[K]['get']>>>;

export interface RefusalOptions {
  /** Machine name of the refused action, e.g. `admins.add` (the audit entry's `action`). */
  action: string;
  /** Defaults to the workspace id. */
  target?: string;
  reason: string;
  /** What the person reads. */
  message: string;
  detail?: Record<string, unknown>;
}

/**
 * Identifies the caller without side effects. Resolves a reason string instead of a Caller when the turn has no
 * Teams tenant id or no aadObjectId (such turns are refused: they cannot be tied to a workspace or a person).
 */
export async function resolveCaller(deps: GuardDeps, context: TurnContext): Promise<Caller | { refused: 'no-tenant' | 'no-user' }> {
  const workspaceId = workspaceIdOf(context);
  if (!workspaceId) return { refused: 'no-tenant' };
  const aadObjectId = context.activity.from?.aadObjectId;
  if (typeof aadObjectId !== 'string' || aadObjectId.length === 0 || aadObjectId.length > 64) return { refused: 'no-user' };
  const workspace = await deps.store.workspaces.get(workspaceId, workspaceId);
  const admin = workspace?.admins.find((a) => a.aadObjectId === aadObjectId);
  return { workspaceId, aadObjectId, name: context.activity.from?.name || admin?.name || 'someone', role: admin?.role ?? 'viewer', workspace };
}

/** Any identified person of the workspace (viewers included): for read-only commands. Refuses otherwise. */
export async function requireCaller(deps: GuardDeps, context: TurnContext, action: string): Promise<Caller | undefined> {
  const caller = await resolveCaller(deps, context);
  if ('refused' in caller) {
    await refuseUnidentified(deps, context, action, caller.refused);
    return undefined;
  }
  return caller;
}

/**
 * The caller, if their role is at least `minimum`. Otherwise audits the refusal, tells them who can help, and
 * resolves undefined. `allowBootstrap`: while the workspace does not exist yet, anyone of the Teams tenant passes
 * (used by `connect`: the first admin who completes it becomes the owner).
 */
export async function requireRole(
  deps: GuardDeps,
  context: TurnContext,
  minimum: 'admin' | 'owner',
  action: string,
  opts: { doing?: string; target?: string; allowBootstrap?: boolean } = {},
): Promise<Caller | undefined> {
  const caller = await requireCaller(deps, context, action);
  if (!caller) return undefined;
  if (RANK[caller.role] >= RANK[minimum]) return caller;
  if (!caller.workspace && opts.allowBootstrap) return caller;
  const doing = opts.doing ?? 'do that';
  const message = !caller.workspace
    ? `This workspace is not connected yet, so it has no admins. An admin of your Microsoft tenant should type \`connect\` first; they become its owner.`
    : `Only workspace ${minimum === 'owner' ? 'owners' : 'admins'} can ${doing}. ${askOwners(caller.workspace, minimum)}`;
  await refuse(deps, context, caller, { action, target: opts.target, reason: `role ${caller.role} is below ${minimum}`, message, detail: { role: caller.role, required: minimum } });
  return undefined;
}

/**
 * Loads the record an id from card data (or typed text) points at, only within the caller's workspace. An id that
 * is not a string, or that this workspace does not hold (another workspace's id, a forged one, a deleted record),
 * is refused, audited as possible tampering, and answered; resolves undefined then.
 */
export async function requireOwned<K extends OwnedCollection>(
  deps: GuardDeps,
  context: TurnContext,
  caller: Caller,
  collection: K,
  id: unknown,
  action: string,
): Promise<RecordOf<K> | undefined> {
  const valid = typeof id === 'string' && id.length > 0 && id.length <= 512;
  const record = valid ? ((await deps.store[collection].get(caller.workspaceId, id)) as RecordOf<K> | undefined) : undefined;
  if (record) return record;
  await refuse(deps, context, caller, {
    action,
    target: valid ? id : '(invalid id)',
    reason: 'id not in workspace',
    message: 'That action refers to something this workspace does not have (it may have been removed, or the card data was altered). Nothing was changed.',
    detail: { collection, possibleTampering: true },
  });
  return undefined;
}

/** Audits a refusal (outcome `refused`) and answers the person. Never throws because the answer failed. */
export async function refuse(deps: GuardDeps, context: TurnContext, caller: Pick<Caller, 'workspaceId' | 'aadObjectId'>, opts: RefusalOptions): Promise<void> {
  await deps.store.audit.append({
    workspaceId: caller.workspaceId,
    actor: caller.aadObjectId,
    action: opts.action,
    target: opts.target || caller.workspaceId,
    outcome: 'refused',
    detail: { reason: opts.reason, conversationId: context.activity.conversation?.id, ...opts.detail },
  });
  turnLogger(deps.logger, context).warn({ action: opts.action, reason: opts.reason }, 'refused');
  await context.sendActivity(opts.message).catch((err: unknown) => turnLogger(deps.logger, context).warn({ err }, 'could not send a refusal'));
}

async function refuseUnidentified(deps: GuardDeps, context: TurnContext, action: string, why: 'no-tenant' | 'no-user'): Promise<void> {
  const workspaceId = workspaceIdOf(context);
  const message = 'I can only act on requests from a signed-in Microsoft Teams user in a Microsoft 365 organisation, and this one does not say who sent it. Nothing was done.';
  if (workspaceId) {
    await refuse(deps, context, { workspaceId, aadObjectId: `teams:${context.activity.from?.id || 'unknown'}` }, { action, reason: why, message });
    return;
  }
  // No workspace to file an audit entry under: the log is the record.
  turnLogger(deps.logger, context).warn({ action, reason: why }, 'refused: no Teams tenant');
  await context.sendActivity(message).catch(() => undefined);
}

function askOwners(workspace: Workspace, minimum: 'admin' | 'owner'): string {
  const owners = workspace.admins.filter((a) => a.role === 'owner').map((a) => a.name);
  const who = owners.length ? owners.join(' or ') : 'a workspace owner';
  return minimum === 'owner' ? `Ask ${who} if you need a change of admins.` : `Ask ${who} to add you with \`admins add @you\`.`;
}

/**
 * The workspace of a Teams tenant, created on first use with `owner` as its owner (the first admin who completes
 * `connect`). An existing workspace is returned unchanged: later connects do not change who administers it.
 * Safe under a race: the insert is single-use, so two simultaneous first connects make one owner.
 */
export async function ensureWorkspace(deps: GuardDeps, workspaceOrContext: string | TurnContext, owner: Person & { name?: string }): Promise<{ workspace: Workspace; created: boolean }> {
  const workspaceId = typeof workspaceOrContext === 'string' ? workspaceOrContext : workspaceIdOf(workspaceOrContext);
  if (!workspaceId) throw new Error('ensureWorkspace: the activity has no Teams tenant id');
  const existing = await deps.store.workspaces.get(workspaceId, workspaceId);
  if (existing) return { workspace: existing, created: false };
  const at = deps.now().toISOString();
  const first: WorkspaceAdmin = { aadObjectId: owner.aadObjectId, name: owner.name || owner.aadObjectId, role: 'owner', addedAt: at };
  const workspace: Workspace = { id: workspaceId, workspaceId, admins: [first], settings: {}, createdAt: at, updatedAt: at };
  if (!(await deps.store.workspaces.insert(workspace))) {
    const winner = await deps.store.workspaces.get(workspaceId, workspaceId);
    if (!winner) throw new Error('ensureWorkspace: the workspace vanished during creation');
    return { workspace: winner, created: false };
  }
  await deps.store.audit.append({ workspaceId, actor: owner.aadObjectId, action: 'workspace.create', target: workspaceId, outcome: 'success', detail: { owner: first.name } });
  return { workspace, created: true };
}
