import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { childEnv, loadAppPackageConfig } from '../../src/config.js';
import { APP_PACKAGE_DIR, fillManifest, placeholders } from '../../appPackage/build-package.js';
import { manifestSchemaErrors } from './manifest-schema.js';
import { pngPixels, pngSize } from './png.js';

const BOT_ID = '3c1f6a52-7d4e-4b8a-9f10-2a6b5c4d3e21';
const settings = { BOT_ID, PUBLIC_BASE_URL: 'https://steward.contoso.example', TEAMS_APP_ID: '', APP_WEBSITE_URL: '', APP_PRIVACY_URL: '', APP_TERMS_URL: '' };
const template = readFileSync(path.join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8');
const icon = (name: string) => readFileSync(path.join(APP_PACKAGE_DIR, name));
const filled = () => fillManifest(template, placeholders(loadAppPackageConfig(settings)));

test('the filled manifest validates against the official schema its $schema names', () => {
  const manifest = filled();
  expect(manifest.$schema).toMatch(/^https:\/\/developer\.microsoft\.com\/json-schemas\/teams\/v1\.\d+\/MicrosoftTeams\.schema\.json$/);
  expect(manifestSchemaErrors(manifest)).toEqual([]);
  expect(JSON.stringify(manifest)).not.toMatch(/\$\{\{/);
  expect(manifest).toMatchObject({ id: BOT_ID, validDomains: ['steward.contoso.example'] });
});

test('the schema check is real: a broken manifest is refused', () => {
  const { bots, ...noBots } = filled() as { bots: Array<Record<string, unknown>> };
  expect(manifestSchemaErrors({ ...noBots, id: 'not-a-guid' }).join('\n')).toMatch(/^\/id /m);
  expect(manifestSchemaErrors({ ...noBots, bots: [{ ...bots[0], scopes: ['everywhere'] }] }).length).toBeGreaterThan(0);
});

test('the bot runs in personal, team and groupChat, with a command list of at most 10 for each scope', () => {
  const bot = (filled().bots as Array<{ botId: string; scopes: string[]; commandLists: Array<{ scopes: string[]; commands: Array<{ title: string }> }> }>)[0];
  expect(bot.botId).toBe(BOT_ID);
  expect([...bot.scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
  for (const scope of bot.scopes) {
    const lists = bot.commandLists.filter((l) => l.scopes.includes(scope));
    expect(lists).toHaveLength(1);
    const titles = lists[0].commands.map((c) => c.title);
    expect(titles.length).toBeLessThanOrEqual(10);
    expect(titles).toContain('help');
    expect(new Set(titles).size).toBe(titles.length);
  }
});

test('color.png is 192×192 and opaque in more than one colour; outline.png is 32×32, white on transparent', () => {
  expect(pngSize(icon('color.png'))).toEqual({ width: 192, height: 192 });
  const color = pngPixels(icon('color.png'));
  expect(color.every(([, , , a]) => a === 255)).toBe(true);
  expect(new Set(color.map((p) => p.join())).size).toBeGreaterThan(1);

  expect(pngSize(icon('outline.png'))).toEqual({ width: 32, height: 32 });
  const outline = pngPixels(icon('outline.png'));
  const offenders = outline.filter(([r, g, b, a]) => a !== 0 && (r !== 255 || g !== 255 || b !== 255));
  expect(offenders).toEqual([]);
  expect(outline.some(([, , , a]) => a === 255)).toBe(true); // there is a glyph
  expect(outline.some(([, , , a]) => a === 0)).toBe(true); // on a transparent background
});

test('a placeholder without a value stops packaging', () => {
  expect(() => fillManifest('{"id":"${{NOPE}}"}', {})).toThrow(/\$\{\{NOPE\}\}/);
});

describe('npm run package', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'app-package-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const run = (env: Record<string, string>) =>
    spawnSync('npm', ['run', '--silent', 'package', '--', '--out', path.join(dir, 'app.zip')], {
      cwd: path.join(APP_PACKAGE_DIR, '..'),
      env: childEnv({ ...env, NODE_OPTIONS: '' }),
      encoding: 'utf8',
    });

  test('writes a zip of exactly manifest.json and the two icons, whose manifest validates', async () => {
    const result = run(settings);
    expect(result.stderr.replace(/^npm warn .*\n/gim, '')).toBe('');
    expect(result.status).toBe(0);
    const zip = await JSZip.loadAsync(readFileSync(path.join(dir, 'app.zip')));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as Record<string, unknown>;
    expect(manifestSchemaErrors(manifest)).toEqual([]);
    expect(manifest).toMatchObject({ id: BOT_ID, bots: [{ botId: BOT_ID }] });
    expect(await zip.file('color.png')!.async('nodebuffer')).toEqual(icon('color.png'));
    expect(await zip.file('outline.png')!.async('nodebuffer')).toEqual(icon('outline.png'));
  });

  test('refuses with an empty bot id, in one line naming BOT_ID, and writes nothing', () => {
    const result = run({ ...settings, BOT_ID: '' });
    expect(result.status).toBe(1);
    const lines = result.stderr.split('\n').filter((l) => l.trim() && !/^npm warn/i.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Cannot package: BOT_ID is empty/);
    expect(existsSync(path.join(dir, 'app.zip'))).toBe(false);
  });
});
