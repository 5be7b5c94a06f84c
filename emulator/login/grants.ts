import { randomBytes } from 'node:crypto';

/** Who signed in and how: what codes and refresh tokens remember about the sign-in. */
export interface SignedInUser {
  /** The user's home tenant. */
  tenantId: string;
  userId: string;
  /** Authentication methods: ['pwd'] or ['pwd', 'mfa']. */
  amr: string[];
  /** When the user actually authenticated (ms, emulator clock); refreshes keep it. */
  authTime: number;
}

export interface CodeGrant extends SignedInUser {
  clientId: string;
  redirectUri: string;
  /** Scopes as the authorize request sent them. */
  scope: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  nonce?: string;
  issuedAt: number;
  redeemed: boolean;
}

export interface RefreshGrant extends SignedInUser {
  clientId: string;
  /** When this refresh token was issued; inactivity is measured from here. */
  issuedAt: number;
}

/** An authorize or adminconsent request waiting for the user to pick an account and consent. */
export interface PendingFlow {
  id: string;
  kind: 'authorize' | 'adminconsent';
  /** The `{tenant}` segment the request came in on. */
  tenantSegment: string;
  clientId: string;
  redirectUri: string;
  responseMode: 'query' | 'fragment' | 'form_post';
  params: Record<string, string>;
  createdAt: number;
  user?: SignedInUser;
  /** Set when the flow ended in an error page; its "Return to the application" link sends this error. */
  failure?: { error: string; code: number; message: string };
}

const CODE_LIFETIME_MS = 10 * 60 * 1000;
const FLOW_LIFETIME_MS = 30 * 60 * 1000;
const MAX_PENDING = 10_000;

function opaque(prefix: string, bytes: number): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

/** In-memory store of authorization codes, refresh tokens and pending sign-in flows. */
export class GrantStore {
  private readonly codes = new Map<string, CodeGrant>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();
  private readonly flows = new Map<string, PendingFlow>();

  constructor(private readonly now: () => number) {}

  issueCode(grant: Omit<CodeGrant, 'issuedAt' | 'redeemed'>): string {
    this.sweep(this.codes, CODE_LIFETIME_MS * 6);
    const code = opaque('1.A', 48);
    this.codes.set(code, { ...grant, issuedAt: this.now(), redeemed: false });
    return code;
  }

  /** Returns the code's grant, or why it cannot be used. Does not mark it redeemed. */
  findCode(code: string): CodeGrant | 'unknown' | 'expired' | 'redeemed' {
    const grant = this.codes.get(code);
    if (!grant) return 'unknown';
    if (grant.redeemed) return 'redeemed';
    if (this.now() - grant.issuedAt > CODE_LIFETIME_MS) return 'expired';
    return grant;
  }

  markRedeemed(code: string): void {
    const grant = this.codes.get(code);
    if (grant) grant.redeemed = true;
  }

  issueRefreshToken(grant: Omit<RefreshGrant, 'issuedAt'>): string {
    const token = opaque('1.AXkA', 96);
    this.refreshTokens.set(token, { ...grant, issuedAt: this.now() });
    return token;
  }

  findRefreshToken(token: string): RefreshGrant | undefined {
    return this.refreshTokens.get(token);
  }

  refreshTokenCount(): number {
    return this.refreshTokens.size;
  }

  /** Every refresh token issued and the authorization codes not yet swept: tests check that none of them leaks. */
  issued(): { refreshTokens: string[]; codes: string[] } {
    return { refreshTokens: [...this.refreshTokens.keys()], codes: [...this.codes.keys()] };
  }

  startFlow(flow: Omit<PendingFlow, 'id' | 'createdAt'>): PendingFlow {
    this.sweep(this.flows, FLOW_LIFETIME_MS);
    if (this.flows.size >= MAX_PENDING) this.flows.delete(this.flows.keys().next().value as string);
    const full = { ...flow, id: opaque('', 24), createdAt: this.now() };
    this.flows.set(full.id, full);
    return full;
  }

  flow(id: string | null | undefined): PendingFlow | undefined {
    if (!id) return undefined;
    const flow = this.flows.get(id);
    if (!flow || this.now() - flow.createdAt > FLOW_LIFETIME_MS) return undefined;
    return flow;
  }

  endFlow(id: string): void {
    this.flows.delete(id);
  }

  private sweep<T extends { issuedAt?: number; createdAt?: number }>(map: Map<string, T>, maxAgeMs: number): void {
    if (map.size < 1000) return;
    const cutoff = this.now() - maxAgeMs;
    for (const [k, v] of map) if ((v.issuedAt ?? v.createdAt ?? 0) < cutoff) map.delete(k);
  }
}
