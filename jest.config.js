/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': '<rootDir>/__tests__/support/esbuildTransform.js' },
  globalSetup: '<rootDir>/__tests__/support/buildDist.js',
  reporters: ['default', '<rootDir>/__tests__/support/summaryReporter.js'],
  testTimeout: 30000,
};
