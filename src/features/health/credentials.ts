import type { CredentialKind } from '../../store/types.js';

/**
 * The sealing context of a tenant credential's secret (`tenant.credentials[kind].sealed`). Binding the workspace,
 * the tenant and the kind means a sealed refresh token copied onto another tenant or kind fails to unseal.
 * Whoever stores a sealed credential (connect, partner link) must seal it with this context.
 */
export function credentialSealContext(workspaceId: string, tenantId: string, kind: CredentialKind): string {
  return `tenant-credential/${workspaceId}/${tenantId}/${kind}`;
}

/** How long a refresh token lives unused (Entra: 90 days; Partner Center's the same). */
export const REFRESH_TOKEN_LIFETIME_DAYS = 90;

/** How each credential is named in cards. */
export const CREDENTIAL_LABELS: Record<CredentialKind, string> = {
  azureConsent: 'Azure access (app-only token)',
  graphConsent: 'Microsoft Graph access (app-only token)',
  clientSecret: "Tenant Steward's client secret",
  delegatedRefreshToken: "The admin's delegated sign-in (refresh token)",
  partnerCenterRefreshToken: 'Partner Center refresh token',
  saasClientSecret: "The SaaS discovery app registration's client secret (your own app)",
};
