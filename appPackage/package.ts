/**
 * `npm run package [-- --out <file>]`: fills appPackage/manifest.json from .env (BOT_ID, PUBLIC_BASE_URL,
 * TEAMS_APP_ID, APP_*_URL) and writes appPackage/build/appPackage.zip for upload to Teams.
 */
import path from 'node:path';
import { ConfigError, loadAppPackageConfig } from '../src/config.js';
import { AppPackageError, DEFAULT_ZIP, buildAppPackage } from './build-package.js';

const outIndex = process.argv.indexOf('--out');
const zipPath = outIndex > 0 && process.argv[outIndex + 1] ? path.resolve(process.argv[outIndex + 1]) : DEFAULT_ZIP;

try {
  const manifest = await buildAppPackage(loadAppPackageConfig(), zipPath);
  console.log(`Wrote ${zipPath} (Teams app ${String(manifest.id)}, version ${String(manifest.version)}).`);
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof AppPackageError)) throw error;
  console.error(`Cannot package: ${error.message}`);
  process.exitCode = 1;
}
