import type { BrowserContext, Locator, Page } from 'playwright-core';

/**
 * The Agents Playground's web UI (0.2.28) as a person uses it: pick a conversation in the left rail, type in the
 * composer (a channel takes a new post that @mentions the bot through the typeahead), read and click Adaptive
 * Cards. Facts read from its DOM: Action.Execute renders as role=button, Action.OpenUrl as role=link and opens a
 * new window; cards are `.ac-adaptiveCard`; there are no message ids in the DOM, so a new card is found by
 * counting the cards that show a given text before and after an action.
 */
export const PERSONAL_CHAT = 'Personal Chat';

export class PlaygroundUi {
  constructor(
    readonly page: Page,
    readonly url: string,
    private readonly shoot: (page: Page, name: string) => Promise<void>,
  ) {}

  static async open(context: BrowserContext, url: string, shoot: (page: Page, name: string) => Promise<void>): Promise<PlaygroundUi> {
    const page = await context.newPage();
    await page.goto(url);
    await page.getByRole('treeitem', { name: PERSONAL_CHAT }).waitFor();
    // The log panel is for developers; hiding it leaves the chat the whole width.
    const hide = page.getByRole('button', { name: 'Hide log panel' });
    if (await hide.count()) await hide.click();
    return new PlaygroundUi(page, url, shoot);
  }

  /** Opens a chat or channel from the left rail: `Personal Chat` or the team's `<Team> - <Channel>`. */
  async openConversation(name: string): Promise<void> {
    await this.page.bringToFront();
    await this.page.getByRole('treeitem', { name }).click();
    await this.page.getByRole('textbox').first().waitFor();
  }

  /** Types a message in the open chat and sends it with Enter. */
  async say(text: string): Promise<void> {
    await this.page.bringToFront();
    const box = this.page.getByRole('textbox').last();
    await box.click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
  }

  /** Starts a new post in the open channel: `@Tenant Steward <text>`, the mention picked from the typeahead. */
  async post(text: string, botName = 'Tenant Steward'): Promise<void> {
    await this.page.bringToFront();
    const box = this.page.getByRole('textbox').first();
    await box.click();
    await this.page.keyboard.type(`@${botName.slice(0, 3)}`);
    await this.page.getByRole('menuitem', { name: botName }).click();
    await this.page.keyboard.type(` ${text}`);
    await this.page.getByRole('button', { name: 'Post', exact: true }).click();
  }

  /** Every card that shows `text`, in DOM order. */
  cards(text: string | RegExp): Locator {
    return this.page.locator('.ac-adaptiveCard').filter({ hasText: text });
  }

  /** Plain (non-card) messages of the bot and people that contain `text`. */
  texts(text: string | RegExp): Locator {
    return this.page.getByText(text);
  }

  /**
   * Starts watching for one more card showing `text` than there are now; `arrived()` waits for it. In a chat the
   * newest is last; in a channel a new post comes first and a reply last in its thread.
   */
  async watchFor(text: string | RegExp, opts: { timeoutMs?: number; newest?: 'first' | 'last' } = {}): Promise<{ arrived(): Promise<Locator> }> {
    const before = await this.cards(text).count();
    return {
      arrived: async () => {
        await waitForCount(this.cards(text), before + 1, opts.timeoutMs ?? 20_000, `a new card showing ${String(text)}`);
        return opts.newest === 'first' ? this.cards(text).first() : this.cards(text).last();
      },
    };
  }

  /** Runs `action` and resolves the new card showing `text` that it brought (see watchFor). */
  async expectNewCard(text: string | RegExp, action: () => Promise<unknown>, opts: { timeoutMs?: number; newest?: 'first' | 'last' } = {}): Promise<Locator> {
    const watch = await this.watchFor(text, opts);
    await action();
    return watch.arrived();
  }

  /** Waits for `text` to show anywhere on the page (a card, a reply or the invoke banner). */
  async expectText(text: string | RegExp, timeoutMs = 20_000): Promise<Locator> {
    const found = this.page.getByText(text).last();
    await found.waitFor({ timeout: timeoutMs });
    return found;
  }

  /** Clicks an Action.OpenUrl on `card` and resolves the window it opens. */
  async openLink(card: Locator, name: string | RegExp): Promise<Page> {
    await this.page.bringToFront();
    const [popup] = await Promise.all([this.page.context().waitForEvent('page'), card.getByRole('link', { name }).click()]);
    await popup.waitForLoadState();
    return popup;
  }

  async shot(name: string, focus?: Locator): Promise<void> {
    await this.page.bringToFront();
    if (focus) await focus.scrollIntoViewIfNeeded();
    await this.shoot(this.page, name);
  }
}

/** Polls until `locator` matches `n` elements; the error says what was awaited and what was seen. */
export async function waitForCount(locator: Locator, n: number, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  while (Date.now() < deadline) {
    seen = await locator.count();
    if (seen >= n) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (saw ${seen}, wanted ${n})`);
}

/** The first button called `button` that follows, in reading order, a paragraph of `card` reading exactly `label`. */
export function buttonAfter(card: Locator, label: string, button: string): Locator {
  const q = (s: string) => (s.includes("'") ? `concat('${s.split("'").join(`', "'", '`)}')` : `'${s}'`);
  return card.locator(`xpath=.//p[normalize-space()=${q(label)}]/following::*[(@role='button' or @role='link') and normalize-space()=${q(button)}][1]`);
}
