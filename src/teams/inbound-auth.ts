import { CallerIdConstants, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory, type Activity } from 'botbuilder';
import type { AuthenticateRequestResult, BotFrameworkAuthentication } from 'botframework-connector';
import { decodeJwt } from 'jose';
import type { Config } from '../config.js';

/**
 * botbuilder's public-cloud settings, spelled out because setting any one of them (as a metadata override does)
 * makes botbuilder take all of them from us: the rest would be undefined, the token issuer included, and every
 * request would be refused.
 */
const PUBLIC_CLOUD = {
  ValidateAuthority: true,
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: CallerIdConstants.PublicAzureChannel,
};

export interface InboundAuthOptions {
  /** Where inbound tokens' signing keys are published (botbuilder's ToBotFromChannelOpenIdMetadataUrl). */
  openIdMetadataUrl?: string;
}

/** The settings botbuilder authenticates with: the app registration (`app`), plus the public cloud when a URL is overridden (`all`). */
export function botAuthSettings(config: Config, options: InboundAuthOptions = {}) {
  const app = {
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    MicrosoftAppType: config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId,
  };
  return { app, all: options.openIdMetadataUrl ? { ...app, ...PUBLIC_CLOUD, ToBotFromChannelOpenIdMetadataUrl: options.openIdMetadataUrl } : app };
}

/** A passed check carries botbuilder's result, with which the adapter runs the turn (see BotAdapter.processAuthenticated). */
export type InboundCheck = { ok: true; result: AuthenticateRequestResult } | { ok: false; status: 401 | 503; reason: string; detail: string };

/** Checks an inbound activity's Authorization header exactly as the adapter would (same botbuilder validation, same settings). */
export type InboundAuthenticator = (activity: Activity, authorization: string) => Promise<InboundCheck>;

/**
 * The edge check of /api/messages. botbuilder answers 500 when jsonwebtoken itself rejects a token (a forged
 * signature, `alg: none`, a token not valid yet) and logs nothing of ours; this answers every refusal with 401 and
 * a reason, and lets the server log it. Pass the adapter's own authentication (`adapter.authentication`): the turn
 * then runs with this result instead of validating the token a second time.
 */
export function createInboundAuthenticator(
  config: Config,
  options: InboundAuthOptions = {},
  auth: BotFrameworkAuthentication = defaultAuthentication(config, options),
): InboundAuthenticator {
  return async (activity, authorization) => {
    try {
      return { ok: true, result: await auth.authenticateRequest(activity, authorization) };
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      if (!isTokenRejection(err)) return { ok: false, status: 503, reason: 'the signing keys could not be loaded to verify the token', detail };
      return { ok: false, status: 401, reason: refusalReason(authorization, detail), detail };
    }
  };
}

function defaultAuthentication(config: Config, options: InboundAuthOptions): BotFrameworkAuthentication {
  const { app, all } = botAuthSettings(config, options);
  return new ConfigurationBotFrameworkAuthentication(all, new ConfigurationServiceClientCredentialFactory(app));
}

/** jsonwebtoken's rejections, and botbuilder's AuthenticationError with a 401 (a 500 one means the keys could not be loaded). */
function isTokenRejection(err: unknown): boolean {
  const e = err as { name?: unknown; statusCode?: unknown };
  return e.statusCode === 401 || e.name === 'JsonWebTokenError' || e.name === 'NotBeforeError' || e.name === 'TokenExpiredError';
}

/** botbuilder's and jsonwebtoken's messages → a fixed reason (never echoing the token's claims back). */
const REASONS: [RegExp, string][] = [
  [/expired/i, 'the token has expired'],
  [/not active/i, 'the token is not valid yet'],
  [/invalid signature|signature is required/i, "the token's signature does not verify"],
  [/invalid algorithm|not in allowed list/i, "the token's signing algorithm is not allowed"],
  [/Signing Key could not be retrieved/i, 'the token is signed with an unknown key'],
  [/Invalid AppId/i, 'the token was issued for another bot (audience)'],
  [/ServiceUrl claim/i, "the token's serviceurl does not match the activity's serviceUrl"],
  [/endorsement/i, "the token's signing key is not endorsed for this channel"],
  [/malformed/i, 'the token is not a well-formed JWT'],
];

function refusalReason(authorization: string, detail: string): string {
  if (!authorization.trim()) return 'no Authorization header';
  const token = /^Bearer ([^\s]+)$/.exec(authorization)?.[1];
  if (!token) return 'the Authorization header is not "Bearer <token>"';
  const known = REASONS.find(([pattern]) => pattern.test(detail));
  if (known) return known[1];
  try {
    decodeJwt(token);
  } catch {
    return 'the token is not a well-formed JWT';
  }
  // botbuilder says "No valid identity" when it will not even check the signature: the issuer is not one it trusts.
  return /No valid identity/i.test(detail) ? "the token's issuer is not trusted" : 'the token was refused';
}
