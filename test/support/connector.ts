import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A member as the connector's roster answers (TeamsChannelAccount). */
export interface RosterMember {
  id: string;
  name: string;
  aadObjectId: string;
  userPrincipalName?: string;
  email?: string;
  tenantId?: string;
}

export interface CapturedActivity {
  method: string;
  path: string;
  authorization?: string;
  body: Record<string, any>;
}

/**
 * A local stand-in for the Bot Framework connector (the `serviceUrl` of an activity): it records what the bot
 * sends and answers as the connector does ({ id }). `refuse` makes it answer 403 for a conversation, as Teams
 * does once the bot has been removed.
 */
export async function startConnector(): Promise<{
  url: string;
  activities: CapturedActivity[];
  refuse: Set<string>;
  /**
   * People the connector knows. GET /v3/conversations/{id}/members/{memberId} finds one by Teams id, object id or
   * UPN (as Teams does) or answers 404 MemberNotFoundInConversation; GET …/pagedmembers lists them all.
   */
  roster: RosterMember[];
  /** Set it to answer member lookups by Teams id only, as the Agents Playground does (Teams also takes UPN or object id). */
  options: { memberLookupByIdOnly: boolean };
  waitFor(predicate: (a: CapturedActivity) => boolean, timeoutMs?: number): Promise<CapturedActivity>;
  close(): Promise<void>;
}> {
  const activities: CapturedActivity[] = [];
  const refuse = new Set<string>();
  const roster: RosterMember[] = [];
  const options = { memberLookupByIdOnly: false };
  const waiters: { predicate: (a: CapturedActivity) => boolean; resolve: (a: CapturedActivity) => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const conversationId = decodeURIComponent(/\/v3\/conversations\/([^/]+)/.exec(path)?.[1] ?? '');
      if (refuse.has(conversationId)) {
        // (restify patches http.ServerResponse in-process, so writeHead is not chainable here.)
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' } }));
        return;
      }
      const member = /\/v3\/conversations\/[^/]+\/members\/([^/?]+)/.exec(path);
      if (req.method === 'GET' && member) {
        const key = decodeURIComponent(member[1]).toLowerCase();
        const keys = (m: RosterMember) => (options.memberLookupByIdOnly ? [m.id] : [m.id, m.aadObjectId, m.userPrincipalName]);
        const found = roster.find((m) => keys(m).some((v) => v?.toLowerCase() === key));
        res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(found ?? { error: { code: 'MemberNotFoundInConversation', message: 'The member was not found in the conversation.' } }));
        return;
      }
      if (req.method === 'GET' && /\/v3\/conversations\/[^/]+\/pagedmembers/.test(path)) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ members: roster }));
        return;
      }
      const captured = { method: req.method ?? '', path, authorization: req.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') };
      activities.push(captured);
      for (const w of [...waiters]) if (w.predicate(captured)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(captured);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `reply-${activities.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    activities,
    refuse,
    roster,
    options,
    waitFor(predicate, timeoutMs = 5000) {
      const found = activities.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('timed out waiting for the bot to send the expected activity')), timeoutMs);
        waiters.push({ predicate, resolve: (a) => (clearTimeout(timer), resolve(a)) });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
