import { ClientSecretCredential } from '@azure/identity';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import type { MicrosoftEndpoints } from './endpoints.js';
import { isMicrosoftCloudAuthority } from './endpoints.js';

/** The multi-tenant Entra app the bot acts as (ENTRA_APP_CLIENT_ID / ENTRA_APP_CLIENT_SECRET). */
export interface EntraApp {
  clientId: string;
  clientSecret: string;
}

/**
 * App-only credential for one tenant (client credentials). Instance discovery stays on for Microsoft's own
 * authority hosts, where it validates the authority, and is turned off for any other host (the emulator, a
 * private endpoint), where the discovery call would go to login.microsoftonline.com and fail.
 */
export function appCredential(endpoints: MicrosoftEndpoints, app: EntraApp, tenantId: string): TokenCredential {
  return new ClientSecretCredential(tenantId, app.clientId, app.clientSecret, {
    authorityHost: endpoints.authorityHost,
    disableInstanceDiscovery: !isMicrosoftCloudAuthority(endpoints.authorityHost),
  });
}

/**
 * A TokenCredential for an access token already held (the delegated token of the impersonation window). The
 * scopes asked for are ignored: the token is what it is. Past its expiry it throws rather than send a dead token.
 */
export function accessTokenCredential(token: AccessToken): TokenCredential {
  return {
    async getToken() {
      if (token.expiresOnTimestamp <= Date.now()) throw new Error('the delegated access token has expired; a new sign-in is needed');
      return token;
    },
  };
}
