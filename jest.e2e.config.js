import base from './jest.config.js';

/** `npm run test:e2e`: the browser tests under test/e2e (Debian's chromium driven by playwright-core), one at a time. */
export default {
  ...base,
  testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 120_000,
  globalSetup: undefined,
  maxWorkers: 1,
};
