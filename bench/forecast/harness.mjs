// Shared plumbing of bench/forecast and bench/train: argument parsing, the Node TS loader,
// a Vite dev server plus headless Chromium for the browser half, PyTorch, tables, JSON.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium, launchArgs, webgpuArgs } from '../../e2e/chromium.mjs';
import { repoRoot } from '../../e2e/support/serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const outDir = resolve(here, '..', 'out');
export const log = (line) => console.log(line);
export const errorText = (error) => (error instanceof Error ? error.message.split('\n')[0] : String(error));

/** `--name value` / `--flag` parsing into an object. */
export function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    if (!key.startsWith('--')) continue;
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) args[key.slice(2)] = true;
    else {
      args[key.slice(2)] = next;
      i++;
    }
  }
  return args;
}

/** Loads the repository's TypeScript in Node through Vite's SSR transform (as vitest does). */
export async function tsLoader() {
  const { createServer } = await import('vite');
  const server = await createServer({
    root: repoRoot,
    configFile: false,
    logLevel: 'error',
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: 'custom',
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  return { load: (path) => server.ssrLoadModule(path), close: () => server.close() };
}

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

/** Median of a list. */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Prints rows as an aligned text table. */
export function printTable(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  log(line(headers));
  log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) log(line(r));
}

/** Machine description for the JSON. */
export function machine() {
  let commit = null;
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    // not a checkout
  }
  const load = (() => {
    try {
      return execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  })();
  return {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGB: +(totalmem() / 1e9).toFixed(1),
    node: process.version,
    commit,
    loadavg: load,
  };
}

/** Writes `data` to bench/out/<name>-<ISO date>.json (or `file`) and returns the path. */
export function writeJson(name, data, file) {
  mkdirSync(outDir, { recursive: true });
  const path = file ? resolve(file) : join(outDir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(path, JSON.stringify(data, null, 2));
  return relative(process.cwd(), path);
}
