import type { Activity } from 'botbuilder';
import type { Deps } from '../../deps.js';
import type { MicrosoftProblem } from '../../microsoft/index.js';
import type { ConsentState } from '../../store/types.js';
import type { CallbackPage } from './pages.js';

export const NOTHING_CHANGED = 'Nothing was granted or changed.';

/** A refusal: audited, told in the conversation, shown as a page. */
export async function refuse(deps: Deps, state: ConsentState, reason: string, detail: Record<string, unknown>): Promise<CallbackPage> {
  await deps.store.audit.append({ workspaceId: state.workspaceId, actor: state.aadObjectId, action: `consent.callback`, target: state.id.slice(0, 8), outcome: 'refused', detail: { purpose: state.purpose, reason, ...detail } });
  await tell(deps, state, `The sign-in for \`${commandOf(state)}\` was refused: ${reason} ${NOTHING_CHANGED} Type \`${commandOf(state)}\` to get a new link.`);
  return { status: 400, title: 'Sign-in refused', lines: [reason, NOTHING_CHANGED, 'Start again from Teams.'] };
}

/** A Microsoft error (authorize redirect or code redemption): audited, told, shown. */
export async function failed(deps: Deps, state: ConsentState, problem: MicrosoftProblem, action: string): Promise<CallbackPage> {
  await deps.store.audit.append({
    workspaceId: state.workspaceId, actor: state.aadObjectId, action, target: state.id.slice(0, 8), outcome: 'failure',
    detail: { purpose: state.purpose, kind: problem.kind, aadsts: problem.aadsts, code: problem.code, message: problem.message },
  });
  const title = problem.kind === 'cancelled' ? 'Sign-in cancelled' : 'Sign-in failed';
  const what = problem.kind === 'cancelled' ? 'The sign-in was cancelled at Microsoft.' : `Microsoft said: ${problem.message}`;
  await tell(deps, state, `${title} (\`${commandOf(state)}\`). ${what} ${NOTHING_CHANGED} ${problem.fix}`);
  return { status: problem.kind === 'cancelled' ? 200 : 400, title, lines: [what, NOTHING_CHANGED, problem.fix] };
}

/** Posts to the conversation that started the sign-in. A send that fails is logged: the page still answers. */
export async function tell(deps: Deps, state: ConsentState, message: string | Partial<Activity>): Promise<void> {
  const result = await deps.proactive.send(state.workspaceId, state.conversationId, message);
  if (result !== 'sent') deps.logger.warn({ workspaceId: state.workspaceId, conversationId: state.conversationId, result }, 'could not post the sign-in outcome to its conversation');
}

export function commandOf(state: ConsentState): string {
  return state.purpose === 'addSubscriptions' ? 'add subscriptions' : state.purpose === 'connect' ? 'connect' : state.purpose === 'approval' ? 'subscriptions' : state.purpose;
}
