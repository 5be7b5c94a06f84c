import { randomBytes } from 'node:crypto';
import type { Deps } from '../../deps.js';
import type { ConsentPurpose, ConsentState } from '../../store/types.js';

/** How long a sign-in link stays usable. */
export const STATE_TTL_MS = 10 * 60 * 1000;
/** Consumed or expired states are swept after this long (they stay a while so a late second use is named "reused"). */
const SWEEP_AFTER_MS = 24 * 3600 * 1000;

export type StateDeps = Pick<Deps, 'store' | 'sealer' | 'now'>;

/** What starting a sign-in stores, before sealing: the record's own fields plus the clear-text PKCE verifier. */
export type NewState = Pick<
  ConsentState,
  'id' | 'workspaceId' | 'purpose' | 'aadObjectId' | 'userName' | 'conversationId' | 'authorityTenant' | 'expectedTenantId' | 'scopes' | 'redirectUri' | 'context'
> & { verifier: string };

/**
 * The `state` parameter: `<random>.<workspace>`. The random part (32 bytes, base64url) is the record id and the
 * secret; the workspace part only tells the callback where to look (every store read is workspace-scoped), and a
 * forged one finds nothing.
 */
export function stateParam(state: Pick<ConsentState, 'id' | 'workspaceId'>): string {
  return `${state.id}.${Buffer.from(state.workspaceId, 'utf8').toString('base64url')}`;
}

export function parseStateParam(value: unknown): { id: string; workspaceId: string } | undefined {
  if (typeof value !== 'string' || value.length > 200) return undefined;
  const m = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{1,100})$/.exec(value);
  if (!m) return undefined;
  const workspaceId = Buffer.from(m[2], 'base64url').toString('utf8');
  if (!workspaceId || workspaceId.length > 64 || Buffer.from(workspaceId, 'utf8').toString('base64url') !== m[2]) return undefined;
  return { id: m[1], workspaceId };
}

/** 32 random bytes, base64url: the secret part of a `state`. */
export function newStateId(): string {
  return randomBytes(32).toString('base64url');
}

/** Stores a pending state, its PKCE verifier sealed with the state id as context. */
export async function createState(deps: StateDeps, req: NewState): Promise<ConsentState> {
  await sweep(deps, req.workspaceId);
  const now = deps.now();
  const { verifier, ...rest } = req;
  const state: ConsentState = {
    ...rest,
    sealedVerifier: deps.sealer.seal(verifier, req.id),
    status: 'pending',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + STATE_TTL_MS).toISOString(),
  };
  if (!(await deps.store.consentStates.insert(state))) throw new Error('consent state id collision');
  return state;
}

export type Consumed =
  | { ok: true; state: ConsentState; verifier: string }
  | { ok: false; why: 'unknown' }
  | { ok: false; why: 'reused' | 'cancelled' | 'expired'; state: ConsentState };

/**
 * Takes a state for one callback: compare-and-set from `pending` to `used`, so of two callbacks with the same
 * state exactly one wins. An expired state is consumed too (marked used) and reported as expired.
 */
export async function consumeState(deps: StateDeps, ref: { id: string; workspaceId: string }): Promise<Consumed> {
  const state = await deps.store.consentStates.get(ref.workspaceId, ref.id);
  if (!state) return { ok: false, why: 'unknown' };
  if (state.status === 'cancelled') return { ok: false, why: 'cancelled', state };
  if (state.status !== 'pending') return { ok: false, why: 'reused', state };
  const now = deps.now();
  const used: ConsentState = { ...state, status: 'used', usedAt: now.toISOString() };
  if (!(await deps.store.consentStates.replaceIf(used, { status: 'pending' }))) return { ok: false, why: 'reused', state };
  if (Date.parse(state.expiresAt) <= now.getTime()) return { ok: false, why: 'expired', state: used };
  return { ok: true, state: used, verifier: deps.sealer.unseal(state.sealedVerifier, state.id) };
}

/** Drops this workspace's states that can no longer be used and hold no open window. */
async function sweep(deps: StateDeps, workspaceId: string): Promise<void> {
  const cutoff = deps.now().getTime() - SWEEP_AFTER_MS;
  for (const s of await deps.store.consentStates.find(workspaceId)) {
    const windowOpen = s.window && Date.parse(s.window.expiresAt) > deps.now().getTime();
    if (Date.parse(s.expiresAt) < cutoff && !windowOpen) await deps.store.consentStates.delete(workspaceId, s.id);
  }
}
