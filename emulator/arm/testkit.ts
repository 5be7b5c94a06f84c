/**
 * Test support for the ARM and Partner Center modules: starts one real HTTPS service server on port 0 with the
 * real seeded world, and mints tokens with the emulator's TokenService (as the login service would issue them).
 * Not used by the emulator itself.
 */
import type { TokenCredential } from '@azure/core-auth';
import { ensureCertificates } from '../certs.js';
import { EmulatorState } from '../state.js';
import { TokenService, type TokenClaims } from '../auth/tokens.js';
import { seededRoll, startServiceServer, type ServiceServer } from '../http/server.js';
import { createWorld } from '../world/index.js';
import type { World, WorldSizes } from '../world/types.js';
import { RESOURCE_IDS, type EmulatorUrls, type ServiceDeps } from '../deps.js';
import type { Router } from '../http/router.js';

export interface TestService<C> {
  url: string;
  deps: ServiceDeps;
  world: World;
  state: EmulatorState;
  tokens: TokenService;
  control: C;
  close(): Promise<void>;
}

/** Starts `service` with `register` on it; the other URLs point nowhere (unused by the service under test). */
export async function startTestService<C>(
  service: 'arm' | 'partnerCenter',
  register: (router: Router, deps: ServiceDeps) => C,
  opts: { seed?: string; size?: Partial<WorldSizes> } = {},
): Promise<TestService<C>> {
  const certs = await ensureCertificates();
  const state = new EmulatorState();
  const tokens = await TokenService.create(() => state.now());
  const world = createWorld({ seed: opts.seed ?? 'arm-partner-tests', size: opts.size ?? 'demo', clock: () => state.now() } as Parameters<typeof createWorld>[0]);
  const server: ServiceServer = await startServiceServer({ service, tls: { key: certs.key, cert: certs.cert }, state, roll: seededRoll(7) });
  const urls: EmulatorUrls = { authority: 'https://127.0.0.1:9', arm: 'https://127.0.0.1:9', graph: 'https://127.0.0.1:9', partnerCenter: 'https://127.0.0.1:9', [service]: server.url };
  const deps: ServiceDeps = { world, state, tokens, urls };
  const control = register(server.router, deps);
  return { url: server.url, deps, world, state, tokens, control, close: () => server.close() };
}

export type Audience = keyof typeof RESOURCE_IDS;

/** A token as the emulator's login would issue it: delegated (with scp, upn, amr) or app-only (idtyp app). */
export async function mintToken(
  tokens: TokenService,
  audience: Audience,
  who: { tenantId: string; oid: string; appId?: string; delegated?: boolean; upn?: string; amr?: string[]; lifetimeSeconds?: number },
): Promise<string> {
  const appid = who.appId ?? '11111111-2222-3333-4444-555555555555';
  const claims: TokenClaims = {
    aud: RESOURCE_IDS[audience][0],
    tid: who.tenantId,
    oid: who.oid,
    sub: who.oid,
    appid,
    azp: appid,
    idtyp: who.delegated ? 'user' : 'app',
    ver: '2.0',
    ...(who.delegated ? { scp: 'user_impersonation', upn: who.upn, amr: who.amr ?? ['pwd', 'mfa'] } : {}),
  };
  return tokens.sign(claims, `https://127.0.0.1:9/${who.tenantId}/v2.0`, who.lifetimeSeconds ?? 3600);
}

/** A TokenCredential that hands the SDK a fixed token (what ClientSecretCredential would fetch from login). */
export function staticCredential(token: string): TokenCredential {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
}
