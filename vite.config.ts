import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { contentSecurityPolicy } from './src/lib/csp';

/**
 * One build for the standalone app and the embedded iframe. The CSP is sent as a
 * header by the dev and preview servers and also written into index.html as a
 * meta tag, so a plain static host enforces it too.
 */
const securityHeaders = {
  'Content-Security-Policy': contentSecurityPolicy(),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export default defineConfig({
  // Relative asset URLs: the built app works from any folder of any static host.
  base: './',
  plugins: [
    svelte(),
    {
      name: 'shopsight-csp-meta',
      transformIndexHtml: (html) =>
        html.replace(
          '<!--csp-->',
          `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy({ meta: true })}" />`,
        ),
    },
  ],
  // duckdb-wasm ships pre-bundled workers and wasm; pre-bundling it breaks the ?url imports.
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm'] },
  resolve: {
    alias: {
      // The package does not list its blocking browser build in `exports` (see src/lib/data/db.ts).
      'duckdb-blocking': fileURLToPath(
        new URL('./node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs', import.meta.url),
      ),
    },
  },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    assetsInlineLimit: 0,
  },
  server: { headers: securityHeaders },
  preview: { headers: securityHeaders },
});
