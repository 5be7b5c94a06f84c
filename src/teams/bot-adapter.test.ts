import type { Activity } from 'botbuilder';
import { BotAdapter, type TurnResponse } from './bot-adapter.js';

/** A response that records what CloudAdapter-style answering does to it. */
function recordingResponse() {
  const calls: string[] = [];
  const res: TurnResponse = {
    status: (code) => calls.push(`status ${code}`),
    send: (body) => calls.push(`send ${JSON.stringify(body)}`),
    end: () => calls.push('end'),
    header: (name, value) => calls.push(`header ${name}: ${value}`),
  };
  return { res, calls };
}

const invoke = (): Activity =>
  ({
    type: 'invoke', name: 'adaptiveCard/action', id: 'inv-1', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', timestamp: '2026-01-02T03:04:05.000Z',
    from: { id: '29:a', name: 'A' }, recipient: { id: '28:bot', name: 'Bot' }, conversation: { id: 'a:1' }, value: {},
  }) as unknown as Activity;

describe('BotAdapter.processAuthenticated', () => {
  test('runs the turn with the edge check\'s result, without authenticating again, and answers with the invoke response', async () => {
    const adapter = new BotAdapter({});
    const activity = invoke();
    const authenticated = await adapter.authentication.authenticateRequest(activity, '');
    let authentications = 0;
    const original = adapter.authentication.authenticateRequest.bind(adapter.authentication);
    adapter.authentication.authenticateRequest = (...args) => (authentications++, original(...args));
    let seen: Activity | undefined;
    const { res, calls } = recordingResponse();
    await adapter.processAuthenticated(
      activity,
      authenticated,
      res,
      async (context) => {
        seen = context.activity;
        await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, value: 'done' } } });
      },
      (err) => {
        throw err;
      },
    );
    expect(authentications).toBe(0);
    expect(seen?.id).toBe('inv-1');
    // As botbuilder's validateAndFixActivity: string timestamps become Dates, the raw string kept.
    expect(seen?.timestamp).toEqual(new Date('2026-01-02T03:04:05.000Z'));
    expect((seen as unknown as { rawTimestamp: string }).rawTimestamp).toBe('2026-01-02T03:04:05.000Z');
    expect(calls).toEqual([expect.stringMatching(/^header User-Agent: teamsai-js\//), 'status 200', 'send {"statusCode":200,"value":"done"}', 'end']);
  });

  test('a message turn answers 200 with no body; a turn that throws goes to onFailure and answers a fixed 500', async () => {
    const adapter = new BotAdapter({});
    const message = { ...invoke(), type: 'message', name: undefined, text: 'hi' } as unknown as Activity;
    const authenticated = await adapter.authentication.authenticateRequest(message, '');
    const failures: unknown[] = [];
    const ok = recordingResponse();
    await adapter.processAuthenticated(message, authenticated, ok.res, async () => undefined, (err) => failures.push(err));
    expect(ok.calls.slice(1)).toEqual(['status 200', 'end']);
    expect(failures).toEqual([]);

    const failed = recordingResponse();
    await adapter.processAuthenticated(message, authenticated, failed.res, async () => {
      throw new Error('boom: internal detail');
    }, (err) => failures.push(err));
    expect((failures[0] as Error).message).toBe('boom: internal detail');
    expect(failed.calls.slice(1)).toEqual(['status 500', 'send {"error":"InternalError","message":"The bot could not process this activity; the failure is in its log."}', 'end']);
    expect(failed.calls.join()).not.toContain('internal detail');
  });
});
