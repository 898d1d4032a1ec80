/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // any-ascii ships as an ES module only, which Jest's module system cannot load: compiled to CommonJS.
    '/node_modules/any-ascii/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!any-ascii/)'],
  setupFiles: ['reflect-metadata'],
  // d3's packages are ES modules that Node requires but Jest's module system cannot: their UMD builds.
  moduleNameMapper: { '^(d3-geo|d3-array)$': '<rootDir>/node_modules/$1/dist/$1.js' },
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  testTimeout: 30000,
};
