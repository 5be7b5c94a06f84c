import restify, { type Server } from 'restify';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Activity } from 'botbuilder';
import type { Logger } from './logging.js';
import type { InboundAuthenticator } from './teams/inbound-auth.js';
import type { BotAdapter } from './teams/bot-adapter.js';
import { activityProblem } from './teams/activity-shape.js';

/** Bot Framework activities are small; Teams caps messages near 28 KB, card submits well under this. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface ServerDeps {
  adapter: BotAdapter;
  /**
   * Checks the Authorization header (with the adapter's authentication), so that every refusal is a logged 401 with a
   * reason; the turn runs with its result.
   */
  authenticate: InboundAuthenticator;
  app: Application<TurnState>;
  logger: Logger;
  readiness: ReadinessCheck[];
  /** Extra routes (e.g. /auth/callback), registered by features that own them. */
  routes?: ((server: Server) => void)[];
}

/** restify: /api/messages, /healthz, /readyz, and the routes features add. Errors answer JSON, never crash. */
export function createServer(deps: ServerDeps): Server {
  const server = restify.createServer({ name: 'tenant-steward', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true }));

  server.post('/api/messages', async (req, res) => {
    const body = req.body as unknown;
    if (!isActivityShaped(body)) {
      res.send(400, { error: 'BadRequest', message: 'Expected a Bot Framework activity: a JSON object with a string "type".' });
      return;
    }
    const activity = body as Activity;
    const auth = await deps.authenticate(activity, headerValue(req.headers.authorization));
    if (!auth.ok) {
      // Never log the header: a valid token that failed for another reason (e.g. serviceUrl) is still a credential.
      deps.logger.warn({ status: auth.status, reason: auth.reason, detail: auth.detail, type: activity.type, channelId: activity.channelId, serviceUrl: activity.serviceUrl }, 'Bot Framework request refused');
      if (auth.status === 401) res.header('www-authenticate', 'Bearer');
      res.send(auth.status, { error: auth.status === 401 ? 'Unauthorized' : 'ServiceUnavailable', message: `Bot Framework authentication failed: ${auth.reason}.` });
      return;
    }
    // After authentication, so that a forged request learns nothing about what a valid one looks like.
    const problem = activityProblem(body as Record<string, unknown>);
    if (problem) {
      deps.logger.warn({ type: activity.type, problem }, 'malformed activity refused');
      res.send(400, { error: 'BadRequest', message: `Not a usable Bot Framework activity: ${problem}.` });
      return;
    }
    await deps.adapter.processAuthenticated(
      activity,
      auth.result,
      res,
      async (context) => {
        await deps.app.run(context);
      },
      (err) => deps.logger.error({ err, type: activity.type, conversationId: activity.conversation?.id }, 'turn failed'),
    );
  });

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });

  server.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      deps.readiness.map(async (r) => {
        try {
          await r.check();
          return { name: r.name, ok: true };
        } catch (err) {
          return { name: r.name, ok: false, error: (err as Error).message };
        }
      }),
    );
    const ready = results.every((r) => r.ok);
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks: results });
  });

  for (const addRoutes of deps.routes ?? []) addRoutes(server);

  // restify answers its own errors (413, 400 bad JSON, 404, 405) as JSON { code, message }; log them too.
  server.on('restifyError', (req, _res, err, callback) => {
    deps.logger.warn({ method: req.method, url: req.url, status: err.statusCode, code: err.code ?? err.name, message: err.message }, 'request refused');
    return callback();
  });
  return server;
}

function headerValue(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

function isActivityShaped(body: unknown): boolean {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && typeof (body as { type?: unknown }).type === 'string';
}

export async function listen(server: Server, port: number, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}
