import { ADELE, WORKSPACE } from '../support/activities.js';
import type { Tenant } from '../../src/store/types.js';

/** A connected Microsoft tenant as the consent flow stores it, with credentials in three states. */
export const CONTOSO_TENANT = 'c0c0c0c0-1111-4000-8000-000000000001';

export function contosoTenant(workspaceId = WORKSPACE): Tenant {
  return {
    id: CONTOSO_TENANT,
    workspaceId,
    displayName: 'Contoso Ltd',
    defaultDomain: 'contoso.example',
    consentedBy: { aadObjectId: ADELE.aadObjectId, name: ADELE.name },
    consentedAt: '2025-03-01T09:00:00.000Z',
    credentials: {
      azureConsent: { state: 'ok', updatedAt: '2025-03-01T09:00:00.000Z' },
      clientSecret: { state: 'expiring', updatedAt: '2025-03-02T09:00:00.000Z', expiresAt: '2025-03-09T00:00:00.000Z', sealed: 'SEALED-BLOB-never-shown' },
      delegatedRefreshToken: { state: 'revoked', updatedAt: '2025-03-02T09:00:00.000Z', detail: 'AADSTS50173: the grant was revoked' },
    },
  };
}
