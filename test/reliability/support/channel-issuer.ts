import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';

/** The issuer of tokens the Bot Framework channel service sends to bots (botbuilder's ToBotFromChannelTokenIssuer). */
export const CHANNEL_ISSUER = 'https://api.botframework.com';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface ChannelIssuer {
  /** Where the bot's adapter reads the OpenID metadata (ToBotFromChannelOpenIdMetadataUrl). */
  metadataUrl: string;
  /** The kid of the published key. */
  kid: string;
  /** Channels the published key is endorsed for (botbuilder refuses a token whose activity channel is not listed). */
  endorsements: string[];
  /** How many times the bot fetched the metadata and the keys. */
  fetches: { metadata: number; keys: number };
  /** The published public key as PEM (what an attacker would try as an HMAC secret). */
  publicPem: string;
  /** Signs a token with the published key (or `with`, e.g. a key nobody published). */
  sign(claims: Record<string, unknown>, opts?: { with?: SigningKey; kid?: string; alg?: string }): Promise<string>;
  /** An RSA key that is not published: what a forger holds (one per issuer; generating keys is slow). */
  otherKey(): Promise<SigningKey>;
  close(): Promise<void>;
}

/**
 * A local stand-in for the Bot Framework's token issuer: an RSA key generated here, published as an OpenID
 * metadata document and a JWKS on 127.0.0.1 (botbuilder fetches both with node-fetch, which accepts http:). Tokens
 * it signs are what the Bot Connector would send to a bot in production.
 */
export async function startChannelIssuer(opts: { endorsements?: string[] } = {}): Promise<ChannelIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'steward-test-key-1';
  const endorsements = opts.endorsements ?? ['msteams'];
  const jwk: JWK & { endorsements: string[] } = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256', endorsements };
  const fetches = { metadata: 0, keys: 0 };
  let forgersKey: Promise<SigningKey> | undefined;
  let base = '';
  const server: Server = createServer((req, res) => {
    if (req.url === '/v1/.well-known/openidconfiguration') {
      fetches.metadata++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer: CHANNEL_ISSUER, jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else if (req.url === '/v1/.well-known/keys') {
      fetches.keys++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    kid,
    endorsements,
    fetches,
    publicPem: await exportSPKI(publicKey),
    async sign(claims, o = {}) {
      return new SignJWT(claims).setProtectedHeader({ alg: o.alg ?? 'RS256', kid: o.kid ?? kid, typ: 'JWT' }).sign(o.with ?? privateKey);
    },
    otherKey() {
      return (forgersKey ??= generateKeyPair('RS256').then((k) => k.privateKey));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
