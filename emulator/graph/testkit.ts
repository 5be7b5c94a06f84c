/**
 * Test support for the Graph module: one real HTTPS Graph origin on port 0 over a real seeded world, and tokens
 * minted with the emulator's TokenService the way its login issues them. Not used by the emulator itself.
 */
import { ensureCertificates } from '../certs.js';
import { EmulatorState } from '../state.js';
import { TokenService } from '../auth/tokens.js';
import { seededRoll, startServiceServer } from '../http/server.js';
import { createWorld } from '../world/index.js';
import type { World, WorldSizes } from '../world/types.js';
import type { EmulatorUrls, ServiceDeps } from '../deps.js';
import { registerGraph, type GraphControl } from './index.js';

export const ALL_READ_ROLES = [
  'User.Read.All', 'Application.Read.All', 'Organization.Read.All', 'GroupMember.Read.All', 'AuditLog.Read.All', 'Directory.Read.All',
  'Reports.Read.All', 'ReportSettings.ReadWrite.All',
];

export interface GraphTestService {
  url: string;
  deps: ServiceDeps;
  world: World;
  state: EmulatorState;
  control: GraphControl;
  /** An app-only Graph token for `tenantId` with these roles (default: every read role plus ReportSettings.ReadWrite.All). */
  appToken(tenantId: string, roles?: string[], lifetimeSeconds?: number): Promise<string>;
  /** Authenticated GET (or other method) against the Graph origin; `pathOrUrl` may be a nextLink. */
  call(token: string, pathOrUrl: string, init?: RequestInit): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export async function startGraphTestService(opts: { seed?: string; size?: 'demo' | 'bench' | Partial<WorldSizes>; anchorTime?: number } = {}): Promise<GraphTestService> {
  const certs = await ensureCertificates();
  const state = new EmulatorState();
  const tokens = await TokenService.create(() => state.now());
  const world = createWorld({ seed: opts.seed ?? 'graph-tests', size: opts.size ?? 'demo', anchorTime: opts.anchorTime, clock: () => state.now() });
  const server = await startServiceServer({ service: 'graph', tls: { key: certs.key, cert: certs.cert }, state, roll: seededRoll(7) });
  const urls: EmulatorUrls = { authority: 'https://127.0.0.1:9', arm: 'https://127.0.0.1:9', graph: server.url, partnerCenter: 'https://127.0.0.1:9' };
  const deps: ServiceDeps = { world, state, tokens, urls };
  const control = registerGraph(server.router, deps);
  const appId = world.demoApp.appId;
  return {
    url: server.url,
    deps,
    world,
    state,
    control,
    appToken: (tenantId, roles = ALL_READ_ROLES, lifetimeSeconds = 3600) =>
      tokens.sign(
        { aud: 'https://graph.microsoft.com', tid: tenantId, oid: world.demoApp.servicePrincipalIdIn(tenantId), sub: world.demoApp.servicePrincipalIdIn(tenantId), appid: appId, azp: appId, idtyp: 'app', ver: '1.0', roles },
        `https://sts.windows.net/${tenantId}/`,
        lifetimeSeconds,
        state.now(),
      ),
    async call(token, pathOrUrl, init = {}) {
      const res = await fetch(pathOrUrl.startsWith('https://') ? pathOrUrl : `${server.url}${pathOrUrl}`, {
        ...init,
        redirect: 'manual',
        headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) },
      });
      const text = await res.text();
      let body: unknown = text;
      if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
      return { status: res.status, body, headers: res.headers };
    },
    close: () => server.close(),
  };
}
