import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests start real servers, SQLite files and Chromium: keep files apart from each other.
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
