import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';

/**
 * The only reader of process.env. Every setting is validated here; a bad or missing value stops start-up with one
 * line that names the setting and says how to fix it (ConfigError).
 */

export const CLOUDS = {
  public: {
    authorityHost: 'https://login.microsoftonline.com',
    arm: 'https://management.azure.com',
    graph: 'https://graph.microsoft.com',
    partnerCenter: 'https://api.partnercenter.microsoft.com',
  },
  usgov: {
    authorityHost: 'https://login.microsoftonline.us',
    arm: 'https://management.usgovcloudapi.net',
    graph: 'https://graph.microsoft.us',
    partnerCenter: 'https://api.partnercenter.microsoft.com',
  },
  china: {
    authorityHost: 'https://login.chinacloudapi.cn',
    arm: 'https://management.chinacloudapi.cn',
    graph: 'https://microsoftgraph.chinacloudapi.cn',
    partnerCenter: 'https://partner.partnercenterapi.microsoftonline.cn',
  },
} as const;
export type CloudName = keyof typeof CLOUDS;

export class ConfigError extends Error {
  constructor(readonly setting: string, message: string) {
    super(`Config error: ${setting} ${message}`);
    this.name = 'ConfigError';
  }
}

const httpsUrl = z.string().url().refine((u) => u.startsWith('https://'), 'must be an https:// URL (Microsoft SDKs refuse http:)');
const optional = (s: z.ZodTypeAny) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Setting name → schema. The names are the documented ones (.env.example). */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_BASE_URL: optional(z.string().url()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BOT_ID: optional(z.string().regex(guid, 'must be a GUID (the Azure Bot registration app id)')),
  BOT_PASSWORD: optional(z.string()),
  BOT_TENANT_ID: optional(z.string().regex(guid, 'must be a GUID')),
  BOT_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  ENTRA_APP_CLIENT_ID: optional(z.string().regex(guid, 'must be a GUID (the multi-tenant Entra app id)')),
  ENTRA_APP_CLIENT_SECRET: optional(z.string().min(1)),
  ENTRA_HOME_TENANT_ID: optional(z.string().min(1)),
  DEFAULT_AZURE_ROLE: z.enum(['Reader', 'Tag Contributor']).default('Reader'),
  MONGODB_URI: optional(z.string().regex(/^mongodb(\+srv)?:\/\/[^\s]+$/, 'must be a MongoDB connection string, e.g. mongodb://127.0.0.1:27017')),
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be a database name (letters, digits, _ and -)').default('tenant-steward'),
  DATA_DIR: z.string().min(1).default('data'),
  SEALING_KEY: optional(z.string().refine((k) => Buffer.from(k, 'base64').length === 32, 'must be 32 random bytes in base64 (openssl rand -base64 32)')),
  MICROSOFT_CLOUD: z.enum(['public', 'usgov', 'china']).default('public'),
  AUTHORITY_HOST: optional(httpsUrl),
  ARM_ENDPOINT: optional(httpsUrl),
  GRAPH_ENDPOINT: optional(httpsUrl),
  PARTNER_CENTER_ENDPOINT: optional(httpsUrl),
  NODE_EXTRA_CA_CERTS: optional(z.string()),
  JOBS_POLL_MS: z.coerce.number().int().min(10).max(3_600_000).default(5000),
  JOBS_LOCK_LIFETIME_MS: z.coerce.number().int().min(100).max(86_400_000).default(600_000),
});

export interface Config {
  port: number;
  host: string;
  publicBaseUrl: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  bot: { appId: string; appPassword: string; tenantId?: string; appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI' };
  entraApp: { clientId?: string; clientSecret?: string; homeTenantId?: string };
  defaultAzureRole: 'Reader' | 'Tag Contributor';
  store: { kind: 'lowdb'; dataDir: string } | { kind: 'mongo'; uri: string; dbName: string };
  dataDir: string;
  /**
   * Agenda: how often due jobs are looked for, and how long a job's lock lives without a touch before another
   * worker takes the job over (a dead worker's jobs wait this long).
   */
  jobs: { pollMs: number; lockLifetimeMs: number };
  /** Base64 32-byte key; undefined means "generate one into DATA_DIR" (embedded default only). */
  sealingKey?: string;
  production: boolean;
  microsoft: {
    cloud: CloudName;
    authorityHost: string;
    arm: string;
    graph: string;
    partnerCenter: string;
    /** The resource ids that scopes are built from; they stay the cloud's even when endpoints are overridden. */
    scopes: { arm: string; graph: string; partnerCenter: string };
    extraCaFile?: string;
  };
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Reads `.env` (if present) under the real environment: the environment wins, as dotenv does. */
export function loadConfig(env: Record<string, string | undefined> = readEnv()): Config {
  // An empty value means "not set" (as in a copied .env.example), never "the empty string" or port 0.
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const setting = String(issue.path[0] ?? 'settings');
    throw new ConfigError(setting, `is invalid: ${issue.message}. Fix it in .env (see .env.example).`);
  }
  const e = parsed.data;
  if (!e.BOT_ID && !isLoopback(e.HOST))
    throw new ConfigError('BOT_ID', `is empty but HOST=${e.HOST} is not loopback: inbound Bot Framework auth would be off. Set BOT_ID and BOT_PASSWORD, or HOST=127.0.0.1.`);
  if (e.BOT_ID && !e.BOT_PASSWORD && e.BOT_TYPE !== 'UserAssignedMSI')
    throw new ConfigError('BOT_PASSWORD', 'is required when BOT_ID is set (the Azure Bot client secret).');
  if (e.BOT_TYPE === 'SingleTenant' && e.BOT_ID && !e.BOT_TENANT_ID)
    throw new ConfigError('BOT_TENANT_ID', 'is required when BOT_TYPE=SingleTenant.');
  const production = Boolean(e.BOT_ID || e.MONGODB_URI);
  if (production && !e.SEALING_KEY)
    throw new ConfigError('SEALING_KEY', 'is required in production (BOT_ID or MONGODB_URI set). Generate one with: openssl rand -base64 32');
  if (e.ENTRA_APP_CLIENT_ID && !e.ENTRA_APP_CLIENT_SECRET)
    throw new ConfigError('ENTRA_APP_CLIENT_SECRET', 'is required when ENTRA_APP_CLIENT_ID is set.');
  if (e.NODE_EXTRA_CA_CERTS && !existsSync(e.NODE_EXTRA_CA_CERTS))
    throw new ConfigError('NODE_EXTRA_CA_CERTS', `points at ${e.NODE_EXTRA_CA_CERTS}, which does not exist.`);
  const cloud = CLOUDS[e.MICROSOFT_CLOUD];
  const strip = (u: string) => u.replace(/\/+$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl: strip(e.PUBLIC_BASE_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`),
    logLevel: e.LOG_LEVEL,
    bot: { appId: e.BOT_ID ?? '', appPassword: e.BOT_PASSWORD ?? '', tenantId: e.BOT_TENANT_ID, appType: e.BOT_TYPE },
    entraApp: { clientId: e.ENTRA_APP_CLIENT_ID, clientSecret: e.ENTRA_APP_CLIENT_SECRET, homeTenantId: e.ENTRA_HOME_TENANT_ID },
    defaultAzureRole: e.DEFAULT_AZURE_ROLE,
    store: e.MONGODB_URI ? { kind: 'mongo', uri: e.MONGODB_URI, dbName: e.MONGODB_DB } : { kind: 'lowdb', dataDir: path.resolve(e.DATA_DIR) },
    dataDir: path.resolve(e.DATA_DIR),
    jobs: { pollMs: e.JOBS_POLL_MS, lockLifetimeMs: e.JOBS_LOCK_LIFETIME_MS },
    sealingKey: e.SEALING_KEY,
    production,
    microsoft: {
      cloud: e.MICROSOFT_CLOUD,
      authorityHost: strip(e.AUTHORITY_HOST ?? cloud.authorityHost),
      arm: strip(e.ARM_ENDPOINT ?? cloud.arm),
      graph: strip(e.GRAPH_ENDPOINT ?? cloud.graph),
      partnerCenter: strip(e.PARTNER_CENTER_ENDPOINT ?? cloud.partnerCenter),
      scopes: { arm: `${cloud.arm}/.default`, graph: `${cloud.graph}/.default`, partnerCenter: 'https://api.partnercenter.microsoft.com/.default' },
      extraCaFile: e.NODE_EXTRA_CA_CERTS,
    },
  };
}

/** What `npm run package` fills into appPackage/manifest.json. None of the run-time secrets are needed to package. */
export interface AppPackageConfig {
  /** The Teams app id (manifest `id`); TEAMS_APP_ID, or the bot id when unset. Empty when BOT_ID is empty. */
  teamsAppId: string;
  /** BOT_ID: the Azure Bot registration's app id; empty when unset (the packager refuses then). */
  botId: string;
  /** The host name of PUBLIC_BASE_URL (no port: Teams' validDomains take none), for `validDomains`; empty when unset. */
  botDomain: string;
  developer: { websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
}

const appPackageSchema = z.object({
  BOT_ID: schema.shape.BOT_ID,
  TEAMS_APP_ID: optional(z.string().regex(guid, 'must be a GUID (the Teams app id; defaults to BOT_ID)')),
  PUBLIC_BASE_URL: optional(httpsUrl),
  APP_WEBSITE_URL: optional(httpsUrl),
  APP_PRIVACY_URL: optional(httpsUrl),
  APP_TERMS_URL: optional(httpsUrl),
});

/** Reads only the settings the Teams app package needs; a bad value throws ConfigError naming it. */
export function loadAppPackageConfig(env: Record<string, string | undefined> = readEnv()): AppPackageConfig {
  const parsed = appPackageSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(String(issue.path[0]), `is invalid: ${issue.message}. Fix it in .env (see .env.example).`);
  }
  const e = parsed.data;
  const base = e.PUBLIC_BASE_URL?.replace(/\/+$/, '') ?? '';
  return {
    teamsAppId: e.TEAMS_APP_ID ?? e.BOT_ID ?? '',
    botId: e.BOT_ID ?? '',
    botDomain: base ? new URL(base).hostname : '',
    developer: {
      websiteUrl: e.APP_WEBSITE_URL ?? base,
      privacyUrl: e.APP_PRIVACY_URL ?? e.APP_WEBSITE_URL ?? base,
      termsOfUseUrl: e.APP_TERMS_URL ?? e.APP_WEBSITE_URL ?? base,
    },
  };
}

/** Botbuilder's own names are accepted as aliases of the Teams Toolkit ones. */
const ALIASES: Record<string, string> = {
  MicrosoftAppId: 'BOT_ID',
  MicrosoftAppPassword: 'BOT_PASSWORD',
  MicrosoftAppTenantId: 'BOT_TENANT_ID',
  MicrosoftAppType: 'BOT_TYPE',
};

function readEnv(): Record<string, string | undefined> {
  const fromFile = existsSync('.env') ? parseDotenv(readFileSync('.env')) : {};
  const merged: Record<string, string | undefined> = { ...fromFile, ...process.env };
  for (const [alias, name] of Object.entries(ALIASES)) if (merged[name] === undefined && merged[alias] !== undefined) merged[name] = merged[alias];
  return merged;
}

/** The environment for a child process: ours plus overrides. Lives here because only this file reads process.env. */
export function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
