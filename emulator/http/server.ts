import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Router, sendReply, serialized, type Ctx, type Reply, type ServiceName } from './router.js';
import { serviceError } from './errors.js';
import type { EmulatorState, RequestRecord } from '../state.js';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface ServiceServer {
  service: ServiceName;
  router: Router;
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** A random source for fault rolls; seeded so a fault run can be replayed. */
export type Roll = () => number;

export function seededRoll(seed: number): Roll {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Starts one HTTPS listener for one Microsoft service; every service gets its own origin, as in the real clouds. */
export async function startServiceServer(opts: {
  service: Exclude<ServiceName, 'control'>;
  tls: { key: string; cert: string };
  state: EmulatorState;
  roll: Roll;
  host?: string;
  port?: number;
}): Promise<ServiceServer> {
  const router = new Router();
  const server = createServer({ key: opts.tls.key, cert: opts.tls.cert }, (req, res) => {
    void dispatch(opts.service, router, opts.state, opts.roll, req, res);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `https://127.0.0.1:${port}`;
  return {
    service: opts.service,
    router,
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'tooLarge'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return 'tooLarge';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function dispatch(service: Exclude<ServiceName, 'control'>, router: Router, state: EmulatorState, roll: Roll, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  // Concatenate rather than resolve: a path such as `//subscriptions/x` (Azure SDKs send it for `/{scope}` with a
  // leading-slash scope) would otherwise be read as a protocol-relative URL with host `subscriptions`.
  const url = new URL(`https://emulator.invalid${(req.url ?? '/').startsWith('/') ? '' : '/'}${req.url ?? '/'}`);
  const method = (req.method ?? 'GET').toUpperCase();
  const isControl = url.pathname.startsWith('/_emulator/');
  // Injected failures hit the APIs (arm, graph, partnerCenter), as FaultSettings documents; login only gets latency,
  // so a fault run measures the bot's API retries rather than token acquisition failing first.
  const faulty = !isControl && service !== 'login';
  const log = (status: number, bytes: number, fault?: RequestRecord['fault']) =>
    state.recordRequest({ service: isControl ? 'control' : service, method, url: url.pathname + url.search, status, bytes, ms: Date.now() - started, fault });
  try {
    const body = await readBody(req);
    if (body === 'tooLarge') return finish(res, serviceError(service, 'badRequest', `Request body exceeds ${MAX_BODY_BYTES} bytes.`), log);
    // The fixed latency stands for the network and Microsoft's own service time. The emulator's work (building a
    // page of a 100k-user world) happens during that wait rather than after it, so a client measured against
    // pages × latency is not also charged for the emulator's CPU; a reply only leaves later when the work itself
    // takes longer than the latency.
    const due = !isControl && state.faults.latencyMs > 0 ? sleep(state.faults.latencyMs) : undefined;
    if (faulty) {
      const f = state.faults;
      if (f.resetRate > 0 && roll() < f.resetRate) {
        await due;
        log(0, 0, 'reset');
        req.socket.destroy();
        return;
      }
      const retryAfter = { 'Retry-After': String(f.retryAfterSeconds) };
      if (f.throttleRate > 0 && roll() < f.throttleRate) {
        await due;
        return finish(res, serviceError(service, 'throttled', 'Too many requests. Please retry after the time in Retry-After.', retryAfter), log, 'throttle');
      }
      if (f.unavailableRate > 0 && roll() < f.unavailableRate) {
        await due;
        return finish(res, serviceError(service, 'unavailable', 'The service is temporarily unavailable. Please retry.', retryAfter), log, 'unavailable');
      }
    }
    const match = router.match(method, url.pathname);
    if (!('route' in match)) {
      const reply = match.allowed.length
        ? serviceError(service, 'methodNotAllowed', `The requested resource does not support http method '${method}'.`, { Allow: match.allowed.join(', ') })
        : serviceError(service, 'notFound', `No route for ${method} ${url.pathname}.`);
      await due;
      return finish(res, reply, log);
    }
    const ctx = makeCtx(req, method, url, match.params, body, match.route.service);
    const reply = serialized(await match.route.handler(ctx));
    const truncate = faulty && state.faults.truncateRate > 0 && roll() < state.faults.truncateRate;
    await due;
    if (truncate && reply.status < 300 && reply.body !== undefined) return finishTruncated(res, reply, log);
    finish(res, reply, log);
  } catch (err) {
    const reply = serviceError(service, 'unavailable', `Emulator internal error: ${(err as Error).message}`);
    finish(res, { ...reply, status: 500 }, log);
  }
}

function makeCtx(req: IncomingMessage, method: string, url: URL, params: Record<string, string>, rawBody: Buffer, service: ServiceName): Ctx {
  return {
    req,
    method,
    url,
    path: url.pathname,
    params,
    query: url.searchParams,
    headers: req.headers,
    rawBody,
    service,
    json<T>() {
      if (rawBody.length === 0) return undefined;
      return JSON.parse(rawBody.toString('utf8')) as T;
    },
    form() {
      return new URLSearchParams(rawBody.toString('utf8'));
    },
  };
}

function finish(res: ServerResponse, reply: Reply, log: (status: number, bytes: number, fault?: RequestRecord['fault']) => void, fault?: RequestRecord['fault']): void {
  sendReply(res, reply);
  log(reply.status, Number(res.getHeader('content-length') ?? 0), fault);
}

/** Sends the headers of a full response but only half its body, then drops the connection. */
function finishTruncated(res: ServerResponse, reply: Reply, log: (status: number, bytes: number, fault?: RequestRecord['fault']) => void): void {
  const payload = Buffer.from(typeof reply.body === 'string' || Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body));
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...(reply.headers ?? {}), 'content-length': payload.length });
  const half = payload.subarray(0, Math.floor(payload.length / 2));
  res.write(half, () => res.destroy());
  log(reply.status, half.length, 'truncate');
}
