import { SignJWT } from 'jose';
import { CHANNEL_ISSUER, type ChannelIssuer } from './channel-issuer.js';

/** What a request to /api/messages carries: its Authorization header (none when undefined) and the activity's channel. */
export interface ForgedRequest {
  variant: string;
  authorization?: string;
  /** The activity's channelId (the key is endorsed for msteams only). */
  channelId: string;
  /** The reason the bot must give (the end of its 401 message). */
  reason: string;
}

export interface ForgeContext {
  issuer: ChannelIssuer;
  appId: string;
  serviceUrl: string;
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The claims the Bot Connector puts in a token for this bot and this serviceUrl, valid for an hour. */
export function channelClaims(ctx: ForgeContext, nowSeconds = Math.floor(Date.now() / 1000)): Record<string, unknown> {
  return { iss: CHANNEL_ISSUER, aud: ctx.appId, serviceurl: ctx.serviceUrl, iat: nowSeconds - 10, nbf: nowSeconds - 10, exp: nowSeconds + 3600 };
}

type Forger = (ctx: ForgeContext) => Promise<Omit<ForgedRequest, 'variant'>>;

/**
 * Every way an attacker (or a misconfigured caller) can present a request without a valid channel token. Each
 * makes a fresh token, so that no two requests carry the same bytes.
 */
export const FORGERS: Record<string, Forger> = {
  'no Authorization header': async () => ({ channelId: 'msteams', reason: 'no Authorization header' }),
  'forged signature (another key, same kid)': async (ctx) => ({
    authorization: `Bearer ${await ctx.issuer.sign(channelClaims(ctx), { with: await ctx.issuer.otherKey() })}`,
    channelId: 'msteams',
    reason: "the token's signature does not verify",
  }),
  'tampered payload (valid signature of other claims)': async (ctx) => {
    const [header, , signature] = (await ctx.issuer.sign({ ...channelClaims(ctx), aud: 'e2f1a2b3-0000-4000-8000-00000000beef' })).split('.');
    return { authorization: `Bearer ${header}.${b64(channelClaims(ctx))}.${signature}`, channelId: 'msteams', reason: "the token's signature does not verify" };
  },
  'wrong audience (another bot)': async (ctx) => ({
    authorization: `Bearer ${await ctx.issuer.sign({ ...channelClaims(ctx), aud: 'e2f1a2b3-0000-4000-8000-00000000beef' })}`,
    channelId: 'msteams',
    reason: 'the token was issued for another bot (audience)',
  }),
  'expired (an hour ago)': async (ctx) => {
    const past = Math.floor(Date.now() / 1000) - 7200;
    return { authorization: `Bearer ${await ctx.issuer.sign(channelClaims(ctx, past))}`, channelId: 'msteams', reason: 'the token has expired' };
  },
  'not valid yet (nbf in an hour)': async (ctx) => ({
    authorization: `Bearer ${await ctx.issuer.sign({ ...channelClaims(ctx), nbf: Math.floor(Date.now() / 1000) + 3600 })}`,
    channelId: 'msteams',
    reason: 'the token is not valid yet',
  }),
  'untrusted issuer': async (ctx) => ({
    authorization: `Bearer ${await ctx.issuer.sign({ ...channelClaims(ctx), iss: 'https://login.evil.example/botframework' })}`,
    channelId: 'msteams',
    reason: "the token's issuer is not trusted",
  }),
  'alg none': async (ctx) => ({
    authorization: `Bearer ${b64({ alg: 'none', typ: 'JWT', kid: ctx.issuer.kid })}.${b64(channelClaims(ctx))}.`,
    channelId: 'msteams',
    reason: "the token's signature does not verify",
  }),
  'HS256 keyed with the public key': async (ctx) => {
    const secret = new TextEncoder().encode(ctx.issuer.publicPem);
    const token = await new SignJWT(channelClaims(ctx)).setProtectedHeader({ alg: 'HS256', kid: ctx.issuer.kid }).sign(secret);
    return { authorization: `Bearer ${token}`, channelId: 'msteams', reason: "the token's signing algorithm is not allowed" };
  },
  'unknown kid': async (ctx) => ({
    authorization: `Bearer ${await ctx.issuer.sign(channelClaims(ctx), { with: await ctx.issuer.otherKey(), kid: 'attacker-key' })}`,
    channelId: 'msteams',
    reason: 'the token is signed with an unknown key',
  }),
  'serviceurl claim for another service': async (ctx) => ({
    authorization: `Bearer ${await ctx.issuer.sign({ ...channelClaims(ctx), serviceurl: 'https://evil.example/relay/' })}`,
    channelId: 'msteams',
    reason: "the token's serviceurl does not match the activity's serviceUrl",
  }),
  'valid token, channel the key is not endorsed for': async (ctx) => ({
    authorization: `Bearer ${await ctx.issuer.sign(channelClaims(ctx))}`,
    channelId: 'webchat',
    reason: "the token's signing key is not endorsed for this channel",
  }),
  'malformed token': async () => ({ authorization: 'Bearer not.a-jwt', channelId: 'msteams', reason: 'the token is not a well-formed JWT' }),
  'valid token without the Bearer scheme': async (ctx) => ({
    authorization: `Basic ${await ctx.issuer.sign(channelClaims(ctx))}`,
    channelId: 'msteams',
    reason: 'the Authorization header is not "Bearer <token>"',
  }),
};

/** The i-th forged request: the variants in turn. */
export async function forgedRequest(ctx: ForgeContext, i: number): Promise<ForgedRequest> {
  const names = Object.keys(FORGERS);
  const variant = names[i % names.length];
  return { variant, ...(await FORGERS[variant](ctx)) };
}
