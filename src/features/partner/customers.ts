import { CardFactory, type Attachment } from 'botbuilder';
import type { Deps } from '../../deps.js';
import { PartnerCenterClient, type PartnerCustomer } from '../../microsoft/partner-center.js';
import type { Person, Tenant } from '../../store/types.js';
import { scheduleM365Import } from '../m365/index.js';
import { defuseTemplateText } from '../status/view.js';
import { exchangePartnerToken } from './credential.js';
import { laterThan } from './refresh-job.js';

/** Customers on one card; more are counted (Teams refuses cards over ~28 KB). */
const MAX_SHOWN = 40;

/** A Partner Center client on the partner's app+user token (exchanged now; the rotated refresh token is stored). */
export async function partnerCenterFor(deps: Deps, partner: Tenant): Promise<{ client: PartnerCenterClient; partner: Tenant }> {
  const exchanged = await exchangePartnerToken(deps, partner, partner.id, deps.microsoft.endpoints.scopes.partnerCenter);
  const token = exchanged.grant.accessToken;
  return { client: new PartnerCenterClient(deps.microsoft.endpoints.partnerCenter, async () => token, { attempts: 4 }), partner: exchanged.partner };
}

/**
 * Makes each Partner Center customer a tenant of the workspace, reached through the partner (role `customer`), and
 * schedules its daily Microsoft 365 import. A customer already connected directly keeps its own credentials (its
 * import stays app-only); only the partner link is added. Resolves how many were new.
 */
export async function linkCustomers(deps: Deps, partner: Tenant, customers: PartnerCustomer[], actor: Person): Promise<number> {
  let added = 0;
  const at = deps.now();
  for (const c of customers) {
    if (c.tenantId.toLowerCase() === partner.id.toLowerCase()) continue;
    const existing = await deps.store.tenants.get(partner.workspaceId, c.tenantId);
    if (existing?.partnerCenter?.role === 'partner') continue;
    const link = { role: 'customer' as const, partnerTenantId: partner.id, customerDomain: c.domain || undefined, linkedBy: existing?.partnerCenter?.linkedBy ?? actor, linkedAt: existing?.partnerCenter?.linkedAt ?? at.toISOString() };
    const tenant: Tenant = existing
      ? { ...existing, partnerCenter: link, updatedAt: laterThan(existing.updatedAt, at) }
      : { id: c.tenantId, workspaceId: partner.workspaceId, displayName: c.companyName, defaultDomain: c.domain || undefined, consentedBy: actor, consentedAt: at.toISOString(), credentials: {}, partnerCenter: link, updatedAt: at.toISOString() };
    const unchanged = existing?.partnerCenter?.role === 'customer' && existing.partnerCenter.partnerTenantId === partner.id && existing.partnerCenter.customerDomain === link.customerDomain;
    if (!unchanged) {
      if (existing) await deps.store.tenants.replaceIf(tenant, { updatedAt: existing.updatedAt ?? null });
      else if (await deps.store.tenants.insert(tenant)) added++;
    }
    await scheduleM365Import(deps, tenant);
  }
  if (added) await deps.store.audit.append({ workspaceId: partner.workspaceId, tenantId: partner.id, actor: actor.aadObjectId, action: 'partner.customers', target: partner.id, outcome: 'success', detail: { added, total: customers.length } });
  return added;
}

/** The `customers` card: each customer with its domain, tenant id and last import. */
export async function customersCard(deps: Deps, partner: Tenant, customers: PartnerCustomer[], added: number): Promise<Attachment> {
  const rows = [];
  for (const c of customers.slice(0, MAX_SHOWN)) {
    const last = await deps.store.checkpoints.get(partner.workspaceId, `${c.tenantId}/m365.last`);
    let imported = 'not imported yet';
    if (last) {
      const v = JSON.parse(last.value) as { ok?: boolean; kind?: string; at?: string };
      imported = `${v.ok ? 'imported' : `import failed (${v.kind ?? 'error'})`} ${v.at ? `${v.at.slice(0, 16).replace('T', ' ')} UTC` : ''}`.trim();
    }
    rows.push({ name: c.companyName, detail: `${c.domain || '(no domain)'} · ${c.tenantId} · ${imported}` });
  }
  const more = customers.length - rows.length;
  return CardFactory.adaptiveCard(deps.cards.expand('partner-customers', defuseTemplateText({
    partnerName: partner.displayName || partner.id,
    summary: `${customers.length} customer${customers.length === 1 ? '' : 's'} in Partner Center${added ? ` (${added} new here)` : ''}. Their Microsoft 365 data is imported daily through the partner's token; \`sync m365 <domain>\` imports one now.`,
    customers: rows,
    hasMore: more > 0,
    moreText: `… and ${more} more.`,
    isEmpty: customers.length === 0,
  })));
}
