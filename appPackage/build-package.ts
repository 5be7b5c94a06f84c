import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import type { AppPackageConfig } from '../src/config.js';

/** appPackage/: the manifest template and the two icons. */
export const APP_PACKAGE_DIR = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_ZIP = path.join(APP_PACKAGE_DIR, 'build', 'appPackage.zip');
const ICONS = ['color.png', 'outline.png'] as const;

export class AppPackageError extends Error {
  override name = 'AppPackageError';
}

/** The one-line reason the settings cannot make a package that Teams accepts, or undefined when they can. */
export function packageProblem(config: AppPackageConfig): string | undefined {
  if (!config.botId) return 'BOT_ID is empty: set it in .env to the Azure Bot registration app id (a GUID) before packaging.';
  if (!config.botDomain) return "PUBLIC_BASE_URL is empty: set it in .env to the bot's public https:// URL before packaging.";
  return undefined;
}

/** `${{NAME}}` → value, for every placeholder in manifest.json. The app version is package.json's. */
export function placeholders(config: AppPackageConfig): Record<string, string> {
  const pkg = JSON.parse(readFileSync(path.join(APP_PACKAGE_DIR, '..', 'package.json'), 'utf8')) as { version: string };
  return {
    APP_VERSION: pkg.version,
    TEAMS_APP_ID: config.teamsAppId,
    BOT_ID: config.botId,
    BOT_DOMAIN: config.botDomain,
    APP_WEBSITE_URL: config.developer.websiteUrl,
    APP_PRIVACY_URL: config.developer.privacyUrl,
    APP_TERMS_URL: config.developer.termsOfUseUrl,
  };
}

/** The manifest with every placeholder filled; throws on a placeholder it has no value for. */
export function fillManifest(template: string, values: Record<string, string>): Record<string, unknown> {
  const filled = template.replace(/\$\{\{\s*([A-Z0-9_]+)\s*\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new AppPackageError(`manifest.json uses ${whole}, which packaging has no value for.`);
    return JSON.stringify(value).slice(1, -1); // escaped for a JSON string
  });
  return JSON.parse(filled) as Record<string, unknown>;
}

/** Writes the zip Teams takes: manifest.json and the two icons, at the root. Returns the filled manifest. */
export async function buildAppPackage(config: AppPackageConfig, zipPath = DEFAULT_ZIP): Promise<Record<string, unknown>> {
  const problem = packageProblem(config);
  if (problem) throw new AppPackageError(problem);
  const manifest = fillManifest(await readFile(path.join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8'), placeholders(config));
  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(manifest, null, 2));
  for (const icon of ICONS) zip.file(icon, await readFile(path.join(APP_PACKAGE_DIR, icon)));
  await mkdir(path.dirname(zipPath), { recursive: true });
  await writeFile(zipPath, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return manifest;
}
