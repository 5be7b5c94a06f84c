import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, jwtVerify, errors, type JWK, type JWTPayload, type CryptoKey } from 'jose';

/** Claims the emulator puts in its tokens, as Entra ID v1/v2 access tokens carry them. */
export interface TokenClaims extends JWTPayload {
  aud: string;
  tid: string;
  oid: string;
  appid: string;
  azp?: string;
  scp?: string;
  roles?: string[];
  upn?: string;
  name?: string;
  amr?: string[];
  idtyp?: 'app' | 'user';
  ver?: '1.0' | '2.0';
}

export type VerifyResult =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'malformed' | 'expired' | 'signature' | 'audience' };

const MAX_REMEMBERED = 10_000;

/**
 * Signs and verifies RS256 JWTs with a key pair made at start-up; the public half is served as JWKS.
 * Keys are per process on purpose: a restarted emulator invalidates every token, as a key roll would.
 */
export class TokenService {
  /** Every JWT signed, newest last (bounded): tests check that none of them leaks. */
  private readonly signed: string[] = [];

  private constructor(
    private readonly privateKey: CryptoKey,
    readonly kid: string,
    readonly publicJwk: JWK,
    private readonly publicKey: CryptoKey,
    /** The emulator's clock (EmulatorState.now), so moving it in tests expires tokens as real time would. */
    readonly clock: () => number,
  ) {}

  static async create(clock: () => number = Date.now): Promise<TokenService> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = randomUUID().replace(/-/g, '');
    const jwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
    return new TokenService(privateKey, kid, jwk, publicKey, clock);
  }

  /** `issuer` is the authority URL of the tenant, as Entra puts it in `iss`. */
  async sign(claims: TokenClaims, issuer: string, lifetimeSeconds: number, now = this.clock()): Promise<string> {
    const iat = Math.floor(now / 1000);
    const token = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.kid })
      .setIssuer(issuer)
      .setIssuedAt(iat)
      .setNotBefore(iat - 5)
      .setExpirationTime(iat + lifetimeSeconds)
      .setJti(randomUUID())
      .sign(this.privateKey);
    if (this.signed.push(token) > MAX_REMEMBERED) this.signed.shift();
    return token;
  }

  /** The JWTs signed so far (access and id tokens), at most the last 10 000. */
  issued(): string[] {
    return [...this.signed];
  }

  /** Verifies signature and expiry; `audiences` lists the accepted `aud` values (any match passes). */
  async verify(token: string, audiences: string[], now = this.clock()): Promise<VerifyResult> {
    if (token.split('.').length !== 3) return { ok: false, reason: 'malformed' };
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { currentDate: new Date(now), algorithms: ['RS256'] });
      const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      if (!aud.some((a) => a !== undefined && audiences.includes(a))) return { ok: false, reason: 'audience' };
      return { ok: true, claims: payload as TokenClaims };
    } catch (e) {
      if (e instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
      if (e instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'signature' };
      return { ok: false, reason: 'malformed' };
    }
  }
}
