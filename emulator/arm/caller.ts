import { decodeJwt } from 'jose';
import type { Ctx, Reply } from '../http/router.js';
import { armError } from '../http/errors.js';
import { RESOURCE_IDS, type ServiceDeps } from '../deps.js';
import type { TokenClaims } from '../auth/tokens.js';

/** Who is calling ARM, from the bearer token. `oid` is the user (delegated) or the service principal (app). */
export interface ArmCaller {
  oid: string;
  tenantId: string;
  appId: string;
  /** Delegated (user) token rather than an app-only one. */
  delegated: boolean;
  /** The name ARM puts in AuthorizationFailed messages: the UPN for users, the object id for apps. */
  displayName: string;
  claims: TokenClaims;
}

const ALLOWED_AUDIENCES = "'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'";

/** Verifies the bearer token as ARM does; returns the caller or a 401 in ARM's shape. */
export async function authenticateArm(ctx: Ctx, deps: ServiceDeps): Promise<ArmCaller | Reply> {
  const header = ctx.headers.authorization;
  if (!header) return unauthorized(deps, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.");
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) return unauthorized(deps, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is provided in an invalid format.");
  const token = m[1];
  const now = deps.state.now();
  const result = await deps.tokens.verify(token, [...RESOURCE_IDS.arm, deps.urls.arm, `${deps.urls.arm}/`], now);
  if (!result.ok) {
    if (result.reason === 'expired') {
      const exp = expiryOf(token);
      return unauthorized(deps, 'ExpiredAuthenticationToken', `The access token expiry UTC time '${exp}' is earlier than current UTC time '${armTime(now)}'.`);
    }
    if (result.reason === 'audience') {
      const aud = audienceOf(token);
      return unauthorized(deps, 'InvalidAuthenticationTokenAudience', `The access token has been obtained for wrong audience or resource '${aud}'. It should exactly match with one of the allowed audiences ${ALLOWED_AUDIENCES}.`);
    }
    return unauthorized(deps, 'InvalidAuthenticationToken', 'The access token is invalid.');
  }
  const c = result.claims;
  const delegated = c.idtyp === 'user' || (c.idtyp !== 'app' && typeof c.scp === 'string');
  return {
    oid: c.oid,
    tenantId: c.tid,
    appId: c.appid ?? c.azp ?? '',
    delegated,
    displayName: delegated && c.upn ? c.upn : c.oid,
    claims: c,
  };
}

/** ARM answers a token from another tenant than the subscription's with this 401. */
export function wrongTenant(deps: ServiceDeps, tokenTenant: string, subscriptionTenant: string): Reply {
  return unauthorized(
    deps,
    'InvalidAuthenticationTokenTenant',
    `The access token is from the wrong issuer 'https://sts.windows.net/${tokenTenant}/'. It must match the tenant 'https://sts.windows.net/${subscriptionTenant}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${subscriptionTenant}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`,
  );
}

function unauthorized(deps: ServiceDeps, code: string, message: string): Reply {
  const challenge = `Bearer authorization_uri="${deps.urls.authority}/", error="invalid_token", error_description="${message.replace(/"/g, "'")}"`;
  return armError(401, code, message, { 'WWW-Authenticate': challenge });
}

function expiryOf(token: string): string {
  try {
    const exp = decodeJwt(token).exp;
    return exp ? armTime(exp * 1000) : 'unknown';
  } catch {
    return 'unknown';
  }
}

function audienceOf(token: string): string {
  try {
    const aud = decodeJwt(token).aud;
    return Array.isArray(aud) ? aud.join(',') : String(aud);
  } catch {
    return 'unknown';
  }
}

/** ARM prints times as M/D/YYYY h:mm:ss AM/PM. */
function armTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}
