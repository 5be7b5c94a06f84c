import type { Deps } from '../../deps.js';
import type { DelegatedGrant } from '../../microsoft/index.js';
import type { ConsentState } from '../../store/types.js';
import { ensureWorkspace } from '../../teams/guards.js';
import { failed, refuse, tell } from './outcomes.js';
import { grantAccess, ServicePrincipalMissing } from './grant-access.js';
import type { CallbackPage } from './pages.js';
import { resultCardData, resultPage } from './result.js';
import { connectRole } from './sign-in.js';
import { openWindow } from './window.js';
import { scheduleTagSync } from '../tags/job.js';
import { scheduleHealthCheck } from '../health/job.js';

/**
 * After a `connect` or `add subscriptions` sign-in: check the Teams user may still do it, open the impersonation
 * window, grant access and record it, then post the result card to the conversation and answer the browser.
 */
export async function completeAzureSignIn(deps: Deps, state: ConsentState, grant: DelegatedGrant): Promise<CallbackPage> {
  const workspace = await deps.store.workspaces.get(state.workspaceId, state.workspaceId);
  const member = workspace?.admins.find((a) => a.aadObjectId === state.aadObjectId);
  if (workspace && !member) {
    const owners = workspace.admins.filter((a) => a.role === 'owner').map((a) => a.name).join(' or ') || 'an owner';
    return refuse(deps, state, `${state.userName ?? 'You'} is not an admin of this workspace (it is administered by ${owners}). Ask an owner to add you with \`admins add\`.`, { role: 'viewer' });
  }
  const mode = state.purpose === 'addSubscriptions' ? 'addSubscriptions' : 'connect';
  if (mode === 'addSubscriptions' && !(await deps.store.tenants.get(state.workspaceId, grant.tenantId))) {
    return refuse(deps, state, 'That tenant is not connected to this workspace: use `connect` first.', { tenantId: grant.tenantId });
  }
  const actor = { aadObjectId: state.aadObjectId, name: state.userName };
  const role = connectRole(deps, workspace);
  try {
    // Everything that can fail without a write comes first: the workspace is created only once access is granted.
    const window = { accessToken: grant.accessToken, expiresOn: grant.expiresOn };
    const access = await grantAccess(deps, {
      mode, workspaceId: state.workspaceId, tenantId: grant.tenantId, actor, signedInAs: grant.userPrincipalName, ...window, refreshToken: grant.refreshToken, role,
      beforeWrites: async () => {
        if (workspace) return;
        // The first admin who completes connect becomes the owner; if someone else won that race, this one stops here.
        const made = await ensureWorkspace(deps, state.workspaceId, { aadObjectId: state.aadObjectId, name: state.userName });
        if (!made.workspace.admins.some((a) => a.aadObjectId === state.aadObjectId)) throw new LostOwnershipRace(made.workspace.admins.map((a) => a.name).join(', '));
      },
    });
    const opened = await openWindow(deps, state, grant);
    // Each connected subscription gets its daily tags.sync (idempotent: a reconnect keeps the existing schedule).
    for (const sub of await deps.store.subscriptions.find(state.workspaceId, { tenantId: grant.tenantId })) await scheduleTagSync(deps, sub);
    // The tenant's hourly health.check (idempotent; first run an hour from now, so it never races this flow).
    await scheduleHealthCheck(deps, access.tenant);
    const view = { mode, role, signedInAs: grant.userPrincipalName, windowClosesAt: opened.expiresOn, access } as const;
    await tell(deps, state, { attachments: [deps.cards.attachment('consent-result', resultCardData(view))] });
    return resultPage(view);
  } catch (err) {
    if (err instanceof ServicePrincipalMissing) return failed(deps, state, err.problem, 'consent.servicePrincipal');
    if (err instanceof LostOwnershipRace) return refuse(deps, state, `${err.message} connected this workspace first and became its owner; ask them to add you as an admin.`, {});
    throw err;
  }
}

class LostOwnershipRace extends Error {}
