import { snapshot } from '../../consent/support.js';
import type { World, SignInResult } from '../../support/world.js';

/** Off-site targets an attacker would put in a redirect or return-to parameter, plain and encoded. */
export const EVIL_TARGETS = [
  'https://evil.example/steal',
  '//evil.example',
  'https:evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '%2F%2Fevil.example',
  '%252F%252Fevil.example',
  'https%3A%2F%2Fevil.example',
  'https://127.0.0.1@evil.example/',
  'javascript:alert(document.domain)//evil.example',
];

/** Parameter names redirectors commonly honour. */
export const REDIRECT_PARAMS = ['redirect_uri', 'redirect', 'redirectUrl', 'return_to', 'returnTo', 'returnUrl', 'next', 'continue', 'url', 'target', 'RelayState', 'post_logout_redirect_uri'];

/** Paths next to /auth/callback that a redirect-happy router might normalise with a Location. */
export const EVIL_PATHS = ['/auth/callback/', '/auth/callback//evil.example', '//evil.example/auth/callback', '/auth/callback%2F%2Fevil.example', '/auth/%2e%2e/auth/callback', '/auth//callback'];

/**
 * What every answer of /auth/callback must be, whatever it was sent: a page (200 or 400, or 404 for a path that is
 * not ours, answered as JSON), never a redirect, no link or script or refresh that could send the browser anywhere. `echo`: 'none'
 * where the bait was only in parameters the callback has no business reading (nothing of it may appear); 'inert'
 * where it was inside Microsoft's error text, which the page shows: the host may appear only as plain text, never
 * in a form a browser resolves as a link (scheme, `//`, backslashes, `user@host`).
 */
export function unsafeParts(res: { status: number; html: string; location?: string | null; headers?: Headers }, echo: 'none' | 'inert' = 'none'): string[] {
  const problems: string[] = [];
  if (![200, 400, 404].includes(res.status)) problems.push(`status ${res.status}`);
  if (res.location) problems.push(`Location: ${res.location}`);
  if (res.headers?.get('refresh')) problems.push(`Refresh: ${res.headers.get('refresh')}`);
  // restify's own 404 for a path that is not ours is JSON ({code, message} naming the path): shown as text, never rendered.
  if (res.status === 404 && res.headers?.get('content-type')?.startsWith('application/json')) return problems;
  for (const bad of ['<a ', 'http-equiv', '<script', 'javascript:', '<form', '<iframe']) if (res.html.toLowerCase().includes(bad)) problems.push(`body contains ${bad}`);
  if (echo === 'none' && /evil/i.test(res.html)) problems.push('body echoes the bait');
  const linkShaped = /(?:[a-z]+:|\/\/|\\|@)\s*evil/i.exec(res.html);
  if (linkShaped) problems.push(`body echoes a link: ${linkShaped[0]}`);
  return problems;
}

/** GETs a URL as a browser would, without following redirects, keeping the headers. */
export async function browse(url: string): Promise<SignInResult & { headers: Headers }> {
  const res = await fetch(url, { redirect: 'manual' });
  return { callbackUrl: url, status: res.status, html: await res.text(), location: res.headers.get('location'), headers: res.headers };
}

/** Store and Microsoft state a refused callback must leave as it was, for this workspace and any others named. */
export async function worldState(w: World, otherWorkspaces: string[] = []) {
  const others = [];
  for (const id of otherWorkspaces) {
    const s = w.bot.deps.store;
    others.push({ id, workspaces: await s.workspaces.find(id), tenants: await s.tenants.find(id), subscriptions: await s.subscriptions.find(id) });
  }
  return { ...(await snapshot(w)), roleAssignmentDeletes: w.emulator.control.writes('roleAssignment.delete').length, others };
}
