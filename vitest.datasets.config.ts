import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

/**
 * The dataset suite: reads the public datasets from ../shared/datasets (or
 * $SHOPSIGHT_DATASETS). Each file says clearly when it skipped because the folder is absent.
 */
export default defineConfig({
  // Compiles *.svelte.ts rune modules (state classes, i18n) for Node.
  plugins: [svelte()],
  test: {
    include: ['src/**/*.datasets.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
