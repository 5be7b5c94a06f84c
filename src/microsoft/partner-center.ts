import type { RetryOptions } from './retry.js';
import { restJson } from './rest.js';

/** A CSP customer as Partner Center lists it. `tenantId` is the customer's Microsoft (Entra) tenant id. */
export interface PartnerCustomer {
  tenantId: string;
  companyName: string;
  domain: string;
  relationshipToPartner?: string;
}

/** An invoice header of the billing report (`/v1/invoices`). */
export interface PartnerInvoice {
  id: string;
  invoiceDate: string;
  totalCharges: number;
  currencyCode: string;
  invoiceType?: string;
}

/** Partner Center refuses an app+user token without the MFA claim with 401 and this code. */
export const PARTNER_CENTER_MFA_REQUIRED = 900421;

interface CustomerJson {
  id: string;
  companyProfile?: { tenantId?: string; domain?: string; companyName?: string };
  relationshipToPartner?: string;
}
interface Collection<T> {
  items?: T[];
  links?: { next?: { uri: string; headers?: { key: string; value: string }[] } };
}

/**
 * Partner Center REST (v1) with an app+user access token (`https://api.partnercenter.microsoft.com/.default`).
 * Customers are paged by seek: `links.next` carries the `MS-ContinuationToken` header for the next call.
 */
export class PartnerCenterClient {
  constructor(
    private readonly endpoint: string,
    private readonly token: () => Promise<string>,
    private readonly retry: RetryOptions = {},
  ) {}

  /** Every customer, page by page (`size` per page, at most 500). */
  async *customerPages(size = 200): AsyncGenerator<PartnerCustomer[]> {
    let url = `${this.endpoint}/v1/customers?size=${size}`;
    let headers: Record<string, string> = {};
    for (;;) {
      const { body } = await restJson<Collection<CustomerJson>>({ url, token: this.token, headers: { ...headers, 'MS-CorrelationId': crypto.randomUUID() } }, this.retry);
      yield (body?.items ?? []).map((c) => ({
        tenantId: c.companyProfile?.tenantId ?? c.id,
        companyName: c.companyProfile?.companyName ?? c.id,
        domain: c.companyProfile?.domain ?? '',
        relationshipToPartner: c.relationshipToPartner,
      }));
      const next = body?.links?.next;
      if (!next) return;
      url = `${this.endpoint}/v1${next.uri.startsWith('/') ? '' : '/'}${next.uri}`;
      headers = Object.fromEntries((next.headers ?? []).map((h) => [h.key, h.value]));
    }
  }

  async customers(): Promise<PartnerCustomer[]> {
    const all: PartnerCustomer[] = [];
    for await (const page of this.customerPages()) all.push(...page);
    return all;
  }

  /** The billing report's invoice list: the call seed 004 uses to prove the token works (app+user only). */
  async invoices(): Promise<PartnerInvoice[]> {
    const { body } = await restJson<Collection<PartnerInvoice>>({ url: `${this.endpoint}/v1/invoices`, token: this.token }, this.retry);
    return (body?.items ?? []).map((i) => ({ id: i.id, invoiceDate: i.invoiceDate, totalCharges: i.totalCharges, currencyCode: i.currencyCode, invoiceType: i.invoiceType }));
  }
}
