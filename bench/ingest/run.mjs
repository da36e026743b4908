// Ingest benchmark: one synthetic orders CSV, loaded (a) by native DuckDB through
// @duckdb/node-api — the reference — and (b) by the app itself in headless Chromium,
// through its real file input. Prints a table and writes bench/out/ingest-<date>.json.
//
//   npm run bench:ingest -- [--rows 1000000] [--seed 42] [--runs 3] [--browser-runs 3]
//                           [--native-only | --browser-only] [--skip-build]
//                           [--root <vite root>] [--url <running app>] [--timeout 600]
//                           [--sample-ms 250] [--out <file.json>]
//
// See bench/README.md for what is measured and the contract the app implements.

import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium, launchArgs } from '../../e2e/chromium.mjs';
import { buildApp, repoRoot, startPreview } from '../../e2e/support/serve.mjs';
import { DEFAULT_ROWS, DEFAULT_SEED, ensureDataset, intOption, parseArgs } from './generate.mjs';
import { best, gitCommit, log, median, packageVersion, printTable, sleep } from '../support/common.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(here, '..', 'out');
const MB = 1e6;

const HELP = `usage: npm run bench:ingest -- [options]
  --rows N          rows in the CSV (default ${DEFAULT_ROWS}; 1e5, 100k, 1m work)
  --seed N          PRNG seed (default ${DEFAULT_SEED})
  --runs N          native runs per configuration, best reported (default 3)
  --browser-runs N  app loads, each in a fresh browser, best reported (default 3)
  --native-only     skip the browser half      --browser-only  skip the native half
  --skip-build      serve the existing dist/ (also SHOPSIGHT_SKIP_BUILD=1)
  --root DIR        Vite root to build and serve (default: the repository)
  --url URL         measure an app already running there (no build, no server)
  --timeout S       seconds to wait for start-up and for one load (default 600)
  --sample-ms MS    heap/RSS sampling period during a load, 0 = off (default 250)
  --out FILE        JSON output (default bench/out/ingest-<date>.json)`;

const sqlString = (value) => `'${String(value).replace(/'/g, "''")}'`;
const errorText = (error) => (error instanceof Error ? error.message.split('\n')[0] : String(error));

// ---------------------------------------------------------------------------------------
// (a) native DuckDB

async function measureNative(dataset, runs) {
  const duckdb = await import('@duckdb/node-api');
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const scalar = async (sql) => (await connection.runAndReadAll(sql)).getRows()[0]?.[0];
  // Offline like the app: CSV is built in, nothing may be downloaded.
  await connection.run('SET autoinstall_known_extensions = false');
  await connection.run('SET autoload_known_extensions = false');
  const defaultThreads = Number(await scalar("SELECT current_setting('threads')"));

  const createSql = `CREATE TABLE t AS SELECT * FROM read_csv(${sqlString(dataset.path)})`;
  const configs = [
    { key: 'native', label: `native DuckDB (${defaultThreads} threads)`, threads: defaultThreads },
    { key: 'native1', label: 'native DuckDB (1 thread)', threads: 1 },
  ];
  const results = {};
  let columns = null;
  for (const config of configs) {
    await connection.run(`SET threads = ${config.threads}`);
    const seconds = [];
    for (let i = 0; i < runs; i++) {
      await connection.run('DROP TABLE IF EXISTS t');
      const started = performance.now();
      await connection.run(createSql);
      seconds.push((performance.now() - started) / 1000);
      const rows = Number(await scalar('SELECT count(*) FROM t'));
      if (rows !== dataset.rows) throw new Error(`native DuckDB read ${rows} rows, expected ${dataset.rows}`);
    }
    columns ??= (await connection.runAndReadAll('DESCRIBE t')).getRowObjectsJson().map((row) => ({
      name: String(row.column_name),
      type: String(row.column_type),
    }));
    results[config.key] = {
      label: config.label,
      threads: config.threads,
      seconds,
      best: best(seconds),
      median: median(seconds),
    };
    log(`[native] ${config.label}: ${seconds.map((s) => s.toFixed(3)).join(', ')} s`);
  }
  await connection.run('DROP TABLE IF EXISTS t');
  connection.closeSync();
  return {
    version: duckdb.version(),
    sql: createSql,
    columns,
    ...results,
    processMaxRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

// ---------------------------------------------------------------------------------------
// (b) the app in headless Chromium

/** Installed in every page before its scripts: records main-thread long tasks. */
function installLongTaskObserver() {
  const bench = { longTasks: [], prevLoad: undefined, observerError: null };
  Object.defineProperty(window, '__shopsightBench', { value: bench, configurable: true });
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (error) {
    bench.observerError = String(error);
  }
}

/** Chromium renderer processes started by this Node process (Linux /proc). */
function rendererProcesses() {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  const renderers = [];
  const queue = [...(children.get(process.pid) ?? [])];
  while (queue.length) {
    const pid = queue.shift();
    queue.push(...(children.get(pid) ?? []));
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) renderers.push(pid);
    } catch {
      // ended
    }
  }
  return renderers;
}

/** VmRSS and VmHWM (peak RSS) of a process, in bytes, or null. */
function processMemory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** Largest current RSS among the renderers (the app's page and its workers live in one). */
function rendererRss() {
  let rss = 0;
  let hwm = 0;
  for (const pid of rendererProcesses()) {
    const memory = processMemory(pid);
    if (memory && memory.rss > rss) ({ rss, hwm } = memory);
  }
  return { rss, hwm };
}

/**
 * A CDP session to a worker, tunnelled through its parent session with
 * Target.sendMessageToTarget (Playwright's CDPSession cannot address child sessions).
 * Children auto-attach in turn, so workers started by workers are found too.
 */
class ChildSession {
  #parent;
  #sessionId;
  #nextId = 1;
  #pending = new Map();
  #listeners = new Map();

  constructor(parent, sessionId) {
    this.#parent = parent;
    this.#sessionId = sessionId;
    parent.on('Target.receivedMessageFromTarget', (event) => {
      if (event.sessionId !== this.#sessionId) return;
      const message = JSON.parse(event.message);
      if (message.id !== undefined) {
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (message.error) pending?.reject(new Error(message.error.message));
        else pending?.resolve(message.result);
      } else if (message.method) {
        for (const listener of this.#listeners.get(message.method) ?? []) listener(message.params);
      }
    });
  }

  on(method, listener) {
    const list = this.#listeners.get(method) ?? [];
    list.push(listener);
    this.#listeners.set(method, list);
  }

  send(method, params = {}) {
    const id = this.#nextId++;
    return new Promise((resolvePromise, reject) => {
      this.#pending.set(id, { resolve: resolvePromise, reject });
      this.#parent
        .send('Target.sendMessageToTarget', {
          sessionId: this.#sessionId,
          message: JSON.stringify({ id, method, params }),
        })
        .catch((error) => {
          this.#pending.delete(id);
          reject(error);
        });
    });
  }
}

/** Tracks the page's workers (any depth) through CDP auto-attach; call before navigating. */
async function watchWorkers(cdp) {
  const workers = new Map(); // sessionId -> { url, session }
  const watch = async (session) => {
    session.on('Target.attachedToTarget', ({ sessionId, targetInfo }) => {
      if (targetInfo.type !== 'worker') return;
      const child = new ChildSession(session, sessionId);
      workers.set(sessionId, { url: targetInfo.url, session: child });
      void watch(child).catch(() => {});
    });
    session.on('Target.detachedFromTarget', ({ sessionId }) => workers.delete(sessionId));
    await session.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  };
  await watch(cdp);
  return workers;
}

const withTimeout = (promise, ms) =>
  Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error('timeout')))]);

/** Samples page and worker JS heaps (Runtime.getHeapUsage) and renderer RSS every `periodMs`. */
function startSampler(cdp, workers, periodMs) {
  const peaks = {
    pageHeapUsed: 0,
    pageBackingStore: 0,
    workerHeapUsed: {},
    rendererRss: 0,
    samples: 0,
    workerSamplesMissed: 0,
  };
  if (!periodMs) return { peaks, stop: async () => peaks };
  let busy = false;
  let stopped = false;
  const sample = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const [usage] = await Promise.all([
        withTimeout(cdp.send('Runtime.getHeapUsage'), 2000),
        ...[...workers.values()].map(async ({ url, session }) => {
          try {
            const { usedSize } = await withTimeout(session.send('Runtime.getHeapUsage'), 2000);
            peaks.workerHeapUsed[url] = Math.max(peaks.workerHeapUsed[url] ?? 0, usedSize);
          } catch {
            peaks.workerSamplesMissed++;
          }
        }),
      ]);
      peaks.pageHeapUsed = Math.max(peaks.pageHeapUsed, usage.usedSize);
      peaks.pageBackingStore = Math.max(peaks.pageBackingStore, usage.backingStorageSize ?? 0);
      peaks.rendererRss = Math.max(peaks.rendererRss, rendererRss().rss);
      peaks.samples++;
    } catch {
      // page navigating or closing
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(sample, periodMs);
  void sample();
  return {
    peaks,
    stop: async () => {
      clearInterval(timer);
      while (busy) await sleep(20);
      await sample();
      stopped = true;
      return peaks;
    },
  };
}

async function measureBrowserRun({ chromium, executablePath, url, dataset, timeoutMs, sampleMs }) {
  const browser = await chromium.launch({
    executablePath,
    args: [...launchArgs, '--enable-precise-memory-info'],
    timeout: 60_000,
  });
  const origin = new URL(url).origin;
  const offOrigin = [];
  const consoleErrors = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.on('request', (request) => {
      const requestUrl = request.url();
      if (/^(data|blob|about):/.test(requestUrl) || new URL(requestUrl).origin === origin) return;
      offOrigin.push(requestUrl);
    });
    context.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await context.addInitScript(installLongTaskObserver);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const workers = await watchWorkers(cdp);

    const startedGoto = performance.now();
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
    await page.waitForFunction(
      () => ['ready', 'error'].includes(document.documentElement.dataset.state ?? ''),
      undefined,
      {
        timeout: timeoutMs,
        polling: 50,
      },
    );
    const readyMs = performance.now() - startedGoto;
    if ((await page.evaluate(() => document.documentElement.dataset.state)) === 'error') {
      throw new Error('the app reported data-state="error" at start-up');
    }
    await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => {});

    const tablesBefore = await page.locator('[data-testid="table-item"]').count();
    await page.evaluate(() => {
      const bench = window.__shopsightBench;
      bench.prevLoad = window.__shopsight?.lastLoad;
      bench.longTasks.length = 0;
    });
    const before = rendererRss();
    const sampler = startSampler(cdp, workers, sampleMs);

    const startedLoad = performance.now();
    await page.locator('input[type=file][data-testid="file-input"]').setInputFiles(dataset.path);
    const loaded = page
      .waitForFunction(
        () => {
          const last = window.__shopsight?.lastLoad;
          return last && last !== window.__shopsightBench.prevLoad ? { ...last } : null;
        },
        undefined,
        { timeout: timeoutMs, polling: 50 },
      )
      .then(
        async (handle) => ({ lastLoad: await handle.jsonValue() }),
        (error) => ({ error: `no window.__shopsight.lastLoad after ${timeoutMs / 1000} s (${errorText(error)})` }),
      );
    const failed = page
      .locator('[data-testid="load-error"]')
      .first()
      .waitFor({ state: 'visible', timeout: timeoutMs })
      .then(
        async () => ({
          error: `load-error: ${(await page.locator('[data-testid="load-error"]').first().innerText()).trim()}`,
        }),
        () => new Promise(() => {}),
      );
    const outcome = await Promise.race([loaded, failed]);
    const wallMs = performance.now() - startedLoad;
    if (outcome.error) throw new Error(outcome.error);

    await page.locator('[data-testid="table-item"]').nth(tablesBefore).waitFor({ state: 'visible', timeout: 60_000 });
    const tableVisibleMs = performance.now() - startedLoad;
    const table = await page.locator('[data-testid="table-item"]').nth(tablesBefore).getAttribute('data-table');

    const peaks = await sampler.stop();
    await sleep(200); // let the long-task observer deliver its last entries
    const longTasks = await page.evaluate(() => ({
      entries: window.__shopsightBench.longTasks,
      observerError: window.__shopsightBench.observerError,
    }));
    const after = rendererRss();
    const lastLoad = outcome.lastLoad;
    const run = {
      chromium: browser.version(),
      readyMs,
      appMs: lastLoad.ms,
      wallMs,
      tableVisibleMs,
      table,
      rows: lastLoad.rows,
      bytes: lastLoad.bytes,
      rowsMatch: lastLoad.rows === dataset.rows,
      peakPageHeapMB: peaks.pageHeapUsed / MB,
      peakPageBackingStoreMB: peaks.pageBackingStore / MB,
      peakWorkerHeapMB: Object.fromEntries(
        Object.entries(peaks.workerHeapUsed).map(([workerUrl, bytes]) => [workerUrl.replace(origin, ''), bytes / MB]),
      ),
      workerHeapSamplesMissed: peaks.workerSamplesMissed,
      heapSamples: peaks.samples,
      rendererRssBeforeMB: before.rss / MB,
      rendererRssPeakSampledMB: peaks.rendererRss / MB,
      rendererRssHighWaterMB: after.hwm / MB,
      longTaskCount: longTasks.entries.length,
      longestTaskMs: longTasks.entries.reduce((max, entry) => Math.max(max, entry.duration), 0),
      longTaskTotalMs: longTasks.entries.reduce((sum, entry) => sum + entry.duration, 0),
      longTaskObserverError: longTasks.observerError,
      offOriginRequests: offOrigin,
      consoleErrors,
    };
    if (!run.rowsMatch) log(`[browser] WARNING: the app reported ${run.rows} rows, the file has ${dataset.rows}`);
    return run;
  } finally {
    await browser.close();
  }
}

async function measureBrowser(dataset, options) {
  const executablePath = ensureChromium({ log });
  const { chromium } = await import('playwright-core');
  let server = null;
  let url = options.url;
  if (!url) {
    const root = resolve(options.root ?? repoRoot);
    if (!options.skipBuild) {
      log(`[browser] vite build ${root === repoRoot ? '' : root}`);
      await buildApp({ root });
    }
    server = await startPreview({ root });
    url = server.url;
  }
  log(`[browser] app at ${url}`);
  try {
    const runs = [];
    for (let i = 0; i < options.runs; i++) {
      const run = await measureBrowserRun({
        chromium,
        executablePath,
        url,
        dataset,
        timeoutMs: options.timeoutMs,
        sampleMs: options.sampleMs,
      });
      runs.push(run);
      log(
        `[browser] run ${i + 1}: app ${(run.appMs / 1000).toFixed(3)} s, wall ${(run.wallMs / 1000).toFixed(3)} s, ` +
          `longest task ${run.longestTaskMs.toFixed(0)} ms, renderer peak RSS ${run.rendererRssHighWaterMB.toFixed(0)} MB`,
      );
    }
    const appSeconds = runs.map((run) => run.appMs / 1000);
    const wallSeconds = runs.map((run) => run.wallMs / 1000);
    return {
      url,
      chromium: runs[0]?.chromium ?? null,
      duckdbWasm: packageVersion('@duckdb/duckdb-wasm'),
      runs,
      best: best(appSeconds),
      median: median(appSeconds),
      bestWall: best(wallSeconds),
      medianWall: median(wallSeconds),
    };
  } finally {
    await server?.close();
  }
}

// ---------------------------------------------------------------------------------------
// report

function printIngestTable(dataset, lines, reference) {
  const header = ['case', 'rows', 'MB', 'seconds', 'rows/s', 'MB/s', 'x native'];
  const rows = lines.map(({ label, seconds }) => [
    label,
    dataset.rows.toLocaleString('en-US'),
    (dataset.bytes / MB).toFixed(1),
    seconds.toFixed(3),
    Math.round(dataset.rows / seconds).toLocaleString('en-US'),
    (dataset.bytes / MB / seconds).toFixed(1),
    reference ? (seconds / reference).toFixed(2) : '-',
  ]);
  printTable(header, rows);
}

function printBrowserDetails(browser) {
  const fastest = browser.runs.reduce((a, b) => (b.appMs < a.appMs ? b : a));
  const maxOf = (pick) => Math.max(...browser.runs.map(pick));
  const workerPeak = (run) => Math.max(0, ...Object.values(run.peakWorkerHeapMB));
  console.log(`
app start-up to data-state=ready (fastest run)   ${(Math.min(...browser.runs.map((r) => r.readyMs)) / 1000).toFixed(2)} s
load, file input -> lastLoad, wall (best)        ${browser.bestWall.toFixed(3)} s   (app-reported best ${browser.best.toFixed(3)} s)
longest main-thread task during a load (max)      ${maxOf((r) => r.longestTaskMs).toFixed(0)} ms   (${fastest.longTaskCount} long tasks, ${fastest.longTaskTotalMs.toFixed(0)} ms in all, fastest run)
peak JS heap, page (max over runs)                ${maxOf((r) => r.peakPageHeapMB).toFixed(1)} MB   (array buffers ${maxOf((r) => r.peakPageBackingStoreMB).toFixed(1)} MB)
peak JS heap, largest worker (max over runs)      ${maxOf(workerPeak).toFixed(1)} MB   (JS objects only; WebAssembly memory shows in renderer RSS)
renderer RSS before load -> peak (fastest run)    ${fastest.rendererRssBeforeMB.toFixed(0)} -> ${fastest.rendererRssHighWaterMB.toFixed(0)} MB
off-origin requests / console errors (all runs)   ${browser.runs.reduce((n, r) => n + r.offOriginRequests.length, 0)} / ${browser.runs.reduce((n, r) => n + r.consoleErrors.length, 0)}`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help || args.h) {
    console.log(HELP);
    return 0;
  }
  const options = {
    rows: intOption(args.rows, DEFAULT_ROWS),
    seed: intOption(args.seed, DEFAULT_SEED),
    runs: intOption(args.runs, 3),
    browserRuns: intOption(args['browser-runs'], 3),
    native: !args['browser-only'],
    browser: !args['native-only'],
    skipBuild: Boolean(args['skip-build']) || process.env.SHOPSIGHT_SKIP_BUILD === '1',
    root: typeof args.root === 'string' ? args.root : undefined,
    url: typeof args.url === 'string' ? args.url : undefined,
    timeoutMs: intOption(args.timeout, 600) * 1000,
    sampleMs: intOption(args['sample-ms'], 250),
  };

  const dataset = await ensureDataset({ rows: options.rows, seed: options.seed, log });
  log(
    `[bench] ${relative(process.cwd(), dataset.path)}: ${dataset.rows.toLocaleString('en-US')} rows, ${(dataset.bytes / MB).toFixed(1)} MB`,
  );

  const report = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    dataset: { path: relative(repoRoot, dataset.path), rows: dataset.rows, bytes: dataset.bytes, seed: dataset.seed },
    native: null,
    browser: null,
    errors: [],
  };

  if (options.native) {
    try {
      report.native = await measureNative(dataset, options.runs);
    } catch (error) {
      report.errors.push(`native: ${errorText(error)}`);
      console.error(`[native] FAILED: ${errorText(error)}`);
    }
  }
  if (options.browser) {
    try {
      report.browser = await measureBrowser(dataset, { ...options, runs: options.browserRuns });
    } catch (error) {
      report.errors.push(`browser: ${errorText(error)}`);
      console.error(`[browser] FAILED: ${errorText(error)}`);
      console.error(
        '[browser] (the app must implement the contract in bench/README.md; --native-only skips this half)',
      );
    }
  }

  const lines = [];
  if (report.native)
    lines.push(
      { label: report.native.native.label, seconds: report.native.native.best },
      { label: report.native.native1.label, seconds: report.native.native1.best },
    );
  if (report.browser) {
    lines.push({ label: 'ShopSight in Chromium (app-reported)', seconds: report.browser.best });
    lines.push({ label: 'ShopSight in Chromium (wall)', seconds: report.browser.bestWall });
  }
  const reference = report.native?.native.best ?? null;
  if (lines.length) {
    printIngestTable(dataset, lines, reference);
    const counts = [
      report.native && `${options.runs} native runs`,
      report.browser && `${options.browserRuns} browser loads`,
    ].filter(Boolean);
    console.log(
      `best of ${counts.join(' / ')}; MB = 10^6 bytes; "x native" = seconds / native DuckDB with default threads`,
    );
  }
  if (report.browser) printBrowserDetails(report.browser);
  if (report.native) report.native.ratio = 1;
  if (report.browser && reference) report.browser.ratioToNative = report.browser.best / reference;

  const outFile =
    typeof args.out === 'string'
      ? resolve(args.out)
      : join(outDir, `ingest-${report.date.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.json`);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n[bench] wrote ${relative(process.cwd(), outFile)}`);
  return report.errors.length ? 1 : 0;
}

process.exitCode = await main();
