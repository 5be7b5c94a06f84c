import type { CapturedActivity } from '../../../support/connector.js';
import type { FuzzCase } from './cases.js';

/** What one input got back: the HTTP answer, and every message the bot sent in reply to it. */
export interface FuzzOutcome {
  case: FuzzCase;
  /** 0 when no HTTP answer came (connection reset, timeout). */
  status: number;
  responseBody: string;
  replies: CapturedActivity[];
  /** The invoke response's text or card plus the replies, as one text to read. */
  answer: string;
  error?: string;
}

/** Posts every case to /api/messages, `concurrency` at a time; replies are matched to cases by replyToId. */
export async function sendAll(botUrl: string, connectorActivities: CapturedActivity[], cases: FuzzCase[], concurrency = 10): Promise<FuzzOutcome[]> {
  const responses: { status: number; body: string; error?: string }[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++];
      try {
        const res = await fetch(`${botUrl}/api/messages`, {
          method: 'POST', headers: { 'content-type': c.contentType ?? 'application/json' }, body: c.body, signal: AbortSignal.timeout(30_000),
        });
        responses[c.n] = { status: res.status, body: await res.text() };
      } catch (err) {
        responses[c.n] = { status: 0, body: '', error: (err as Error).message };
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const byReplyTo = new Map<string, CapturedActivity[]>();
  for (const a of connectorActivities) {
    const key = a.body.replyToId;
    if (typeof key === 'string') byReplyTo.set(key, [...(byReplyTo.get(key) ?? []), a]);
  }
  return cases.map((c) => {
    const r = responses[c.n];
    const replies = (c.activityId && byReplyTo.get(c.activityId)) || [];
    const answer = [invokeAnswer(r.body), ...replies.map((x) => `${x.body.text ?? ''}${x.body.attachments ? JSON.stringify(x.body.attachments) : ''}`)].filter(Boolean).join('\n');
    return { case: c, status: r.status, responseBody: r.body, replies, answer, error: r.error };
  });
}

/** The text or card of an invoke response (`{statusCode, type, value}`), or the raw body of an HTTP error. */
function invokeAnswer(body: string): string {
  if (!body) return '';
  try {
    const parsed = JSON.parse(body) as { value?: unknown; message?: unknown };
    if (parsed && typeof parsed === 'object' && 'value' in parsed) return typeof parsed.value === 'string' ? parsed.value : JSON.stringify(parsed.value);
    return body;
  } catch {
    return body;
  }
}
