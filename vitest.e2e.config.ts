import { defineConfig } from 'vitest/config';

/**
 * End-to-end specs (e2e/*.spec.ts) against the built app in headless Chromium.
 * e2e/global-setup.ts builds the app, serves it on 127.0.0.1 and provides the URL.
 * One spec file at a time: the machine has 2 cores and each file drives a browser
 * that itself runs DuckDB and TF.js in workers.
 */
export default defineConfig({
  test: {
    include: ['e2e/**/*.spec.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    // Browsers are slow to start on a busy 2-core machine; don't flag slow tests.
    slowTestThreshold: 30_000,
    // expect.poll gives up after 1 s by default: far too short for a load or a query to land
    // in a browser that shares 2 cores with DuckDB and TF.js workers.
    expect: { poll: { timeout: 30_000, interval: 100 } },
  },
});
