import base from './jest.config.js';

/**
 * `npm run test:reliability`: issue 10's suite (faults, restarts, forged Bot Framework requests, hostile input,
 * consent callback refusals, secrets at rest). Each file records its figures; the teardown prints the summary and
 * fails the run if any record was lost.
 */
export default {
  ...base,
  testMatch: ['<rootDir>/test/reliability/**/*.reliability.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 600_000,
  globalSetup: '<rootDir>/test/reliability/global-setup.js',
  globalTeardown: '<rootDir>/test/reliability/global-teardown.js',
  maxWorkers: 1,
};
