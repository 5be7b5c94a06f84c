import { SAAS_TASKS, TASK_INFO, type SaasTask } from './tasks.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** What `connect saas` collects, checked. */
export interface SaasConnectInput {
  clientId: string;
  clientSecret: string;
  tenantId: string;
  /** Lower-cased, without duplicates; empty means every domain (seed 003). */
  domains: string[];
  includeGuests: boolean;
  tasks: SaasTask[];
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** A DNS domain name as typed in the Domain Names field (case-insensitive; a leading `@` is tolerated). */
export function parseDomain(raw: string): string | undefined {
  const name = raw.trim().replace(/^@/, '').replace(/\.$/, '').toLowerCase();
  if (name.length === 0 || name.length > 253) return undefined;
  const labels = name.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return undefined;
  const tld = labels[labels.length - 1];
  return /^[a-z]{2,63}$/.test(tld) || /^xn--[a-z0-9-]+$/.test(tld) ? name : undefined;
}

/** Comma-separated domain names (seed 003: "If you provide multiple values, they should be comma separated"). */
export function parseDomains(raw: string): Parsed<string[]> {
  const parts = raw.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  const bad = parts.filter((p) => parseDomain(p) === undefined);
  if (bad.length) return { ok: false, errors: bad.map((b) => `"${b.slice(0, 80)}" is not a domain name (expected something like contoso.com).`) };
  return { ok: true, value: [...new Set(parts.map((p) => parseDomain(p)!))] };
}

/** Seed 003: "yes" includes guests; an empty field means Member and null user types only. */
export function parseIncludeGuests(raw: unknown): boolean | undefined {
  if (raw === undefined || raw === null || raw === false) return false;
  if (raw === true) return true;
  const v = String(raw).trim().toLowerCase();
  if (v === '' || v === 'no' || v === 'false') return false;
  if (v === 'yes' || v === 'true') return true;
  return undefined;
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const on = (v: unknown) => v === true || (typeof v === 'string' && ['true', 'yes', 'on'].includes(v.trim().toLowerCase()));

/** Checks the card's data. Every problem is listed at once, so the admin fixes them in one go. */
export function parseConnectInput(data: Record<string, unknown>): Parsed<SaasConnectInput> {
  const errors: string[] = [];
  const clientId = text(data.clientId).toLowerCase();
  const tenantId = text(data.tenantId).toLowerCase();
  const clientSecret = text(data.clientSecret);
  if (!isGuid(clientId)) errors.push('Client ID must be the Application (client) ID from the app registration\'s Overview: a GUID such as 00000000-0000-0000-0000-000000000000.');
  if (!isGuid(tenantId)) errors.push('Tenant ID must be the Directory (tenant) ID from the app registration\'s Overview: a GUID.');
  if (!clientSecret) errors.push('Client secret is required: the secret\'s Value from Certificates & secrets.');
  else if (isGuid(clientSecret)) errors.push('That client secret looks like the secret\'s ID. Copy its Value instead (shown only right after the secret is created).');
  else if (clientSecret.length > 256 || /\s/.test(clientSecret)) errors.push('That client secret is not well-formed: copy the secret\'s Value again, without spaces.');
  const domains = parseDomains(text(data.domains));
  if (!domains.ok) errors.push(...domains.errors);
  const includeGuests = parseIncludeGuests(data.includeGuests);
  if (includeGuests === undefined) errors.push('Include guests must be "yes" or empty.');
  const tasks = SAAS_TASKS.filter((t) => on(data[`task_${t}`]));
  if (tasks.length === 0) errors.push(`Choose at least one integration task (${SAAS_TASKS.map((t) => TASK_INFO[t].label).join(', ')}).`);
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { clientId, clientSecret, tenantId, domains: domains.ok ? domains.value : [], includeGuests: includeGuests!, tasks } };
}
