import type { Application } from '@microsoft/teams-ai';
import type { TurnContext } from 'botbuilder';
import type { Deps } from '../../deps.js';
import { requireCaller } from '../../teams/guards.js';
import { securityStatement } from './statement.js';

/** `security`: a plain statement of what the service principal can do, what is written, and how data is protected. */
export function register(app: Application, deps: Deps): void {
  deps.commands.add({ usage: 'security', description: 'What Tenant Steward can do in your tenant, what it writes, and how your data is protected.', audience: 'everyone' });

  const send = async (context: TurnContext) => {
    if (!(await requireCaller(deps, context, 'security.show'))) return;
    await context.sendActivity({ attachments: [deps.cards.attachment('security', { sections: securityStatement(deps.config.defaultAzureRole) })] });
  };
  app.message(/^\s*security\s*$/i, send);
  app.adaptiveCards.actionExecute('security', async (context) => {
    await send(context);
    return 'The security statement is below.';
  });
}
