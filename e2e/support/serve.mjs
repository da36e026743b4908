// Builds the app and serves the build with `vite preview` on 127.0.0.1 and a free port.
// Shared by the e2e global setup and bench/ingest (plain ESM; types in serve.d.mts).

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in e2e/support/). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const require = createRequire(import.meta.url);

function viteBin() {
  return join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
}

/**
 * Runs `vite build` for `root` in a child process (so a build never shares state with the
 * test runner) and rejects with the exit code if it fails. Output is inherited: with
 * logLevel "warn" only warnings and errors are printed.
 */
export function buildApp(options = {}) {
  const root = options.root ?? repoRoot;
  const logLevel = options.logLevel ?? 'warn';
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [viteBin(), 'build', root, '--logLevel', logLevel], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: process.env,
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`vite build failed in ${root} (${signal ?? `exit ${code}`})`));
    });
  });
}

/**
 * Serves `root`'s build with Vite's preview server (same headers as `npm run preview`,
 * since it reads the same vite.config) on 127.0.0.1 and an OS-chosen free port.
 * Resolves to { url, close }; url ends with the configured base (usually "/").
 */
export async function startPreview(options = {}) {
  const root = options.root ?? repoRoot;
  const host = options.host ?? '127.0.0.1';
  const { preview } = await import('vite');
  const server = await preview({
    root,
    logLevel: 'warn',
    preview: { host, port: options.port ?? 0, strictPort: true, open: false },
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') {
    await server.close();
    throw new Error('vite preview is not listening on a TCP port');
  }
  const url = `http://${host}:${address.port}${server.config.base || '/'}`;
  return {
    url,
    close: () => server.close(),
  };
}
