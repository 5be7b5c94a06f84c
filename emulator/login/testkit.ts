import { ConfidentialClientApplication, CryptoProvider, type AuthenticationResult } from '@azure/msal-node';

/**
 * Test helpers that use the emulator the way a user and the official SDK would: msal-node builds the authorize URL
 * and redeems the code; the sign-in and consent pages are driven over plain HTTP (GET the page, POST its form).
 */

export interface PageDriveOptions {
  upn: string;
  /** What to press on the consent page, if it is shown. Default 'accept'. */
  consent?: 'accept' | 'cancel';
  /** Ticks "Consent on behalf of your organization" (admins only). */
  consentForOrganization?: boolean;
}

/** Where the flow ended: a redirect to the app (`redirect`), or an error page with its AADSTS text. */
export type PageOutcome = { redirect: URL } | { errorPage: string; status: number; returnLink?: string };

/** Follows the authorize (or adminconsent) URL through the HTML pages. */
export async function drivePages(authorizeUrl: string, opts: PageDriveOptions): Promise<PageOutcome> {
  const origin = new URL(authorizeUrl).origin;
  let res = await fetch(authorizeUrl, { redirect: 'manual' });
  for (let step = 0; step < 4; step++) {
    if (res.status === 302) return { redirect: new URL(res.headers.get('location')!) };
    const page = await res.text();
    if (res.status !== 200 || page.includes('id="error-code"')) {
      const text = /id="error-code"[^>]*>([^<]*)</.exec(page)?.[1] ?? page;
      const link = /id="return" href="([^"]*)"/.exec(page)?.[1];
      return { errorPage: unescape(text), status: res.status, returnLink: link && `${origin}${unescape(link)}` };
    }
    const action = `${origin}${unescape(/<form id="[a-z-]+" method="post" action="([^"]*)"/.exec(page)![1])}`;
    const flow = unescape(/name="flow" value="([^"]*)"/.exec(page)![1]);
    const form = new URLSearchParams({ flow });
    if (page.includes('id="signin-form"')) {
      if (page.includes('role="alert"')) return { errorPage: unescape(/role="alert">([^<]*)</.exec(page)![1]), status: 200 };
      form.set('login', opts.upn);
    } else {
      form.set('decision', opts.consent ?? 'accept');
      if (opts.consentForOrganization) form.set('consent_org', 'true');
    }
    res = await fetch(action, { method: 'POST', body: form, redirect: 'manual' });
  }
  throw new Error('sign-in pages did not finish in four steps');
}

function unescape(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export interface EmulatorLike {
  urls: { authority: string };
  demoApp: { clientId: string; clientSecret: string };
}

/** msal-node's confidential client for the demo app, trusting the emulator as a known authority. */
export function msalClient(emu: EmulatorLike, tenant = 'organizations', clientSecret = emu.demoApp.clientSecret): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: emu.demoApp.clientId,
      clientSecret,
      authority: `${emu.urls.authority}/${tenant}`,
      knownAuthorities: [new URL(emu.urls.authority).host],
    },
  });
}

export const TEST_REDIRECT_URI = 'http://127.0.0.1:3978/auth/callback';

/** The refresh token msal-node keeps in its cache (it does not return it from acquireTokenByCode). */
export function cachedRefreshToken(msal: ConfidentialClientApplication): string {
  const cache = JSON.parse(msal.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
  const tokens = Object.values(cache.RefreshToken);
  if (tokens.length === 0) throw new Error('no refresh token in the msal cache');
  return tokens[tokens.length - 1].secret;
}

/**
 * Signs `upn` in through msal-node + the pages (PKCE S256) and redeems the code.
 * Returns msal's result, the refresh token and the client (its cache holds the account).
 */
export async function signInWithMsal(
  emu: EmulatorLike,
  opts: PageDriveOptions & { scopes: string[]; tenant?: string; redirectUri?: string; prompt?: string },
): Promise<{ result: AuthenticationResult; refreshToken: string; msal: ConfidentialClientApplication }> {
  const msal = msalClient(emu, opts.tenant);
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const redirectUri = opts.redirectUri ?? TEST_REDIRECT_URI;
  const state = new CryptoProvider().createNewGuid();
  const url = await msal.getAuthCodeUrl({ scopes: opts.scopes, redirectUri, codeChallenge: challenge, codeChallengeMethod: 'S256', state, prompt: opts.prompt });
  const outcome = await drivePages(url, opts);
  if (!('redirect' in outcome)) throw new Error(`sign-in failed: ${outcome.errorPage}`);
  const code = outcome.redirect.searchParams.get('code');
  if (!code) throw new Error(`no code in redirect: ${outcome.redirect.toString()}`);
  if (outcome.redirect.searchParams.get('state') !== state) throw new Error('state mismatch');
  const result = await msal.acquireTokenByCode({ code, scopes: opts.scopes, redirectUri, codeVerifier: verifier });
  return { result, refreshToken: cachedRefreshToken(msal), msal };
}
