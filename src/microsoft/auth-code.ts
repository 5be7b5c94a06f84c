import { ConfidentialClientApplication, CryptoProvider, LogLevel, type AuthenticationResult } from '@azure/msal-node';
import type { Logger } from '../logging.js';
import type { EntraApp } from './credentials.js';
import { isMicrosoftCloudAuthority, type MicrosoftEndpoints } from './endpoints.js';

/** What a delegated sign-in yields. Hold it in memory, or sealed; never log or store it in the clear. */
export interface DelegatedGrant {
  accessToken: string;
  expiresOn: Date;
  /** The refresh token msal received (rotated on every refresh), if any. */
  refreshToken?: string;
  /** The tenant the access token is for, and the signed-in user's object id in it. */
  tenantId: string;
  userObjectId: string;
  userPrincipalName?: string;
  userName?: string;
  scopes: string[];
}

export interface BeginSignIn {
  /** Authority tenant segment: a tenant id, a verified domain or `organizations`. */
  tenant: string;
  redirectUri: string;
  scopes: string[];
  state: string;
  loginHint?: string;
  prompt?: 'select_account' | 'consent' | 'login';
}

/**
 * The OAuth 2.0 authorization code flow with PKCE (S256), through msal-node. Every call uses a fresh
 * ConfidentialClientApplication whose in-memory token cache is dropped when the call returns, so msal never
 * keeps a token beyond the call and nothing reaches disk; the caller decides what to keep, sealed.
 */
export class AuthCodeFlow {
  constructor(
    private readonly endpoints: MicrosoftEndpoints,
    private readonly app: EntraApp,
    private readonly logger?: Logger,
  ) {}

  /** The authorize URL to open in a browser, and the PKCE verifier to keep (sealed) until the callback. */
  async begin(req: BeginSignIn): Promise<{ url: string; verifier: string }> {
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const url = await this.client(req.tenant).getAuthCodeUrl({
      scopes: req.scopes,
      redirectUri: req.redirectUri,
      state: req.state,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      responseMode: 'query',
      loginHint: req.loginHint,
      prompt: req.prompt,
    });
    return { url, verifier };
  }

  /** Redeems the code (single use) with the verifier. Throws the msal error (see classifyMicrosoftError). */
  async redeem(req: { tenant: string; code: string; verifier: string; redirectUri: string; scopes: string[] }): Promise<DelegatedGrant> {
    const client = this.client(req.tenant);
    const result = await client.acquireTokenByCode({ code: req.code, codeVerifier: req.verifier, redirectUri: req.redirectUri, scopes: req.scopes });
    return grantFrom(result, client);
  }

  /** Uses a refresh token; the grant carries the rotated refresh token, which replaces the old one. */
  async refresh(req: { tenant: string; refreshToken: string; scopes: string[] }): Promise<DelegatedGrant> {
    const client = this.client(req.tenant);
    const result = await client.acquireTokenByRefreshToken({ refreshToken: req.refreshToken, scopes: req.scopes, forceCache: true });
    if (!result) throw new Error('msal returned no token for the refresh token');
    return grantFrom(result, client);
  }

  private client(tenant: string): ConfidentialClientApplication {
    const host = this.endpoints.authorityHost;
    return new ConfidentialClientApplication({
      auth: {
        clientId: this.app.clientId,
        clientSecret: this.app.clientSecret,
        authority: `${host}/${encodeURIComponent(tenant)}`,
        // A host msal does not know (the emulator) must be declared, or msal asks Microsoft's instance discovery.
        knownAuthorities: isMicrosoftCloudAuthority(host) ? [] : [new URL(host).host],
      },
      system: {
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (_level, message) => this.logger?.debug({ msal: message }, 'msal'),
        },
      },
    });
  }
}

function grantFrom(result: AuthenticationResult, client: ConfidentialClientApplication): DelegatedGrant {
  const claims = (result.idTokenClaims ?? {}) as { tid?: string; oid?: string; preferred_username?: string; upn?: string; name?: string };
  return {
    accessToken: result.accessToken,
    expiresOn: result.expiresOn ?? new Date(Date.now() + 3600_000),
    refreshToken: cachedRefreshToken(client),
    tenantId: result.tenantId || claims.tid || '',
    userObjectId: result.uniqueId || claims.oid || '',
    userPrincipalName: claims.preferred_username ?? claims.upn ?? result.account?.username,
    userName: claims.name ?? result.account?.name,
    scopes: result.scopes,
  };
}

/** msal-node does not return the refresh token; it is in the (in-memory, per-call) cache. */
function cachedRefreshToken(client: ConfidentialClientApplication): string | undefined {
  const cache = JSON.parse(client.getTokenCache().serialize()) as { RefreshToken?: Record<string, { secret?: string }> };
  const tokens = Object.values(cache.RefreshToken ?? {});
  return tokens.at(-1)?.secret;
}
