import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The 100k-element invariant runs take seconds alone and several times that when turbo
    // runs every package's tests at once on two cores.
    testTimeout: 60_000,
  },
});
