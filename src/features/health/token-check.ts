import type { AdaptiveCard, Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import { CardFactory } from 'botbuilder';
import type { Deps } from '../../deps.js';
import { requireCaller } from '../../teams/guards.js';
import { turnLogger } from '../../teams/turn.js';
import { defuseTemplateText } from '../status/view.js';
import { utcTime } from './duration.js';
import { diagnoseToken, PASTED_TOKEN_WARNING, type TokenDiagnosis } from './token-diagnosis.js';

export const TOKEN_CHECK_VERB = 'tokenCheck';
const COMMAND = /^\s*token\s+check\b/i;

/** The card field does not post a message, but the warning is given every time: people paste into chat anyway. */
const CARD_WARNING = 'This field is not posted to the chat. A token pasted into a chat message, though, stays in the chat history: delete any such message.';

/** What the token-check card shows for a diagnosis. Carries no part of the token beyond its short hint. */
export function diagnosisView(d: TokenDiagnosis) {
  const facts: { title: string; value: string }[] = [];
  if (d.verdict === 'incomplete') facts.push({ title: 'Why', value: d.reason });
  else {
    if (d.tenantId) facts.push({ title: 'Tenant (tid)', value: d.tenantId });
    if (d.audience) facts.push({ title: 'Audience (aud)', value: d.audience });
    if (d.who) facts.push({ title: d.whoKind === 'app' ? 'Application' : 'User', value: d.who });
    facts.push(d.verdict === 'expired'
      ? { title: 'Expired', value: `${d.expiredFor} ago (${utcTime(d.expiresAt)})` }
      : { title: 'Expires', value: `in ${d.expiresIn} (${utcTime(d.expiresAt)})` });
    if (d.verdict === 'valid' && d.notYetValid && d.notBefore) facts.push({ title: 'Not valid before', value: utcTime(d.notBefore) });
  }
  const headline = { incomplete: 'Incomplete token', expired: 'Expired token', valid: 'Well-formed and in date' }[d.verdict];
  const color = { incomplete: 'Attention', expired: 'Attention', valid: 'Good' }[d.verdict];
  return { headline, color, hint: d.hint, facts, fix: d.fix };
}

export function tokenCheckCard(deps: Pick<Deps, 'cards'>, diagnosis: TokenDiagnosis | undefined, warning: string) {
  // The pasted text shows in the card (its first characters, its claims): a `${` in it must not read as a template field.
  return deps.cards.expand('token-check', defuseTemplateText({
    hasResult: diagnosis !== undefined,
    result: diagnosis ? diagnosisView(diagnosis) : { headline: '', color: 'Default', hint: '', facts: [], fix: '' },
    warning,
  }));
}

/**
 * `token check <token>` and the token-check card (Action.Execute `tokenCheck`). Anyone of the workspace may use it:
 * it reads nothing stored. The token is never logged, stored, or sent back beyond its first ten characters.
 */
export function registerTokenCheck(app: Application, deps: Deps): void {
  deps.commands.add({ usage: 'token check [token]', description: 'Say whether a pasted Azure access token is incomplete, expired or valid, and what to do. Without a token: a card to paste it into.', audience: 'everyone' });

  app.message(COMMAND, async (context) => {
    if (!(await requireCaller(deps, context, 'token.check'))) return;
    const pasted = (context.activity.text ?? '').replace(COMMAND, '');
    if (!pasted.trim()) {
      await context.sendActivity({ attachments: [CardFactory.adaptiveCard(tokenCheckCard(deps, undefined, CARD_WARNING))] });
      return;
    }
    const diagnosis = diagnoseToken(pasted, deps.now());
    logDiagnosis(deps, context, diagnosis, 'message');
    await context.sendActivity({ attachments: [CardFactory.adaptiveCard(tokenCheckCard(deps, diagnosis, PASTED_TOKEN_WARNING))] });
  });

  app.adaptiveCards.actionExecute(TOKEN_CHECK_VERB, async (context, _state, data: { token?: unknown }) => {
    if (!(await requireCaller(deps, context, 'token.check'))) return 'Not allowed.';
    const diagnosis = diagnoseToken(typeof data?.token === 'string' ? data.token : '', deps.now());
    logDiagnosis(deps, context, diagnosis, 'card');
    return tokenCheckCard(deps, diagnosis, CARD_WARNING) as unknown as AdaptiveCard;
  });
}

/** The verdict only: no claim of the token (tenant, user) and never the token goes to the log. */
function logDiagnosis(deps: Deps, context: TurnContext, d: TokenDiagnosis, via: 'message' | 'card'): void {
  turnLogger(deps.logger, context).info({ verdict: d.verdict, via }, 'token checked');
}
