import { createHash } from 'node:crypto';

/**
 * The partner's invoices for the last `months` months before `now`: deterministic from the partner id, so the
 * "billing report used to test the token" always gives the same answer for the same world.
 */
export function invoicesFor(partnerId: string, now: number, months = 3): Record<string, unknown>[] {
  const d = new Date(now);
  return Array.from({ length: months }, (_, i) => {
    const date = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 8, 1, 22, 47));
    const h = createHash('sha1').update(`${partnerId}:${date.toISOString().slice(0, 7)}`).digest();
    const id = `G${String(h.readUInt32BE(0) % 1_000_000_000).padStart(9, '0')}`;
    const totalCharges = Math.round((h.readUInt32BE(4) % 5_000_000) + 10_000) / 100;
    const self = (uri: string) => ({ self: { uri, method: 'GET', headers: [] } });
    return {
      id,
      invoiceDate: date.toISOString(),
      totalCharges,
      paidAmount: i === 0 ? 0 : totalCharges,
      currencyCode: 'USD',
      currencySymbol: '$',
      pdfDownloadLink: `/invoices/${id}/documents/statement`,
      invoiceDetails: [
        { invoiceLineItemType: 'billing_line_items', billingProvider: 'office', links: self(`/invoices/Recurring-${id}/lineitems/Office/BillingLineItems`), attributes: { objectType: 'InvoiceDetail' } },
        { invoiceLineItemType: 'billing_line_items', billingProvider: 'azure', links: self(`/invoices/Recurring-${id}/lineitems/Azure/BillingLineItems`), attributes: { objectType: 'InvoiceDetail' } },
      ],
      documentType: 'invoice',
      invoiceType: 'Recurring',
      links: self(`/invoices/${id}`),
      attributes: { objectType: 'Invoice' },
    };
  });
}
