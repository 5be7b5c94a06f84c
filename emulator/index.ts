import { randomInt } from 'node:crypto';
import { TokenService } from './auth/tokens.js';
import { ensureCertificates } from './certs.js';
import { composeControl, makeCoreControl, registerControlRoutes, type CoreControl } from './control/index.js';
import type { EmulatorUrls, ServiceDeps } from './deps.js';
import { seededRoll, startServiceServer, type ServiceServer } from './http/server.js';
import { registerLogin, type LoginControl, type LoginOptions } from './login/index.js';
import { EmulatorState, type FaultSettings } from './state.js';
import { createWorld } from './world/index.js';
import type { World, WorldSizes } from './world/types.js';
import { tenantAppKey, DEMO_APP_GRAPH_PERMISSIONS } from './login/apps.js';
import { registerArm, type ArmControl } from './arm/index.js';
import { registerPartnerCenter, type PartnerControl } from './partner/index.js';
import { registerGraph, type GraphControl } from './graph/index.js';

export type { EmulatorUrls } from './deps.js';
export type { FaultSettings, WriteRecord, RequestRecord } from './state.js';

export interface EmulatorOptions {
  /** World seed: the same seed gives the same world. Default 'tenant-steward'. */
  seed?: string | number;
  /** 'demo' (tens of users, the default), 'bench' (100k users, 1M sign-ins) or explicit sizes. */
  size?: 'demo' | 'bench' | Partial<WorldSizes>;
  faults?: Partial<FaultSettings>;
  /** Added to every request (same as faults.latencyMs). */
  latencyMs?: number;
  /** Seed of the fault dice, so a faulty run can be replayed. Default random. */
  faultSeed?: number;
  /** Where the CA and server certificate live. Default emulator/.certs. */
  certDir?: string;
  /** Fixed ports per service; default random (0). */
  ports?: Partial<Record<keyof EmulatorUrls, number>>;
  /** Registered redirect URIs of the demo app. Default: `http://localhost/auth/callback` and `http://127.0.0.1/auth/callback`, any port. */
  redirectUris?: string[];
  /** Login service tuning (refresh token max inactive age, token lifetime, the demo app's Graph application permissions). */
  login?: Omit<LoginOptions, 'redirectUris'>;
  /** Size of the request log ring. Default 10 000. */
  maxRequests?: number;
}

export type EmulatorControl = CoreControl & LoginControl & ArmControl & PartnerControl & GraphControl & Record<string, unknown>;

export interface Emulator {
  urls: EmulatorUrls;
  /** The CA certificate clients must trust (NODE_EXTRA_CA_CERTS). */
  caPath: string;
  control: EmulatorControl;
  world: World;
  state: EmulatorState;
  tokens: TokenService;
  homeTenantId: string;
  demoApp: { clientId: string; clientSecret: string };
  /** User principal names of the home tenant's seeded admins. */
  adminUpns: string[];
  close(): Promise<void>;
}

type ServiceKey = keyof EmulatorUrls;
const SERVICES: { key: ServiceKey; service: 'login' | 'arm' | 'graph' | 'partnerCenter' }[] = [
  { key: 'authority', service: 'login' },
  { key: 'arm', service: 'arm' },
  { key: 'graph', service: 'graph' },
  { key: 'partnerCenter', service: 'partnerCenter' },
];

/** Starts Microsoft's login, ARM, Graph and Partner Center as four HTTPS origins on 127.0.0.1. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const certs = await ensureCertificates(options.certDir);
  const state = new EmulatorState({ faults: { ...options.faults, ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}) }, maxRequests: options.maxRequests });
  const roll = seededRoll(options.faultSeed ?? randomInt(2 ** 31));
  const servers: ServiceServer[] = [];
  try {
    for (const { key, service } of SERVICES) {
      servers.push(await startServiceServer({ service, tls: { key: certs.key, cert: certs.cert }, state, roll, port: options.ports?.[key] }));
    }
    const urls = Object.fromEntries(SERVICES.map(({ key }, i) => [key, servers[i].url])) as unknown as EmulatorUrls;
    const world = createWorld({ seed: options.seed ?? 'tenant-steward', size: options.size, clock: () => state.now() });
    const tokens = await TokenService.create(() => state.now());
    const deps: ServiceDeps = { world, state, tokens, urls };
    const [login] = servers.map((s) => s.router);

    const loginControl = registerLogin(login, deps, { ...options.login, redirectUris: options.redirectUris });
    const permissions = options.login?.applicationPermissions ?? DEMO_APP_GRAPH_PERMISSIONS;
    state.appConsents.set(tenantAppKey(world.home.id, world.demoApp.appId), new Set(permissions));
    const serviceControls = registerServices(servers, deps);

    const control = composeControl(makeCoreControl(state, world), loginControl, ...serviceControls) as EmulatorControl;
    for (const s of servers) registerControlRoutes(s.router, control);
    return {
      urls,
      caPath: certs.caPath,
      control,
      world,
      state,
      tokens,
      homeTenantId: world.home.id,
      demoApp: { clientId: world.demoApp.appId, clientSecret: world.demoApp.clientSecret },
      adminUpns: world.admins(world.home.id).map((u) => u.userPrincipalName),
      close: async () => {
        await Promise.all(servers.map((s) => s.close()));
      },
    };
  } catch (e) {
    await Promise.all(servers.map((s) => s.close()));
    throw e;
  }
}

/** ARM, Graph and Partner Center register their routes on their own origins and return their controls. */
function registerServices(servers: ServiceServer[], deps: ServiceDeps): object[] {
  const router = (service: string) => servers.find((s) => s.service === service)!.router;
  return [registerArm(router('arm'), deps), registerGraph(router('graph'), deps), registerPartnerCenter(router('partnerCenter'), deps)];
}
