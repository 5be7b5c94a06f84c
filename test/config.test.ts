import { ConfigError, loadConfig } from '../src/config.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const GUID = '11111111-2222-3333-4444-555555555555';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  test('defaults make the embedded default: lowdb under ./data, loopback, public cloud', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3978);
    expect(config.host).toBe('127.0.0.1');
    expect(config.store).toEqual({ kind: 'lowdb', dataDir: expect.stringMatching(/data$/) });
    expect(config.production).toBe(false);
    expect(config.defaultAzureRole).toBe('Reader');
    expect(config.microsoft.arm).toBe('https://management.azure.com');
    expect(config.microsoft.scopes.graph).toBe('https://graph.microsoft.com/.default');
  });

  test('MONGODB_URI=notaurl names the setting in one line', () => {
    const err = configError({ MONGODB_URI: 'notaurl', SEALING_KEY: KEY });
    expect(err.setting).toBe('MONGODB_URI');
    expect(err.message).toMatch(/^Config error: MONGODB_URI is invalid: must be a MongoDB connection string/);
    expect(err.message).not.toContain('\n');
  });

  test('a non-loopback host with an empty bot app id is refused', () => {
    const err = configError({ HOST: '0.0.0.0' });
    expect(err.setting).toBe('BOT_ID');
    expect(err.message).toContain('not loopback');
    expect(() => loadConfig({ HOST: 'localhost' })).not.toThrow();
    expect(() => loadConfig({ HOST: '::1' })).not.toThrow();
  });

  test('production needs a sealing key, and a bot password with the bot id', () => {
    expect(configError({ BOT_ID: GUID, BOT_PASSWORD: 'pw-123456789' }).setting).toBe('SEALING_KEY');
    expect(configError({ BOT_ID: GUID, SEALING_KEY: KEY }).setting).toBe('BOT_PASSWORD');
    expect(configError({ SEALING_KEY: 'c2hvcnQ=' }).setting).toBe('SEALING_KEY');
    const prod = loadConfig({ BOT_ID: GUID, BOT_PASSWORD: 'pw-123456789', SEALING_KEY: KEY, HOST: '0.0.0.0', MONGODB_URI: 'mongodb://db:27017' });
    expect(prod.production).toBe(true);
    expect(prod.store).toEqual({ kind: 'mongo', uri: 'mongodb://db:27017', dbName: 'tenant-steward' });
  });

  test('cloud presets, with per-service overrides that must be https', () => {
    const gov = loadConfig({ MICROSOFT_CLOUD: 'usgov' });
    expect(gov.microsoft.authorityHost).toBe('https://login.microsoftonline.us');
    expect(gov.microsoft.scopes.arm).toBe('https://management.usgovcloudapi.net/.default');
    const emulated = loadConfig({ ARM_ENDPOINT: 'https://127.0.0.1:4443/', GRAPH_ENDPOINT: 'https://127.0.0.1:4444' });
    expect(emulated.microsoft.arm).toBe('https://127.0.0.1:4443');
    expect(emulated.microsoft.scopes.arm).toBe('https://management.azure.com/.default');
    expect(configError({ GRAPH_ENDPOINT: 'http://127.0.0.1:4444' }).setting).toBe('GRAPH_ENDPOINT');
    expect(configError({ MICROSOFT_CLOUD: 'mars' }).setting).toBe('MICROSOFT_CLOUD');
  });

  test('bad values of other settings each name their setting', () => {
    expect(configError({ PORT: '99999' }).setting).toBe('PORT');
    expect(configError({ BOT_ID: 'not-a-guid' }).setting).toBe('BOT_ID');
    expect(configError({ ENTRA_APP_CLIENT_ID: GUID }).setting).toBe('ENTRA_APP_CLIENT_SECRET');
    expect(configError({ NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem' }).setting).toBe('NODE_EXTRA_CA_CERTS');
    expect(configError({ DEFAULT_AZURE_ROLE: 'Owner' }).setting).toBe('DEFAULT_AZURE_ROLE');
    expect(configError({ JOBS_LOCK_LIFETIME_MS: '5' }).setting).toBe('JOBS_LOCK_LIFETIME_MS');
    expect(configError({ JOBS_POLL_MS: 'often' }).setting).toBe('JOBS_POLL_MS');
  });

  test('job polling and lock lifetime: Agenda-like defaults (5 s, 10 min), settable so a killed worker\'s jobs are taken over sooner', () => {
    expect(loadConfig({}).jobs).toEqual({ pollMs: 5000, lockLifetimeMs: 600_000 });
    expect(loadConfig({ JOBS_POLL_MS: '100', JOBS_LOCK_LIFETIME_MS: '2000' }).jobs).toEqual({ pollMs: 100, lockLifetimeMs: 2000 });
  });
});

test('empty values, as in a copied .env.example, mean "use the default"', () => {
  const config = loadConfig({ PORT: '', HOST: '', BOT_ID: '', MONGODB_URI: '', SEALING_KEY: '', LOG_LEVEL: '' });
  expect(config.port).toBe(3978);
  expect(config.host).toBe('127.0.0.1');
  expect(config.store.kind).toBe('lowdb');
});
