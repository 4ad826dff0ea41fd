import { defineConfig } from 'vitest/config';

// The Temporal worker loads a native module and spawns servers: each test file gets its own
// process (forks pool) so a crash or a leaked handle in one file cannot poison another.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
