/**
 * Seed 003's HR roster filters.
 *
 * Domain Names: matched, case-insensitively, against the domain of the user principal name. Empty means every
 * domain. The Email column shows `mail`, so when UPN and mail differ a kept user's email may be in another domain
 * ("the entered domain values will not display in the Email column"); such users are counted and flagged.
 *
 * Include Guests: "yes" keeps Guest, Member and null user types (example 1); empty keeps Member and null only
 * (example 2).
 */

export interface RosterFilter {
  domains: readonly string[];
  includeGuests: boolean;
}

export interface FilterableUser {
  userPrincipalName: string;
  mail?: string | null;
  userType?: string | null;
}

export type RosterVerdict =
  | { keep: true; emailOutsideDomains: boolean }
  | { keep: false; reason: 'guest' | 'domain' };

const domainOf = (address: string | null | undefined) => {
  if (!address) return undefined;
  const at = address.lastIndexOf('@');
  return at >= 0 ? address.slice(at + 1).toLowerCase() : undefined;
};

export function rosterVerdict(user: FilterableUser, filter: RosterFilter): RosterVerdict {
  const type = user.userType ?? null;
  if (type !== 'Member' && type !== null && !(filter.includeGuests && type === 'Guest')) return { keep: false, reason: 'guest' };
  if (filter.domains.length === 0) return { keep: true, emailOutsideDomains: false };
  const upnDomain = domainOf(user.userPrincipalName);
  if (!upnDomain || !filter.domains.includes(upnDomain)) return { keep: false, reason: 'domain' };
  const mailDomain = domainOf(user.mail);
  return { keep: true, emailOutsideDomains: mailDomain !== undefined && mailDomain !== upnDomain && !filter.domains.includes(mailDomain) };
}

/** Running tally of a roster pass, and the sentence that says which rule applied. */
export class RosterTally {
  read = 0;
  kept = 0;
  excludedGuests = 0;
  excludedByDomain = 0;
  emailOutsideDomains = 0;

  constructor(private readonly filter: RosterFilter) {}

  count(verdict: RosterVerdict): void {
    this.read++;
    if (verdict.keep) {
      this.kept++;
      if (verdict.emailOutsideDomains) this.emailOutsideDomains++;
    } else if (verdict.reason === 'guest') this.excludedGuests++;
    else this.excludedByDomain++;
  }

  /** e.g. "Domain filter contoso.com on the user principal name: 30 of 40 users kept; …". */
  describe(): string {
    const types = this.filter.includeGuests ? 'Guest, Member and null user types (include guests: yes)' : 'Member and null user types only (include guests: not set)';
    const domains = this.filter.domains.length
      ? `Domain filter ${this.filter.domains.join(', ')}, matched on the user principal name`
      : 'No domain filter: every user domain';
    const outside = this.emailOutsideDomains
      ? ` ${this.emailOutsideDomains} kept user(s) have an email (mail) in another domain, because their UPN and mail differ.`
      : '';
    const excluded = [this.excludedGuests ? `${this.excludedGuests} guest(s)` : '', this.excludedByDomain ? `${this.excludedByDomain} outside the domains` : ''].filter(Boolean).join(', ');
    return `${domains}; ${types}. ${this.kept} of ${this.read} users kept${excluded ? ` (left out: ${excluded})` : ''}.${outside}`;
  }
}
