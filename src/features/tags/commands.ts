import type { TurnContext } from 'botbuilder';
import type { Deps } from '../../deps.js';
import { rememberConversation } from '../../teams/conversations.js';
import { refuse, requireRole } from '../../teams/guards.js';
import { scopedId, type Subscription } from '../../store/types.js';
import { editRefusal, HOW_TO_ENABLE_WRITES } from '../subscriptions/modes.js';
import { describeEdit, queueTagEdit } from './edits.js';
import { runTagSyncNow } from './job.js';
import { parseTag, parseUntag, type ParsedEdit } from './parse.js';
import { resolveResource } from './resolve.js';
import { TAGS_TOPIC } from './sync.js';

/** `tag …` / `untag …`: validate, check the subscription's mode, and queue the edit in the outbox. Admins only. */
export async function handleTagEdit(deps: Deps, context: TurnContext, kind: 'tag' | 'untag'): Promise<void> {
  const caller = await requireRole(deps, context, 'admin', `tags.${kind}`, { doing: 'edit tags' });
  if (!caller) return;
  const parsed: ParsedEdit = kind === 'tag' ? parseTag(context.activity.text ?? '') : parseUntag(context.activity.text ?? '');
  if (!parsed.ok) {
    await context.sendActivity(parsed.problem);
    return;
  }
  const found = await resolveResource(deps.store, caller.workspaceId, parsed.resource);
  if ('problem' in found) {
    await context.sendActivity(found.problem);
    return;
  }
  const resource = found.resource;
  const sub = await deps.store.subscriptions.get(caller.workspaceId, scopedId(resource.tenantId, resource.subscriptionId));
  const why = sub ? editRefusal(sub.syncMode) : 'it is no longer connected.';
  if (why) {
    await refuse(deps, context, caller, {
      action: `tags.${kind}`,
      target: resource.armId,
      reason: `sync mode ${sub?.syncMode ?? 'disconnected'}`,
      message: `I can't change tags on **${resource.name}**: its subscription ${sub ? `**${sub.displayName}** ` : ''}${why} ${sub ? HOW_TO_ENABLE_WRITES : ''} Nothing was queued.`.trim(),
    });
    return;
  }
  let tags: Record<string, string>;
  if (parsed.operation === 'Merge') tags = parsed.tags;
  else {
    const missing = parsed.names.filter((n) => !Object.keys(resource.tags ?? {}).some((k) => k.toLowerCase() === n.toLowerCase()));
    if (missing.length) {
      await context.sendActivity(`**${resource.name}** has no tag named ${missing.map((m) => `\`${m}\``).join(', ')} (as of the last sync). Nothing was queued.`);
      return;
    }
    tags = Object.fromEntries(parsed.names.map((n) => [n, '']));
  }
  const result = await queueTagEdit(deps, { workspaceId: caller.workspaceId, resource, operation: parsed.operation, tags, requestedBy: { aadObjectId: caller.aadObjectId, name: caller.name } });
  if ('problems' in result) {
    await context.sendActivity(`Azure would refuse that, so nothing was queued:\n${result.problems.map((p) => `- ${p}`).join('\n')}`);
    return;
  }
  const note = result.superseded ? ' It replaces an earlier queued edit of the same tag.' : '';
  await context.sendActivity(
    `Queued for **${resource.name}** (${sub!.displayName}): ${describeEdit(result.queued)}.${note} It is written to Azure at the next tag sync (daily), or now with \`sync tags ${sub!.subscriptionId}\`. If the tag changes in Azure before then, it is reported as a conflict and not overwritten.`,
  );
}

/** `sync tags [subscription name or id]`: runs tags.sync now. Admins only: in read/write mode it writes the outbox. */
export async function handleSyncNow(deps: Deps, context: TurnContext): Promise<void> {
  const caller = await requireRole(deps, context, 'admin', 'tags.syncNow', { doing: 'start a tag sync' });
  if (!caller) return;
  const wanted = (/^\s*sync\s+tags\b\s*([\s\S]*)$/i.exec(context.activity.text ?? '')?.[1] ?? '').trim();
  const all = await deps.store.subscriptions.find(caller.workspaceId, {}, { sort: { field: 'displayName', dir: 1 } });
  if (all.length === 0) {
    await context.sendActivity('No subscriptions are connected yet. An admin can type `connect` first.');
    return;
  }
  let chosen: Subscription[];
  if (wanted) {
    const key = wanted.toLowerCase();
    chosen = all.filter((s) => s.subscriptionId.toLowerCase() === key || s.id.toLowerCase() === key || s.displayName.toLowerCase() === key);
    if (chosen.length === 0) {
      await context.sendActivity(`No connected subscription is named or numbered \`${wanted}\`. Type \`subscriptions\` to see them.`);
      return;
    }
  } else chosen = all.filter((s) => s.syncMode !== 'none');
  const conversation = await rememberConversation(deps.store, context, deps.now());
  for (const sub of chosen) await runTagSyncNow(deps, sub, conversation?.id);
  await deps.store.audit.append({ workspaceId: caller.workspaceId, actor: caller.aadObjectId, action: 'tags.syncNow', target: chosen.map((s) => s.subscriptionId).join(','), outcome: 'success' });
  const subscribers = await deps.store.conversations.count(caller.workspaceId, { topics: TAGS_TOPIC });
  const where = subscribers ? `to the conversations that get \`${TAGS_TOPIC}\` notifications` : 'here (no conversation gets `tags` notifications; `notify here tags` changes that)';
  const skipped = wanted ? '' : all.length > chosen.length ? ` (${all.length - chosen.length} set to No Resources skipped)` : '';
  await context.sendActivity(`Tag sync started for ${chosen.map((s) => `**${s.displayName}**`).join(', ')}${skipped}. A summary goes ${where} when each finishes.`);
}
