import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Sized for a busy 2-core machine running every package's tests at once: a test that
    // takes 1 s alone can take ten times that there. No test asserts on elapsed time.
    testTimeout: 30_000,
  },
});
