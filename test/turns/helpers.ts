import type { CapturedActivity, startConnector } from '../support/connector.js';
import type { startTestBot } from '../support/bot.js';

export type Bot = Awaited<ReturnType<typeof startTestBot>>;
export type Connector = Awaited<ReturnType<typeof startConnector>>;

/** Posts an activity and resolves the messages the bot sent back during that turn (at least one, unless expectReply is false). */
export async function converse(bot: Bot, connector: Connector, activity: object, opts: { expectReply?: boolean } = {}): Promise<{ status: number; body: unknown; replies: CapturedActivity[]; text: string }> {
  const before = connector.activities.length;
  const res = await bot.post(activity);
  const raw = await res.text();
  const isReply = (a: CapturedActivity) => a.method === 'POST' && a.body.type === 'message' && connector.activities.indexOf(a) >= before;
  if (opts.expectReply !== false) await connector.waitFor(isReply, 5000);
  const replies = connector.activities.filter(isReply);
  const text = replies.map((r) => `${r.body.text ?? ''}${r.body.attachments ? JSON.stringify(r.body.attachments) : ''}`).join('\n');
  return { status: res.status, body: raw ? JSON.parse(raw) : undefined, replies, text };
}
