import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The real-Redis interop suite starts two servers and saves a few MB of data.
    testTimeout: 60_000,
  },
});
