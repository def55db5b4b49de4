import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Sized for a busy 2-core machine: spawning two daemons took over 20 s there (load ~15).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Test files start servers on free ports; a few at a time keeps a 2-core machine steady.
    maxWorkers: 2,
    // examples/ are projects of their own, run by their own test runner (Jest).
    exclude: [...configDefaults.exclude, 'examples/**'],
  },
});
