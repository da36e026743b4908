/**
 * Plumbing every bench script shares: arguments, logging, summary statistics, a seeded PRNG,
 * the Node TS loader, the provenance written into each JSON report (machine, package
 * versions, git commit), the plain-text table the scripts print and the JSON they write.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../e2e/support/serve.mjs';

/** bench/out/, where every script writes its JSON (gitignored). */
export const outDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'out');

/** Prints one line to stdout (the scripts' only output channel besides the JSON report). */
export const log = (line) => console.log(line);

/** The first line of an error's message. */
export const errorText = (error) => (error instanceof Error ? error.message.split('\n')[0] : String(error));

/** Resolves after `ms` milliseconds. */
export const sleep = (ms) => new Promise((resolvePromise) => setTimeout(resolvePromise, ms));

/** The smallest value (the best timing), or null for none. */
export const best = (values) => (values.length ? Math.min(...values) : null);

/** The median, or null for none. */
export function median(values) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** mulberry32, the same generator as src/lib/ml/segment/prng.ts, so data is identical on every machine. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The installed version of a package, or null. */
export function packageVersion(name) {
  // Read the file directly: packages with an "exports" map (duckdb-wasm) hide package.json.
  try {
    return JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** The short commit the bench ran on, or null outside a git checkout. */
export function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

/** Prints a table with a dashed rule under the header; columns in `leftAligned` pad right, others left. */
export function printTable(header, rows, leftAligned = [0]) {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => String(row[i]).length)));
  const format = (row) =>
    row
      .map((cell, i) => (leftAligned.includes(i) ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i])))
      .join('  ')
      .trimEnd();
  console.log(`\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) console.log(format(row));
}

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
