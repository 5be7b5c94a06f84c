/** An ARM scope that tags can be read and written at. */
export type ArmScope =
  | { kind: 'subscription'; subscriptionId: string }
  | { kind: 'resourceGroup'; subscriptionId: string; resourceGroup: string }
  | { kind: 'resource'; subscriptionId: string; resourceGroup: string; resourceId: string };

/** Parses `/subscriptions/{id}[/resourceGroups/{rg}[/providers/{ns}/{type}/{name}...]]`, any case, any leading slashes. */
export function parseScope(raw: string): ArmScope | undefined {
  const path = `/${raw.replace(/^\/+/, '').replace(/\/+$/, '')}`;
  const m = /^\/subscriptions\/([^/]+)(?:\/resourceGroups\/([^/]+)(\/providers\/[^/]+\/[^/]+\/[^/]+(?:\/[^/]+\/[^/]+)*)?)?$/i.exec(path);
  if (!m) return undefined;
  const [, subscriptionId, resourceGroup, provider] = m;
  if (!resourceGroup) return { kind: 'subscription', subscriptionId };
  if (!provider) return { kind: 'resourceGroup', subscriptionId, resourceGroup };
  return { kind: 'resource', subscriptionId, resourceGroup, resourceId: path };
}
