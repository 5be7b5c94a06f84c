import type { Page } from 'playwright-core';

/**
 * The emulator's sign-in and consent pages (element ids from emulator/README.md): pick the account, sign in, accept
 * the consent page when it is shown (it is skipped when consent was already given), and land on the redirect URI.
 */
export async function signInOnEmulator(
  popup: Page,
  upn: string,
  opts: { consentForOrganization?: boolean; onPage?(step: 'sign-in' | 'consent', page: Page): Promise<void> } = {},
): Promise<Page> {
  await popup.locator(`input[type=radio][data-upn="${upn}"]`).check();
  await opts.onPage?.('sign-in', popup);
  await popup.locator('#signin-submit').click();
  await Promise.race([popup.locator('#accept').waitFor(), popup.waitForURL((u) => u.pathname.endsWith('/auth/callback'))]);
  if (!new URL(popup.url()).pathname.endsWith('/auth/callback')) {
    if (opts.consentForOrganization && (await popup.locator('#consent-org').count())) await popup.locator('#consent-org').check();
    await opts.onPage?.('consent', popup);
    await popup.locator('#accept').click();
    await popup.waitForURL((u) => u.pathname.endsWith('/auth/callback'));
  }
  await popup.waitForLoadState();
  return popup;
}
