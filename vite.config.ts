import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { contentSecurityPolicy } from './src/lib/csp';

/**
 * One build for the standalone app and the embedded iframe. The CSP is sent as a header by
 * the dev and preview servers (the data worker's script gets its own variant, see csp.ts)
 * and is also written into index.html as a meta tag, so a plain static host enforces it on
 * the page too. A worker only gets a policy from a header; on hosts that send none, the data
 * worker's network guard (src/lib/data/network-guard.ts) still refuses every other origin.
 */
const DATA_WORKER_PATH = /(?:^|\/)data\.worker[-.]/;

function securityHeaders(): Plugin {
  const setHeaders = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    res.setHeader('Content-Security-Policy', contentSecurityPolicy({ dataWorker: DATA_WORKER_PATH.test(path) }));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  };
  return {
    name: 'shopsight-security-headers',
    configureServer: (server) => void server.middlewares.use(setHeaders),
    configurePreviewServer: (server) => void server.middlewares.use(setHeaders),
  };
}

export default defineConfig({
  // Relative asset URLs: the built app works from any folder of any static host.
  base: './',
  plugins: [
    svelte(),
    securityHeaders(),
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
});
