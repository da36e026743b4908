// The browser and PyTorch halves shared by bench/forecast and bench/train: a Vite dev server
// plus headless Chromium for the bench page, and the native PyTorch reference. The generic
// plumbing (arguments, tables, JSON, the Node TS loader) is in ../support/common.mjs.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium, launchArgs, webgpuArgs } from '../../e2e/chromium.mjs';
import { repoRoot } from '../../e2e/support/serve.mjs';
import { log } from '../support/common.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Serves bench/forecast/page with a Vite dev server on 127.0.0.1 and opens it in headless
 * Debian Chromium (the e2e suite's hermetic flags plus the SwiftShader WebGPU flags).
 * Resolves to { page, chromium, close }.
 */
export async function openBenchPage({ timeoutMs = 600_000 } = {}) {
  const { createServer } = await import('vite');
  const server = await createServer({
    root: repoRoot,
    configFile: false,
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
    worker: { format: 'es' },
    optimizeDeps: {
      entries: ['bench/forecast/page/index.html'],
      include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu'],
    },
  });
  // The app's own CSP on every response, workers included (they only get one from a header):
  // proves TF.js, its wasm and the run-time-assembled SIMD kernels start under it.
  const { contentSecurityPolicy } = await server.ssrLoadModule('/src/lib/csp.ts');
  const policy = contentSecurityPolicy();
  server.middlewares.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', policy);
    next();
  });
  await server.listen();
  const address = server.httpServer.address();
  const url = `http://127.0.0.1:${address.port}/bench/forecast/page/index.html`;
  const executablePath = ensureChromium({ log });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: [...launchArgs, ...webgpuArgs] });
  const page = await browser.newPage();
  page.setDefaultTimeout(timeoutMs);
  const consoleErrors = [];
  const cspViolations = [];
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('console', (m) => /Content Security Policy|Refused to/i.test(m.text()) && cspViolations.push(m.text()));
  const failed = [];
  page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
  const offOrigin = [];
  page.context().on('request', (r) => {
    const u = new URL(r.url());
    if (u.hostname !== '127.0.0.1' && u.protocol !== 'data:' && u.protocol !== 'blob:') offOrigin.push(r.url());
  });
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
  return {
    page,
    chromiumVersion: browser.version(),
    consoleErrors,
    offOrigin,
    failed,
    cspViolations,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Runs bench/forecast/torch_bench.py on one thread; null (with a reason) when torch is missing. */
export function runTorch(what, epochs) {
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const result = spawnSync(python, [join(here, 'torch_bench.py'), what, String(epochs)], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  if (result.status !== 0)
    return { error: (result.stderr || result.error?.message || 'failed').trim().split('\n').pop() };
  return JSON.parse(result.stdout.trim().split('\n').pop());
}
