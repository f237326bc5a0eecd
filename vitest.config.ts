import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.{unit,int,e2e}.test.ts'],
    exclude: ['node_modules/**', 'data/**'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // Whole-process suites spawn servers and CLIs; on a loaded 2-core CI machine they need room.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
