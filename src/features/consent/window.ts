import type { DelegatedGrant } from '../../microsoft/index.js';
import type { ConsentState } from '../../store/types.js';
import type { StateDeps } from './states.js';

/** The impersonation window: how long a delegated sign-in may be used after it happened (seeds 000 and 001). */
export const WINDOW_MS = 60 * 60 * 1000;

export interface OpenWindow {
  tenantId: string;
  userObjectId: string;
  userPrincipalName?: string;
  accessToken: string;
  expiresOn: Date;
}

/**
 * Keeps the delegated ARM access token on its (consumed) consent state, sealed, until the earlier of its own
 * expiry and one hour after the sign-in, so `add subscriptions` can use it from any bot process.
 */
export async function openWindow(deps: StateDeps, state: ConsentState, grant: DelegatedGrant): Promise<OpenWindow> {
  const expiresOn = new Date(Math.min(grant.expiresOn.getTime(), deps.now().getTime() + WINDOW_MS));
  const window = {
    tenantId: grant.tenantId,
    userObjectId: grant.userObjectId,
    userPrincipalName: grant.userPrincipalName,
    sealedAccessToken: deps.sealer.seal(grant.accessToken, windowContext(state.id)),
    expiresAt: expiresOn.toISOString(),
  };
  await deps.store.consentStates.upsert({ ...state, window });
  return { tenantId: grant.tenantId, userObjectId: grant.userObjectId, userPrincipalName: grant.userPrincipalName, accessToken: grant.accessToken, expiresOn };
}

/** The caller's window for a tenant, if one is still open. Windows belong to the Teams user who signed in. */
export async function findWindow(deps: StateDeps, workspaceId: string, aadObjectId: string, tenantId: string): Promise<OpenWindow | undefined> {
  const now = deps.now().getTime();
  const candidates = (await deps.store.consentStates.find(workspaceId, { aadObjectId, status: 'used' }))
    .filter((s) => s.window && s.window.tenantId === tenantId && Date.parse(s.window.expiresAt) > now)
    .sort((a, b) => Date.parse(b.window!.expiresAt) - Date.parse(a.window!.expiresAt));
  const state = candidates[0];
  if (!state?.window) return undefined;
  const w = state.window;
  return { tenantId: w.tenantId, userObjectId: w.userObjectId, userPrincipalName: w.userPrincipalName, accessToken: deps.sealer.unseal(w.sealedAccessToken, windowContext(state.id)), expiresOn: new Date(w.expiresAt) };
}

function windowContext(stateId: string): string {
  return `${stateId}/window`;
}
