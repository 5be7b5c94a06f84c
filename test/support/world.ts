/**
 * A whole world for full-turn tests: the emulator (Microsoft), the fake Bot Framework connector (Teams), and a
 * real bot configured against both, exactly as `npm start` wires them. Teams users are the emulator's home-tenant
 * admins (aadObjectId = their emulator object id; the Teams tenant = the home tenant), as in the Agents Playground.
 *
 *   const w = await startWorld();
 *   const { card } = await w.say(w.people.adele, 'connect');
 *   const page = await w.completeSignIn(authorizeUrlOf(card), w.people.adele.upn);
 *   await w.waitForMessage((a) => …);
 *   await w.close();
 */
import { createServer } from 'node:net';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js';
import { drivePages, type PageOutcome } from '../../emulator/login/testkit.js';
import { actionExecute, personalMessage } from './activities.js';
import { botEnvOverrides } from '../../src/launcher/embedded.js';
import { startTestBot } from './bot.js';
import { startConnector, type CapturedActivity } from './connector.js';

export type TestBot = Awaited<ReturnType<typeof startTestBot>>;
export type TestConnector = Awaited<ReturnType<typeof startConnector>>;

/** A Teams user as activities carry them, plus their UPN for the sign-in pages. */
export interface TeamsPerson {
  id: string;
  name: string;
  aadObjectId: string;
  upn: string;
  /** The Teams tenant they belong to (the workspace). */
  tenantId: string;
}

export interface WorldOptions {
  emulator?: EmulatorOptions;
  /** Extra bot settings (they win over the world's). */
  env?: Record<string, string>;
  /** Scheduler tuning for tests that run jobs through Agenda (see startBot). */
  scheduler?: NonNullable<Parameters<typeof startTestBot>[1]>['scheduler'];
  /** Opens the bot's store instead of lowdb in its data dir (see startBot). */
  openStore?: NonNullable<Parameters<typeof startTestBot>[1]>['openStore'];
}

/** The answer to one activity: HTTP status and body (an invoke's response), and the messages sent during the turn. */
export interface TurnResult {
  status: number;
  body: unknown;
  replies: CapturedActivity[];
  /** Text and attachment JSON of the replies, joined. */
  text: string;
  /** The first Adaptive Card among the replies. */
  card?: Record<string, any>;
}

export interface SignInOptions {
  /** Press Accept (default) or Cancel on the consent page. */
  accept?: boolean;
  /** Tick "Consent on behalf of your organization" (default true: admins grant the app's Graph permissions). */
  forOrganization?: boolean;
}

/** Where a browser ends after the sign-in: the callback page, or Microsoft's error page when nothing came back. */
export interface SignInResult {
  /** The callback URL the browser was sent to (undefined when Microsoft kept it on an error page). */
  callbackUrl?: string;
  status: number;
  html: string;
  location?: string | null;
}

export interface World {
  emulator: Emulator;
  connector: TestConnector;
  bot: TestBot;
  /** The Teams tenant = the emulator's home tenant. */
  workspaceId: string;
  people: { adele: TeamsPerson; megan: TeamsPerson; alex: TeamsPerson; outsider: TeamsPerson };
  clock: { now(): Date; advance(ms: number): void };
  say(user: TeamsPerson, text: string, conversationId?: string): Promise<TurnResult>;
  click(verb: string, data: Record<string, unknown>, user: TeamsPerson, conversationId?: string): Promise<TurnResult>;
  /** Drives Microsoft's sign-in and consent pages as `upn`, then lets the browser reach our callback. */
  completeSignIn(authorizeUrl: string, upn: string, opts?: SignInOptions): Promise<SignInResult>;
  /** The same pages, stopping where Microsoft redirects back (the callback URL, not yet opened), or its error page. */
  signInRedirect(authorizeUrl: string, upn: string, opts?: SignInOptions): Promise<URL | { errorPage: string; status: number }>;
  /** GETs a callback URL as a browser would (no redirect following). */
  openCallback(url: string): Promise<SignInResult>;
  waitForMessage(predicate: (a: CapturedActivity) => boolean, timeoutMs?: number): Promise<CapturedActivity>;
  close(): Promise<void>;
}

export async function startWorld(opts: WorldOptions = {}): Promise<World> {
  const emulator = await startEmulator({ seed: 'consent-world', size: 'demo', ...opts.emulator });
  const connector = await startConnector();
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs), advance: (ms: number) => void (offsetMs += ms) };
  // The redirect URI must be known before the bot starts, so the bot gets a free port rather than port 0.
  const port = await freePort();
  let bot: TestBot;
  try {
    bot = await startTestBot(
      // The embedded default's settings; startTestBot picks the data dir and log level itself.
      { ...withoutDataDir(botEnvOverrides(emulator, { host: '127.0.0.1', port, dataDir: '' })), ...opts.env },
      { now: clock.now, scheduler: opts.scheduler, openStore: opts.openStore },
    );
  } catch (err) {
    await connector.close();
    await emulator.close();
    throw err;
  }
  const workspaceId = emulator.homeTenantId;
  const person = (i: number): TeamsPerson => {
    const u = emulator.world.admins(workspaceId)[i];
    return { id: `29:${u.userPrincipalName.split('@')[0]}`, name: u.displayName, aadObjectId: u.id, upn: u.userPrincipalName, tenantId: workspaceId };
  };
  const outsider: TeamsPerson = { id: '29:mallory', name: 'Mallory Outsider', aadObjectId: 'b2b2b2b2-0000-4000-8000-00000000000d', upn: 'mallory@fabrikam.example', tenantId: 'b2b2b2b2-86f1-41af-91ab-2d7cd0110000' };

  const turn = async (activity: object): Promise<TurnResult> => {
    const before = connector.activities.length;
    const res = await bot.post(activity);
    const raw = await res.text();
    const replies = connector.activities.slice(before).filter((a) => a.method === 'POST' && a.body.type === 'message');
    const text = replies.map((r) => `${r.body.text ?? ''}${r.body.attachments ? JSON.stringify(r.body.attachments) : ''}`).join('\n');
    const card = replies.flatMap((r) => (r.body.attachments ?? []) as { contentType: string; content: Record<string, any> }[]).find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
    return { status: res.status, body: raw ? JSON.parse(raw) : undefined, replies, text, card };
  };
  const callback = async (url: string): Promise<SignInResult> => {
    const res = await fetch(url, { redirect: 'manual' });
    return { callbackUrl: url, status: res.status, html: await res.text(), location: res.headers.get('location') };
  };

  return {
    emulator,
    connector,
    bot,
    workspaceId,
    people: { adele: person(0), megan: person(1), alex: person(2), outsider },
    clock,
    say: (user, text, conversationId) => turn(personalMessage(connector.url, text, { from: user, tenantId: user.tenantId, conversationId })),
    click: (verb, data, user, conversationId) => turn(actionExecute(connector.url, verb, data, { from: user, tenantId: user.tenantId, conversationId })),
    signInRedirect: (authorizeUrl, upn, o) => signInRedirect(authorizeUrl, upn, o),
    async completeSignIn(authorizeUrl, upn, o) {
      const outcome = await signInRedirect(authorizeUrl, upn, o);
      if (!(outcome instanceof URL)) return { status: outcome.status, html: outcome.errorPage };
      return callback(outcome.toString());
    },
    openCallback: callback,
    waitForMessage: (predicate, timeoutMs) => connector.waitFor(predicate, timeoutMs),
    async close() {
      await bot.stop();
      await connector.close();
      await emulator.close();
    },
  };
}

async function signInRedirect(authorizeUrl: string, upn: string, o: SignInOptions = {}): Promise<URL | { errorPage: string; status: number }> {
  let outcome: PageOutcome = await drivePages(authorizeUrl, { upn, consent: o.accept === false ? 'cancel' : 'accept', consentForOrganization: o.forOrganization ?? true });
  // An error page (e.g. Conditional Access) offers "Return to the application", which sends the error back.
  if ('errorPage' in outcome && outcome.returnLink) {
    const res = await fetch(outcome.returnLink, { redirect: 'manual' });
    outcome = res.status === 302 ? { redirect: new URL(res.headers.get('location')!) } : outcome;
  }
  return 'redirect' in outcome ? outcome.redirect : { errorPage: outcome.errorPage, status: outcome.status };
}

/** The sign-in URL of a connect card (its Action.OpenUrl). */
export function authorizeUrlOf(card: Record<string, any> | undefined): string {
  const url = (card?.actions as { type: string; url?: string }[] | undefined)?.find((a) => a.type === 'Action.OpenUrl')?.url;
  if (!url) throw new Error(`no Action.OpenUrl on the card: ${JSON.stringify(card)?.slice(0, 300)}`);
  return url;
}

/** A free loopback port (for a bot whose public URL must be known before it listens). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function withoutDataDir({ DATA_DIR: _dataDir, ...env }: Record<string, string>): Record<string, string> {
  return env;
}
