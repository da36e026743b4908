import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Compiles *.svelte.ts rune modules (state classes, i18n) for Node.
  plugins: [svelte()],
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts'],
    exclude: ['**/*.datasets.test.ts', 'node_modules/**'],
    environment: 'node',
    // DuckDB-WASM's Node build is happiest in forked processes (STACK-NOTES).
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
