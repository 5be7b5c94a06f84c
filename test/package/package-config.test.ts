import { ConfigError, loadAppPackageConfig } from '../../src/config.js';

const BOT = '11111111-2222-4333-8444-555555555555';
const APP = '99999999-8888-4777-8666-555555555555';

test('the Teams app id defaults to the bot id; validDomains get the host name without a port', () => {
  const c = loadAppPackageConfig({ BOT_ID: BOT, PUBLIC_BASE_URL: 'https://steward.example.com:8443/' });
  expect(c).toEqual({
    teamsAppId: BOT,
    botId: BOT,
    botDomain: 'steward.example.com',
    developer: { websiteUrl: 'https://steward.example.com:8443', privacyUrl: 'https://steward.example.com:8443', termsOfUseUrl: 'https://steward.example.com:8443' },
  });
});

test('TEAMS_APP_ID and the developer pages override the defaults; privacy and terms follow the website', () => {
  const c = loadAppPackageConfig({ BOT_ID: BOT, TEAMS_APP_ID: APP, PUBLIC_BASE_URL: 'https://bot.example.com', APP_WEBSITE_URL: 'https://contoso.example/steward' });
  expect(c.teamsAppId).toBe(APP);
  expect(c.developer).toEqual({ websiteUrl: 'https://contoso.example/steward', privacyUrl: 'https://contoso.example/steward', termsOfUseUrl: 'https://contoso.example/steward' });
  expect(loadAppPackageConfig({ BOT_ID: BOT, APP_TERMS_URL: 'https://t.example/terms' }).developer.termsOfUseUrl).toBe('https://t.example/terms');
});

test('empty settings stay empty (the packager refuses them), and a bad value names its setting', () => {
  expect(loadAppPackageConfig({ BOT_ID: '', PUBLIC_BASE_URL: '' })).toMatchObject({ botId: '', teamsAppId: '', botDomain: '' });
  expect(() => loadAppPackageConfig({ BOT_ID: 'not-a-guid' })).toThrow(ConfigError);
  expect(() => loadAppPackageConfig({ BOT_ID: BOT, PUBLIC_BASE_URL: 'http://bot.example.com' })).toThrow(/PUBLIC_BASE_URL/);
  expect(() => loadAppPackageConfig({ BOT_ID: BOT, TEAMS_APP_ID: 'x' })).toThrow(/TEAMS_APP_ID/);
});
