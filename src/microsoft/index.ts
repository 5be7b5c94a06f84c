/**
 * The Microsoft facade: typed wrappers over @azure/identity, msal-node, the ARM clients and the Graph client.
 * Endpoints and scopes come only from `config.microsoft`, so the same code runs against the public, US Gov and
 * China clouds and against the emulator. Built once in main.ts (`deps.microsoft`).
 *
 *   microsoft.appCredential(tenantId)                 app-only TokenCredential (client credentials), cached per tenant
 *   microsoft.delegatedCredential(token, expiresOn)   TokenCredential for a delegated access token already held
 *   microsoft.authCode.begin / redeem / refresh       auth code flow with PKCE (msal-node), nothing cached
 *   microsoft.arm(credential)                         subscriptions, permissions, role assignments
 *   microsoft.graph(credential)                       the Graph client (v1.0)
 *   microsoft.servicePrincipalId(tenantId)            our service principal's object id in a tenant
 *   classifyMicrosoftError(err)                       any SDK error → { kind, aadsts, status, message, fix }
 */
import type { TokenCredential } from '@azure/core-auth';
import type { Client } from '@microsoft/microsoft-graph-client';
import { decodeJwt } from 'jose';
import type { Config } from '../config.js';
import type { Logger } from '../logging.js';
import { Arm } from './arm.js';
import { AuthCodeFlow } from './auth-code.js';
import { accessTokenCredential, appCredential, type EntraApp } from './credentials.js';
import type { MicrosoftEndpoints } from './endpoints.js';
import { classifyMicrosoftError } from './errors.js';
import { graphClient, servicePrincipalObjectId } from './graph.js';

export { Arm, allows, roleAssignmentName, uuidV5, ROLE_ASSIGNMENT_WRITE, type ArmPermission, type ArmRoleAssignment, type ArmSubscription } from './arm.js';
export { AuthCodeFlow, type BeginSignIn, type DelegatedGrant } from './auth-code.js';
export { accessTokenCredential, appCredential, type EntraApp } from './credentials.js';
export { armDelegatedScopes, isMicrosoftCloudAuthority, ROLE_IDS, type MicrosoftEndpoints } from './endpoints.js';
export { aadstsOf, classifyAuthorizeError, classifyMicrosoftError, FIXES, type MicrosoftProblem, type MicrosoftProblemKind } from './errors.js';
export { graphClient, organizationOf, servicePrincipalObjectId } from './graph.js';

/** ENTRA_APP_CLIENT_ID / ENTRA_APP_CLIENT_SECRET are not set, so nothing can be asked of Microsoft. */
export class MicrosoftNotConfiguredError extends Error {
  override name = 'MicrosoftNotConfiguredError';
  constructor() {
    super('The Entra app is not configured: set ENTRA_APP_CLIENT_ID and ENTRA_APP_CLIENT_SECRET (see .env.example).');
  }
}

export interface Microsoft {
  readonly endpoints: MicrosoftEndpoints;
  /** The multi-tenant app's client id; undefined when not configured (then the methods below throw MicrosoftNotConfiguredError). */
  readonly clientId: string | undefined;
  /** App-only credential for `tenantId`, cached per tenant so that @azure/identity's token cache is reused. */
  appCredential(tenantId: string): TokenCredential;
  /** A credential for a delegated access token already held (the impersonation window). */
  delegatedCredential(accessToken: string, expiresOn: Date): TokenCredential;
  /** The auth code flow with PKCE. */
  readonly authCode: AuthCodeFlow;
  arm(credential: TokenCredential): Arm;
  graph(credential: TokenCredential): Client;
  /**
   * Our service principal's object id in `tenantId`: Graph `servicePrincipals(appId='…')` with the app credential;
   * if Graph refuses (Application.Read.All not consented), the `oid` claim of an app-only ARM token, which Entra
   * sets to the same object id. Throws when the app has no service principal there (AADSTS65001 / 700016).
   */
  servicePrincipalId(tenantId: string): Promise<string>;
}

export function createMicrosoft(config: Pick<Config, 'microsoft' | 'entraApp'>, logger?: Logger): Microsoft {
  const endpoints = config.microsoft;
  const { clientId, clientSecret } = config.entraApp;
  const app = (): EntraApp => {
    if (!clientId || !clientSecret) throw new MicrosoftNotConfiguredError();
    return { clientId, clientSecret };
  };
  const credentials = new Map<string, TokenCredential>();
  const appCredentialFor = (tenantId: string) => {
    let credential = credentials.get(tenantId);
    if (!credential) credentials.set(tenantId, (credential = appCredential(endpoints, app(), tenantId)));
    return credential;
  };
  let authCode: AuthCodeFlow | undefined;
  return {
    endpoints,
    clientId,
    appCredential: appCredentialFor,
    delegatedCredential: (token, expiresOn) => accessTokenCredential({ token, expiresOnTimestamp: expiresOn.getTime() }),
    get authCode() {
      return (authCode ??= new AuthCodeFlow(endpoints, app(), logger));
    },
    arm: (credential) => new Arm(endpoints, credential),
    graph: (credential) => graphClient(endpoints, credential),
    async servicePrincipalId(tenantId) {
      const credential = appCredentialFor(tenantId);
      try {
        return await servicePrincipalObjectId(graphClient(endpoints, credential), app().clientId);
      } catch (err) {
        const problem = classifyMicrosoftError(err);
        if (problem.kind !== 'forbidden') throw err;
        logger?.info({ tenantId, problem: problem.message }, 'Graph refused the service principal lookup; using the app token oid');
      }
      const token = await credential.getToken(endpoints.scopes.arm);
      if (!token) throw new Error('no app-only token for ARM');
      const oid = decodeJwt(token.token).oid;
      if (typeof oid !== 'string' || !oid) throw new Error('the app-only token carries no oid');
      return oid;
    },
  };
}
