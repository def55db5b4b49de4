import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Test files start servers on free ports; a few at a time keeps a 2-core machine steady.
    maxWorkers: 2,
  },
});
