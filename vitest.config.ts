import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.{unit,int,e2e}.test.ts'],
    exclude: ['node_modules/**', 'data/**'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
