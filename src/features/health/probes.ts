import { decodeJwt } from 'jose';
import type { Config } from '../../config.js';
import type { Logger } from '../../logging.js';
import { appCredential, armDelegatedScopes, AuthCodeFlow, classifyMicrosoftError, graphClient, MicrosoftNotConfiguredError } from '../../microsoft/index.js';
import { withRetries, type RetryOptions } from '../../microsoft/retry.js';

/**
 * The calls to Microsoft the health check makes. An interface so the job logic reads as what it checks; the one
 * implementation, {@link createMicrosoftProbes}, talks to Entra and Graph (or the emulator) for real, through the
 * src/microsoft wrappers (identity's ClientSecretCredential, msal-node's refresh, the Graph client).
 * Every method rejects with the SDK's or the endpoint's own error, so the AADSTS code survives for classification.
 */
export interface HealthProbes {
  /** False when no Entra app is configured (ENTRA_APP_CLIENT_ID unset): app-only checks are skipped then. */
  readonly appConfigured: boolean;
  /** Acquires a fresh app-only token in the tenant for ARM or Graph; resolves the Graph application roles it carries. */
  appOnlyToken(tenantId: string, resource: 'arm' | 'graph'): Promise<{ roles: string[] }>;
  /** Redeems a delegated refresh token; resolves the NEW refresh token, which replaces the old one. */
  refreshDelegated(tenantId: string, refreshToken: string): Promise<{ refreshToken: string }>;
  /**
   * When our app's client secret ends, from Graph `applications` passwordCredentials in the app's home tenant.
   * Undefined when that is not readable (no home tenant configured, no permission, our secret not listed).
   */
  clientSecretEndsAt(): Promise<Date | undefined>;
}

/** `retry` tunes the retries of the secret's end-date read (tests shorten the waits). */
export function createMicrosoftProbes(config: Pick<Config, 'microsoft' | 'entraApp'>, logger?: Logger, opts: { retry?: RetryOptions } = {}): HealthProbes {
  const { clientId, clientSecret, homeTenantId } = config.entraApp;
  const endpoints = config.microsoft;
  const app = clientId && clientSecret ? { clientId, clientSecret } : undefined;
  const requireApp = () => {
    if (!app) throw new MicrosoftNotConfiguredError();
    return app;
  };
  // A new credential per check: a cached token would hide a revoked consent or an expired secret for up to an hour.
  const freshCredential = (tenantId: string) => appCredential(endpoints, requireApp(), tenantId);
  let authCode: AuthCodeFlow | undefined;

  return {
    appConfigured: app !== undefined,

    async appOnlyToken(tenantId, resource) {
      const token = await freshCredential(tenantId).getToken(endpoints.scopes[resource]);
      if (!token) throw new Error('no app-only token returned');
      const roles = decodeJwt(token.token).roles;
      return { roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [] };
    },

    async refreshDelegated(tenantId, refreshToken) {
      authCode ??= new AuthCodeFlow(endpoints, requireApp(), logger);
      const grant = await authCode.refresh({ tenant: tenantId, refreshToken, scopes: armDelegatedScopes(endpoints) });
      if (!grant.refreshToken) throw new Error('the refresh returned no new refresh token');
      return { refreshToken: grant.refreshToken };
    },

    async clientSecretEndsAt() {
      if (!app || !homeTenantId) return undefined;
      let body: { passwordCredentials?: { hint?: string | null; endDateTime?: string }[] };
      try {
        // The Graph client retries 429/503/504 itself; a reset or a cut body would otherwise lose the end date.
        body = (await withRetries(
          () =>
            graphClient(endpoints, freshCredential(homeTenantId))
              .api(`/applications(appId='${encodeURIComponent(app.clientId)}')`)
              .select(['passwordCredentials'])
              .get(),
          { attempts: 3, ...opts.retry },
        )) as typeof body;
      } catch (err) {
        // Not readable (no Application.Read.All in the home tenant, or the app object is elsewhere): not a failure.
        if (classifyMicrosoftError(err).kind === 'forbidden' || (err as { statusCode?: number }).statusCode === 404) return undefined;
        throw err;
      }
      return ourSecretEnd(body.passwordCredentials ?? [], app.clientSecret);
    },
  };
}

/** Graph shows the first three characters of each secret (`hint`); ours is the one whose hint matches. */
export function ourSecretEnd(credentials: { hint?: string | null; endDateTime?: string }[], secret: string): Date | undefined {
  const ends = credentials
    .filter((c) => c.hint && secret.startsWith(c.hint) && c.endDateTime)
    .map((c) => new Date(c.endDateTime!))
    .filter((d) => !Number.isNaN(d.getTime()));
  return ends.length ? new Date(Math.max(...ends.map((d) => d.getTime()))) : undefined;
}
