import type { GraphPage } from '../../../microsoft/graph-pages.js';
import { scopedId, type SaasApp, type SaasConnection } from '../../../store/types.js';
import type { ImportContext } from './context.js';

/** A Graph servicePrincipal, the fields discovery reads. */
export interface GraphServicePrincipal {
  id: string;
  appId: string;
  displayName?: string | null;
  appDisplayName?: string | null;
  publisherName?: string | null;
  verifiedPublisher?: { displayName?: string | null } | null;
  appRoleAssignmentRequired?: boolean | null;
  preferredSingleSignOnMode?: string | null;
  tags?: string[] | null;
}

/**
 * Enterprise applications, as the Entra admin center lists them: service principals tagged
 * WindowsAzureActiveDirectoryIntegratedApp. Microsoft's own first-party principals carry no such tag.
 */
export const ENTERPRISE_APPS_URL =
  "/servicePrincipals?$filter=tags/any(t:t eq 'WindowsAzureActiveDirectoryIntegratedApp')" +
  '&$select=id,appId,displayName,appDisplayName,publisherName,verifiedPublisher,appRoleAssignmentRequired,preferredSingleSignOnMode,tags';

const SSO_MODES: Record<string, NonNullable<SaasApp['ssoMode']>> = { saml: 'saml', oidc: 'oidc', password: 'password', linked: 'linked', notsupported: 'none' };

/** One discovered app, carrying forward what other tasks and earlier runs set (upsert replaces the whole record). */
export function toSaasApp(sp: GraphServicePrincipal, ctx: Pick<ImportContext, 'workspaceId' | 'tenantId' | 'runAt'>, previous?: SaasApp): SaasApp {
  const mode = sp.preferredSingleSignOnMode?.toLowerCase();
  return {
    ...previous,
    id: scopedId(ctx.tenantId, sp.appId),
    workspaceId: ctx.workspaceId,
    tenantId: ctx.tenantId,
    appId: sp.appId,
    servicePrincipalId: sp.id,
    displayName: sp.displayName || sp.appDisplayName || sp.appId,
    ...(sp.publisherName || sp.verifiedPublisher?.displayName ? { publisher: (sp.publisherName || sp.verifiedPublisher?.displayName)! } : {}),
    ssoMode: (mode && SSO_MODES[mode]) || 'none',
    tags: sp.tags ?? [],
    // Seed 003: open_access = users can use SSO without any role assignment.
    openAccess: sp.appRoleAssignmentRequired !== true,
    // Seed 003: oauth2Integration = configured with the OAuth protocol (OpenID Connect) for SSO.
    oauth2Integration: mode === 'oidc',
    firstSeenAt: previous?.firstSeenAt ?? ctx.runAt,
    lastSeenAt: ctx.runAt,
  };
}

export interface AppDiscoveryResult {
  apps: SaasApp[];
  newApps: SaasApp[];
  organization?: SaasConnection['organization'];
}

interface GraphOrganization {
  id: string;
  displayName: string;
  verifiedDomains?: { name: string; isDefault?: boolean }[];
}

/** Application discovery: the enterprise apps, page by page, and the organization. */
export async function discoverApps(ctx: ImportContext): Promise<AppDiscoveryResult> {
  const apps: SaasApp[] = [];
  const newApps: SaasApp[] = [];
  let url: string | undefined = ENTERPRISE_APPS_URL;
  while (url) {
    const page: GraphPage<GraphServicePrincipal> = await ctx.graph.page<GraphServicePrincipal>(url);
    const records: SaasApp[] = [];
    for (const sp of page.value) {
      const previous = await ctx.store.saasApps.get(ctx.workspaceId, scopedId(ctx.tenantId, sp.appId));
      const app = toSaasApp(sp, ctx, previous);
      records.push(app);
      if (!previous) newApps.push(app);
    }
    if (records.length) await ctx.store.saasApps.bulkUpsert(records);
    apps.push(...records);
    await ctx.touch?.();
    url = page.nextLink;
  }
  const org = (await ctx.graph.page<GraphOrganization>('/organization?$select=id,displayName,verifiedDomains')).value[0];
  const organization = org
    ? { id: org.id, displayName: org.displayName, defaultDomain: org.verifiedDomains?.find((d) => d.isDefault)?.name, verifiedDomains: (org.verifiedDomains ?? []).map((d) => d.name) }
    : undefined;
  return { apps, newApps, organization };
}
