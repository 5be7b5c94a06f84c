import type { Application } from '@microsoft/teams-ai';
import type { Attachment, TurnContext } from 'botbuilder';
import type { Server } from 'restify';
import type { Deps } from '../../deps.js';
import { rememberConversation } from '../../teams/conversations.js';
import { refuse, requireCaller, requireOwned, requireRole, type Caller } from '../../teams/guards.js';
import { addSubscriptions } from './add-subscriptions.js';
import { handleCallback } from './callback.js';
import { PAGE_HEADERS, renderPage, type CallbackPage } from './pages.js';
import { connectRole, signInCard } from './sign-in.js';

export { PURPOSE_HANDLERS, type PurposeHandler } from './callback.js';
export { signInCard, type SignInRequest } from './sign-in.js';

const NOT_CONFIGURED = 'Tenant Steward has no Entra app configured (ENTRA_APP_CLIENT_ID and ENTRA_APP_CLIENT_SECRET), so it cannot ask Microsoft for consent. An operator must set them and restart the bot.';

/**
 * `connect` (admins; anyone while the workspace does not exist: the first to complete it becomes the owner),
 * `add subscriptions [tenant]` (admins), and the Cancel button of a sign-in card. The callback route is
 * {@link authCallbackRoute}.
 */
export function register(app: Application, deps: Deps): void {
  deps.commands.add(
    { usage: 'connect', description: 'Connect a Microsoft tenant: sign in as its admin and consent (Azure Reader on the subscriptions you own, Microsoft 365 read permissions).', audience: 'admins' },
    { usage: 'add subscriptions [tenant]', description: 'Give Tenant Steward the same access on subscriptions added since you connected.', audience: 'admins' },
  );

  app.message(/^\s*connect\s*$/i, async (context) => {
    const caller = await requireRole(deps, context, 'admin', 'consent.connect', { doing: 'connect a tenant', allowBootstrap: true });
    if (!caller) return;
    if (!deps.microsoft.clientId) return void (await context.sendActivity(NOT_CONFIGURED));
    const card = await startSignIn(deps, context, caller, { purpose: 'connect', authorityTenant: 'organizations' });
    await context.sendActivity({ attachments: [card] });
  });

  app.message(/^\s*add\s+subscriptions?(?:\s+(\S+))?\s*$/i, async (context) => {
    const caller = await requireRole(deps, context, 'admin', 'consent.addSubscriptions', { doing: 'add subscriptions' });
    if (!caller) return;
    if (!deps.microsoft.clientId) return void (await context.sendActivity(NOT_CONFIGURED));
    const which = /^\s*add\s+subscriptions?(?:\s+(\S+))?\s*$/i.exec(context.activity.text ?? '')?.[1];
    await addSubscriptions(deps, context, caller, which, (tenant) => startSignIn(deps, context, caller, { purpose: 'addSubscriptions', authorityTenant: tenant.id, expectedTenantId: tenant.id, tenantName: tenant.displayName }));
  });

  // The Reconnect button of health alerts: a new sign-in bound to that tenant, posted as its own message so the
  // alert stays readable. The tenant id comes from card data, so it must belong to the caller's workspace.
  app.adaptiveCards.actionExecute<{ tenantId?: unknown }>('connect', async (context, _state, data) => {
    const caller = await requireRole(deps, context, 'admin', 'consent.reconnect', { doing: 'reconnect a tenant' });
    if (!caller) return 'Refused: see my message in this conversation.';
    if (!deps.microsoft.clientId) return NOT_CONFIGURED;
    const tenant = await requireOwned(deps, context, caller, 'tenants', data?.tenantId, 'consent.reconnect');
    if (!tenant) return 'Refused: see my message in this conversation.';
    const card = await startSignIn(deps, context, caller, { purpose: 'connect', authorityTenant: tenant.id, expectedTenantId: tenant.id, tenantName: tenant.displayName });
    await context.sendActivity({ attachments: [card] });
    return `Sign in to ${tenant.displayName || tenant.id} with the card below to reconnect it.`;
  });

  app.adaptiveCards.actionExecute<{ consentId?: unknown }>('consent.cancel', async (context, _state, data) => {
    const caller = await requireCaller(deps, context, 'consent.cancel');
    if (!caller) return 'Refused: see my message in this conversation.';
    return cancelSignIn(deps, context, caller, data?.consentId);
  });
}

async function startSignIn(deps: Deps, context: TurnContext, caller: Caller, req: { purpose: 'connect' | 'addSubscriptions'; authorityTenant: string; expectedTenantId?: string; tenantName?: string }): Promise<Attachment> {
  // The outcome is posted here later, from the callback, so the conversation must be reachable proactively.
  await rememberConversation(deps.store, context, deps.now());
  const data = await signInCard(deps, { workspaceId: caller.workspaceId, aadObjectId: caller.aadObjectId, userName: caller.name, conversationId: context.activity.conversation.id, ...req }, connectRole(deps, caller.workspace));
  return deps.cards.attachment('connect', data);
}

/** Cancels a pending sign-in link; only its own user, in its own conversation and workspace, may. */
async function cancelSignIn(deps: Deps, context: TurnContext, caller: Caller, consentId: unknown): Promise<string> {
  const valid = typeof consentId === 'string' && /^[A-Za-z0-9_-]{43}$/.test(consentId);
  const state = valid ? await deps.store.consentStates.get(caller.workspaceId, consentId) : undefined;
  const foreign = !state ? 'unknown link' : state.aadObjectId !== caller.aadObjectId ? 'another user' : state.conversationId !== context.activity.conversation.id ? 'another conversation' : undefined;
  if (!state || foreign) {
    await refuse(deps, context, caller, {
      action: 'consent.cancel', target: valid ? consentId.slice(0, 8) : '(invalid id)', reason: foreign ?? 'unknown link',
      message: 'That sign-in link is not yours to cancel here (it belongs to another user or conversation, or the card data was altered). Nothing was changed.',
      detail: { possibleTampering: true },
    });
    return 'Refused: see my message in this conversation.';
  }
  if (state.status !== 'pending') return 'That sign-in link was already used or cancelled.';
  const cancelled = await deps.store.consentStates.replaceIf({ ...state, status: 'cancelled', usedAt: deps.now().toISOString() }, { status: 'pending' });
  return cancelled ? 'Cancelled: that sign-in link no longer works.' : 'That sign-in link was used meanwhile.';
}

/** Adds GET /auth/callback to the server (createServer's `routes`). It answers HTML and never redirects. */
export function authCallbackRoute(deps: Deps): (server: Server) => void {
  return (server) => {
    server.get('/auth/callback', async (req, res) => {
      let page: CallbackPage;
      try {
        page = await handleCallback(deps, (req.query ?? {}) as Record<string, unknown>);
      } catch (err) {
        // Never log the request URL here: it carries the authorization code.
        deps.logger.error({ err }, 'auth callback failed');
        page = { status: 500, title: 'Something went wrong', lines: ['The sign-in could not be completed because of an error on our side. It is logged.', 'Start again from Teams in a moment.'] };
      }
      res.writeHead(page.status, PAGE_HEADERS);
      res.end(renderPage(page));
    });
  };
}
