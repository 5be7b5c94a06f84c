import type { Activity, InvokeResponse, TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult, BotFrameworkAuthentication } from 'botframework-connector';
// The module itself, not the package index (see app.ts).
import { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter.js';
import { cachingTurnClients } from './client-cache.js';

/** What a turn's HTTP answer needs of the response (restify's, as CloudAdapter uses it). */
export interface TurnResponse {
  status(code: number): unknown;
  send(body: unknown): unknown;
  end(): unknown;
  header(name: string, value: string): unknown;
}

/**
 * teams-ai's TeamsAdapter with two costs of every turn removed:
 * - the outbound clients (a ConnectorClient with its whole HTTP pipeline, a UserTokenClient) are kept per serviceUrl
 *   instead of built per turn (see client-cache.ts);
 * - /api/messages authenticates the request once, at the edge, with this adapter's own authentication, and hands the
 *   result to `processAuthenticated`. `process` would validate the same token a second time (a second JWT signature
 *   check in production) and re-check the body's shape with zod, which the edge has done too.
 */
export class BotAdapter extends TeamsAdapter {
  constructor(...args: ConstructorParameters<typeof TeamsAdapter>) {
    super(...args);
    // TeamsAdapter builds its authentication itself; only the clients it makes per turn change.
    const settable = this as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication };
    settable.botFrameworkAuthentication = cachingTurnClients(settable.botFrameworkAuthentication);
  }

  /** How this adapter authenticates requests; the edge check must use it, so its result can run the turn. */
  get authentication(): BotFrameworkAuthentication {
    return this.botFrameworkAuthentication;
  }

  /**
   * Runs the turn of an activity whose request `authenticated` came from `authentication.authenticateRequest`, and
   * answers as CloudAdapter.process does: the invoke response's status and body, or 200. A turn that fails past
   * onTurnError goes to `onFailure` (our redacting log, not the console) and answers a fixed 500: CloudAdapter would
   * echo the error's message to the caller.
   */
  async processAuthenticated(activity: Activity, authenticated: AuthenticateRequestResult, res: TurnResponse, logic: (context: TurnContext) => Promise<void>, onFailure: (err: unknown) => void): Promise<void> {
    const end = (status: number, body?: unknown) => {
      res.status(status);
      if (body) res.send(body);
      res.end();
    };
    res.header('User-Agent', this.userAgent);
    if (!activity.type) return end(400, { error: 'BadRequest', message: 'The activity has no type.' });
    try {
      const invokeResponse: InvokeResponse | undefined = await this.processActivity(authenticated, withDates(activity), logic);
      end(invokeResponse?.status ?? 200, invokeResponse?.body);
    } catch (err) {
      onFailure(err);
      end(500, { error: 'InternalError', message: 'The bot could not process this activity; the failure is in its log.' });
    }
  }
}

/** As botbuilder's validateAndFixActivity: timestamps arrive as strings; the activity carries them as Dates. */
function withDates(activity: Activity): Activity {
  const a = activity as Activity & Record<string, unknown>;
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'], ['localTimestamp', 'rawLocalTimestamp']] as const) {
    if (typeof a[field] === 'string') {
      a[raw] = a[field];
      a[field] = new Date(a[field] as string);
    }
  }
  return activity;
}
