import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The interop tests start cluster-enabled redis-servers on a busy 2-core machine.
    testTimeout: 60_000,
  },
});
