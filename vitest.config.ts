import { defineConfig } from 'vitest/config';

/**
 * Browser tests that run a second time in the preload mode (test/e2e/support/preload-mode.ts): the
 * page gets window.isodesk from the app's built preload instead of the harness's bridge.js.
 */
const PRELOAD_MODE = ['test/e2e/signin.test.ts', 'test/e2e/catalog.test.ts', 'test/e2e/tasks.test.ts'];

export default defineConfig({
  test: {
    setupFiles: ['test/keyring-guard.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests start real servers, SQLite files and Chromium: keep files apart from each other.
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'default', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'preload-mode', include: PRELOAD_MODE, env: { ISODESK_E2E_BRIDGE: 'preload' } } },
    ],
  },
});
