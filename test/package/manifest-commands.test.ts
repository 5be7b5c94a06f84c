import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { APP_PACKAGE_DIR } from '../../appPackage/build-package.js';
import { startTestBot } from '../support/bot.js';

type Manifest = { bots: { commandLists: { scopes: string[]; commands: { title: string }[] }[] }[] };

/** `sync m365 [tenant]` → `sync m365`; `pal <partner id> | …` → `pal`: the words a user types before any argument. */
const commandWords = (usage: string) => usage.split(/\s+/).filter((w, i, all) => !all.slice(0, i + 1).some((x) => /^[[<@|]/.test(x))).join(' ');

test('every command in the manifest is one the bot registers (and so answers and lists in help)', async () => {
  const bot = await startTestBot();
  try {
    const registered = new Set(bot.deps.commands.list().map((c) => commandWords(c.usage)));
    expect(registered).toContain('help');
    const manifest = JSON.parse(readFileSync(path.join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8')) as Manifest;
    const titles = manifest.bots[0].commandLists.flatMap((l) => l.commands.map((c) => c.title));
    expect(titles.filter((t) => !registered.has(t))).toEqual([]);
  } finally {
    // Not bot.stop(): a bot closed right after it started can still finish writing jobs.json after close() resolves
    // (reported to the jobs owner), and stop()'s single rm then fails with ENOTEMPTY. rm retries instead.
    await bot.close();
    await rm(bot.dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  }
});
