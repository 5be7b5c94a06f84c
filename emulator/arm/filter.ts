import type { CatalogResource } from './catalog.js';

/** A parsed Resources - List `$filter`: a conjunction of predicates, plus whether tag filtering hides tags. */
export interface ResourceFilter {
  matches(r: CatalogResource): boolean;
  /** "When resources are filtered by tag name and value, the tags for each resource are not returned." */
  hidesTags: boolean;
}

const FIELDS: Record<string, (r: CatalogResource) => string> = {
  resourcetype: (r) => r.type,
  resourcegroup: (r) => r.resourceGroup,
  name: (r) => r.name,
  location: (r) => r.location,
};

/**
 * Parses the subset of ARM's resource `$filter` we support: `{location|resourceType|name|resourceGroup} eq|ne '…'`,
 * `substringof('…', name|resourceGroup)`, and `tagName eq '…' [and tagValue eq '…']` (which ARM does not let you
 * combine with other filters). Returns an error message for anything else.
 */
export function parseResourceFilter(raw: string | null): ResourceFilter | { error: string } {
  if (!raw || !raw.trim()) return { matches: () => true, hidesTags: false };
  const clauses = raw.split(/\s+and\s+/i).map((c) => c.trim());
  const preds: ((r: CatalogResource) => boolean)[] = [];
  let tagName: string | undefined;
  let tagValue: string | undefined;
  for (const clause of clauses) {
    const cmp = /^(\w+)\s+(eq|ne)\s+'((?:[^']|'')*)'$/i.exec(clause);
    const sub = /^substringof\(\s*'((?:[^']|'')*)'\s*,\s*(\w+)\s*\)$/i.exec(clause);
    if (cmp) {
      const field = cmp[1].toLowerCase();
      const op = cmp[2].toLowerCase();
      const value = cmp[3].replace(/''/g, "'");
      if (field === 'tagname' && op === 'eq') tagName = value;
      else if (field === 'tagvalue' && op === 'eq') tagValue = value;
      else if (FIELDS[field]) {
        const get = FIELDS[field];
        preds.push(op === 'eq' ? (r) => get(r).toLowerCase() === value.toLowerCase() : (r) => get(r).toLowerCase() !== value.toLowerCase());
      } else return { error: `Invalid $filter '${raw}': the property '${cmp[1]}' with operator '${cmp[2]}' is not supported.` };
    } else if (sub && (sub[2].toLowerCase() === 'name' || sub[2].toLowerCase() === 'resourcegroup')) {
      const get = FIELDS[sub[2].toLowerCase()];
      const needle = sub[1].replace(/''/g, "'").toLowerCase();
      preds.push((r) => get(r).toLowerCase().includes(needle));
    } else return { error: `Invalid $filter '${raw}'.` };
  }
  if (tagValue !== undefined && tagName === undefined) return { error: "Invalid $filter: 'tagValue' can only be used together with 'tagName'." };
  if (tagName !== undefined && preds.length > 0) return { error: "Invalid $filter: a 'tagName' filter cannot be combined with other filters except 'tagValue'." };
  if (tagName !== undefined) {
    const name = tagName.toLowerCase();
    const value = tagValue;
    preds.push((r) => Object.entries(r.tags).some(([k, v]) => k.toLowerCase() === name && (value === undefined || v === value)));
  }
  return { matches: (r) => preds.every((p) => p(r)), hidesTags: tagName !== undefined && tagValue !== undefined };
}
