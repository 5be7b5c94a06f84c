// Types only: botframework-connector is botbuilder's dependency, not ours; at run time we only decorate its object.
import type {
  AuthenticateRequestResult, BotFrameworkAuthentication, ClaimsIdentity, ConnectorClient, ConnectorFactory, UserTokenClient,
} from 'botframework-connector';

/** Distinct (bot app id, serviceUrl, audience) clients kept; a real bot sees a handful of serviceUrls per region. */
export const MAX_CACHED_CLIENTS = 64;

/**
 * botbuilder's CloudAdapter builds a new ConnectorClient (credentials, a whole Azure HTTP pipeline and its own
 * keep-alive agent, so a new TCP connection for the reply) and a new UserTokenClient on every turn: about a third of a
 * simple turn's CPU. The returned authentication keeps them per bot app id, serviceUrl and audience, as botbuilder's
 * older BotFrameworkAdapter did. The clients hold no per-turn state (tokens live in botbuilder's static token cache,
 * per app id and scope), so sharing them changes nothing but the cost. Authentication itself is `auth`'s, unchanged.
 */
export function cachingTurnClients(auth: BotFrameworkAuthentication, max = MAX_CACHED_CLIENTS): BotFrameworkAuthentication {
  const connectors = new Map<string, Promise<ConnectorClient>>();
  const userTokens = new Map<string, Promise<UserTokenClient>>();
  const cachingFactory = (claimsIdentity: ClaimsIdentity, inner: ConnectorFactory): ConnectorFactory => {
    const appId = appIdOf(claimsIdentity);
    return { create: (serviceUrl, audience) => cached(connectors, JSON.stringify([appId, serviceUrl, audience ?? null]), max, () => inner.create(serviceUrl, audience)) };
  };
  const withCachingFactory = (result: AuthenticateRequestResult): AuthenticateRequestResult =>
    result.connectorFactory ? { ...result, connectorFactory: cachingFactory(result.claimsIdentity, result.connectorFactory) } : result;

  // Everything else (the streaming and channel checks, skills, caller ids) is inherited from `auth` as it is.
  const decorated = Object.create(auth) as BotFrameworkAuthentication;
  decorated.authenticateRequest = async (activity, authHeader) => withCachingFactory(await auth.authenticateRequest(activity, authHeader));
  decorated.authenticateStreamingRequest = async (authHeader, channelIdHeader) => withCachingFactory(await auth.authenticateStreamingRequest(authHeader, channelIdHeader));
  decorated.createConnectorFactory = (claimsIdentity) => cachingFactory(claimsIdentity, auth.createConnectorFactory(claimsIdentity));
  decorated.createUserTokenClient = (claimsIdentity) => cached(userTokens, appIdOf(claimsIdentity), max, () => auth.createUserTokenClient(claimsIdentity));
  return decorated;
}

function cached<T>(cache: Map<string, Promise<T>>, key: string, max: number, make: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit) return hit;
  const made = make();
  // A failed creation (e.g. an app id the credentials refuse) is not kept: the next turn asks again and fails the same way.
  made.catch(() => cache.get(key) === made && cache.delete(key));
  if (cache.size >= max) cache.delete(cache.keys().next().value!);
  cache.set(key, made);
  return made;
}

/** As botbuilder's ParameterizedBotFrameworkAuthentication: the bot's app id is the `aud` claim, else the `appid` claim. */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return claimsIdentity.getClaimValue('aud') ?? claimsIdentity.getClaimValue('appid') ?? '';
}
