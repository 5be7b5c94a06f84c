import { RESOURCE_IDS } from '../deps.js';

/** Canonical resource identifiers (what consent is recorded against). */
export const RESOURCES = {
  arm: 'https://management.azure.com',
  graph: 'https://graph.microsoft.com',
  partnerCenter: 'https://api.partnercenter.microsoft.com',
} as const;

export type ResourceKey = keyof typeof RESOURCES;

/** OpenID Connect scopes: never need consent, never make an access token's audience. */
export const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

export interface ParsedScope {
  /** As sent, e.g. `https://management.azure.com/user_impersonation` or `User.Read`. */
  raw: string;
  oidc: boolean;
  /** Which service the scope is for, when the emulator knows the resource. */
  resource?: ResourceKey;
  /** The resource as the client named it: becomes the token's `aud`, as Entra does. */
  audience: string;
  /** The permission (`user_impersonation`, `User.Read`, `.default`). */
  value: string;
}

/** Maps any accepted spelling of a resource (RESOURCE_IDS) to its key. */
export function resourceKeyOf(identifier: string): ResourceKey | undefined {
  for (const key of Object.keys(RESOURCE_IDS) as ResourceKey[]) {
    if ((RESOURCE_IDS[key] as readonly string[]).some((id) => id.toLowerCase() === identifier.toLowerCase())) return key;
  }
  return undefined;
}

/** Splits a space-separated scope parameter. A bare permission name (`User.Read`) means Microsoft Graph. */
export function parseScopes(scope: string | null | undefined): ParsedScope[] {
  const parts = (scope ?? '').split(/\s+/).filter(Boolean);
  const seen = new Set<string>();
  const out: ParsedScope[] = [];
  for (const raw of parts) {
    if (seen.has(raw.toLowerCase())) continue;
    seen.add(raw.toLowerCase());
    if (OIDC_SCOPES.has(raw.toLowerCase())) {
      out.push({ raw, oidc: true, audience: '', value: raw.toLowerCase() });
      continue;
    }
    const slash = raw.lastIndexOf('/');
    if (slash <= 0) {
      out.push({ raw, oidc: false, resource: 'graph', audience: RESOURCES.graph, value: raw });
      continue;
    }
    const audience = raw.slice(0, slash);
    out.push({ raw, oidc: false, resource: resourceKeyOf(audience), audience, value: raw.slice(slash + 1) });
  }
  return out;
}

/** The key consent is stored under: `${canonical resource}/${permission}`. */
export function consentKey(resource: ResourceKey, value: string): string {
  return `${RESOURCES[resource]}/${value}`;
}

/** How Entra writes granted scopes back in the token response: Graph ones bare, others fully qualified. */
export function displayScope(resource: ResourceKey, value: string, audience: string): string {
  return resource === 'graph' ? value : `${audience}/${value}`;
}

/** Delegated permissions that only an administrator may consent to (Graph's tenant-wide `*.All` scopes). */
export function needsAdminConsent(resource: ResourceKey, value: string): boolean {
  return resource === 'graph' && /\.All$/i.test(value);
}
