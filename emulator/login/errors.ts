import { aadError } from '../http/errors.js';
import type { Reply } from '../http/router.js';

/**
 * The AADSTS errors the token endpoint returns, with the `error` value and `suberror` Entra sends,
 * so MSAL classifies them as it does for the real service (e.g. suberror bad_token -> InteractionRequiredAuthError).
 */
export const tokenErrors = {
  missingParam: (name: string) => aadError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  unknownTenant: (message: string) => aadError(400, 'invalid_request', 90002, message),
  unsupportedGrant: (grant: string) => aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`),
  unknownClient: (clientId: string, tenant: string) =>
    aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`),
  missingSecret: () => aadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  badSecret: (appId: string) =>
    aadError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`),
  expiredSecret: (appId: string) => aadError(401, 'invalid_client', 7000222, `The provided client secret keys for app '${appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`),
  noTenant: () => aadError(400, 'invalid_request', 50059, 'No tenant-identifying information found in either the request or implied by any provided credentials.'),
  invalidScope: (scope: string, why: string) => aadError(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. ${why}`),
  multipleResources: (scope: string) => aadError(400, 'invalid_scope', 28000, `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`),
  unknownResource: (resource: string, tenant: string) =>
    aadError(400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`),
  noConsent: (appId: string, appName: string) =>
    aadError(400, 'invalid_grant', 65001, `The user or administrator has not consented to use the application with ID '${appId}' named '${appName}'. Send an interactive authorization request for this user and resource.`, { suberror: 'consent_required' }),
  malformedGrant: () => aadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.'),
  codeExpired: () => aadError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.'),
  codeRedeemed: () => aadError(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.'),
  grantForOtherClient: () => aadError(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.'),
  codeForOtherTenant: () => aadError(400, 'invalid_grant', 700005, 'Provided Authorization Code is intended to use against other tenant, thus rejected.'),
  redirectMismatch: (sent: string, original: string) => aadError(400, 'invalid_grant', 500112, `The reply address '${sent}' does not match the reply address '${original}' provided when requesting Authorization code.`),
  pkceMismatch: () => aadError(400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.'),
  refreshExpired: (issuedAt: number, maxAgeMs: number) =>
    aadError(400, 'invalid_grant', 700082, `The refresh token has expired due to inactivity. The token was issued on ${new Date(issuedAt).toISOString()} and was inactive for ${timeSpan(maxAgeMs)}.`, { suberror: 'bad_token' }),
  grantRevoked: (authTime: number, validFrom: number) =>
    aadError(400, 'invalid_grant', 50173, `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${new Date(authTime).toISOString()}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${new Date(validFrom).toISOString()}'.`, { suberror: 'bad_token' }),
  signInFrequency: (authTime: number, maxMs: number) =>
    aadError(400, 'invalid_grant', 70043, `The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. The token was issued on ${new Date(authTime).toISOString()} and the maximum allowed lifetime for this request is ${Math.round(maxMs / 1000)}.`, { suberror: 'bad_token' }),
  conditionalAccess: () => aadError(400, 'interaction_required', 53003, 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.', { suberror: 'message_only' }),
  userNotInTenant: (upn: string, tenant: string, appId: string) =>
    aadError(400, 'invalid_grant', 50020, `User account '${upn}' from identity provider 'live.com' does not exist in tenant '${tenant}' and cannot access the application '${appId}' in that tenant. The account needs to be added as an external user in the tenant first.`),
  userGone: () => aadError(400, 'invalid_grant', 50034, 'The user account does not exist in the directory. To sign into this application, the account must be added to the directory.'),
  userDisabled: () => aadError(400, 'invalid_grant', 50057, 'The user account is disabled.'),
} satisfies Record<string, (...args: never[]) => Reply>;

/** .NET TimeSpan format, as Entra prints durations: `90.00:00:00`. */
function timeSpan(ms: number): string {
  const totalSeconds = Math.floor(ms / 1000);
  const days = Math.floor(totalSeconds / 86400);
  const h = Math.floor((totalSeconds % 86400) / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days}.${pad(h)}:${pad(m)}:${pad(s)}`;
}
