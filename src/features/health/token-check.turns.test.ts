import { generateKeyPair, SignJWT } from 'jose';
import { actionExecute, personalMessage } from '../../../test/support/activities.js';
import { startTestBot } from '../../../test/support/bot.js';
import { startConnector } from '../../../test/support/connector.js';

type Bot = Awaited<ReturnType<typeof startTestBot>>;
type Connector = Awaited<ReturnType<typeof startConnector>>;

const TENANT = '0c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e';

async function accessToken(expiresInSeconds: number): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tid: TENANT, upn: 'adele@contoso.example' })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setAudience('https://management.azure.com/')
    .setIssuedAt(now - 60)
    .setExpirationTime(now + expiresInSeconds)
    .sign(privateKey);
}

/** The parts of a token that make it usable: neither may come back in a reply or reach the log. */
const secretParts = (token: string) => [token.split('.')[1], token.split('.')[2], token.slice(-40)];

describe('token check over HTTP', () => {
  let bot: Bot;
  let connector: Connector;

  beforeEach(async () => {
    connector = await startConnector();
    bot = await startTestBot();
  });
  afterEach(async () => {
    await bot.stop();
    await connector.close();
  });

  test('a pasted valid token: tenant, audience, expiry, who, the chat-history warning; the token is neither echoed nor logged', async () => {
    const token = await accessToken(3600);
    await bot.post(personalMessage(connector.url, `token check ${token}`));
    const reply = await connector.waitFor((a) => a.body.type === 'message');
    const card = JSON.stringify(reply.body.attachments[0].content);
    expect(card).toContain('Well-formed and in date');
    expect(card).toContain(TENANT);
    expect(card).toContain('https://management.azure.com/');
    expect(card).toContain('adele@contoso.example');
    expect(card).toMatch(/stays in the chat history.*delete your message/);
    expect(card).toMatch(/does not verify the token's signature/);
    const everything = `${JSON.stringify(connector.activities)}\n${bot.logs.join('\n')}`;
    for (const part of secretParts(token)) expect(everything).not.toContain(part);
    expect(bot.logs.join('\n')).toContain('"verdict":"valid"');
  });

  test('an expired token says since when and to generate a new one', async () => {
    await bot.post(personalMessage(connector.url, `token check ${await accessToken(-7200)}`));
    const reply = await connector.waitFor((a) => a.body.type === 'message');
    const card = JSON.stringify(reply.body.attachments[0].content);
    expect(card).toContain('Expired token');
    expect(card).toMatch(/2 hours( 0 minutes)? ago|1 hour 59 minutes ago/);
    expect(card).toContain('Generate a new token');
  });

  test('`token check` alone offers the card; the card action classifies a truncated token as incomplete', async () => {
    await bot.post(personalMessage(connector.url, 'token check'));
    const offer = await connector.waitFor((a) => a.body.type === 'message');
    const form = offer.body.attachments[0].content;
    expect(form.body.some((e: { type: string; id?: string }) => e.type === 'Input.Text' && e.id === 'token')).toBe(true);
    expect(form.actions).toEqual([{ type: 'Action.Execute', title: 'Check token', verb: 'tokenCheck', data: {} }]);
    expect(JSON.stringify(form)).toContain('stays in the chat history');

    const token = await accessToken(3600);
    const res = await bot.post(actionExecute(connector.url, 'tokenCheck', { token: token.slice(0, -30) }));
    const body = (await res.json()) as { statusCode: number; type: string; value: unknown };
    expect(body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    const card = JSON.stringify(body.value);
    expect(card).toContain('Incomplete token');
    expect(card).toContain('Copy the token again');
    for (const part of secretParts(token)) expect(`${card}\n${bot.logs.join('\n')}`).not.toContain(part);
  });

  test('help lists token check for everyone', async () => {
    await bot.post(personalMessage(connector.url, 'help'));
    const reply = await connector.waitFor((a) => a.body.type === 'message');
    expect(JSON.stringify(reply.body.attachments[0].content)).toContain('token check [token]');
  });
});
