// Prepare benchmark (issue 3): a 10-step cleaning recipe and the customer builder on the synthetic
// orders file, (a) in the real app in headless Chromium through the embed API, timed per stage,
// with the longest main-thread task, and (b) the very same SQL on native DuckDB. Prints a table
// and writes bench/out/prepare-<date>.json. See bench/README.md.
//
//   npm run bench:prepare -- [--rows 1000000] [--seed 42] [--runs 3] [--browser-runs 2]
//                            [--native-only | --browser-only] [--skip-build] [--url <app>]
//                            [--cutoff YYYY-MM-DD] [--timeout 900] [--out <file.json>]

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium, launchArgs } from '../../e2e/chromium.mjs';
import { buildApp, repoRoot, startPreview } from '../../e2e/support/serve.mjs';
import { best, gitCommit, log, median, packageVersion, printTable, sleep, tsLoader } from '../support/common.mjs';
import { DEFAULT_ROWS, DEFAULT_SEED, ensureDataset, intOption, parseArgs } from '../ingest/generate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(here, '..', 'out');
const MB = 1e6;
const STAGES = ['load', 'recipe', 'customers'];

const HELP = `usage: npm run bench:prepare -- [options]
  --rows N          rows in the CSV (default ${DEFAULT_ROWS}; 1e5, 200k, 1m work)
  --seed N          PRNG seed (default ${DEFAULT_SEED})
  --runs N          native replays per thread setting, best reported (default 3)
  --browser-runs N  app runs, each in a fresh browser, best reported (default 2)
  --native-only     skip the browser half      --browser-only  skip the native half
  --skip-build      serve the existing dist/ (also SHOPSIGHT_SKIP_BUILD=1)
  --url URL         measure an app already running there (no build, no server)
  --cutoff DATE     buildCustomers cutoff (default: the builder's, after the last line)
  --timeout S       seconds to wait for one stage in the browser (default 900)
  --out FILE        JSON output (default bench/out/prepare-<date>.json)`;

/**
 * The 10-step recipe, written against the table the app makes of the file: InvoiceNo,
 * StockCode, Description, Country VARCHAR; Quantity, CustomerID BIGINT; InvoiceDate TIMESTAMP;
 * UnitPrice DOUBLE. The timestamp goes to text and back to exercise parse_date on 1M strings.
 */
export const RECIPE = {
  version: 1,
  name: 'bench: 10-step clean-up',
  source: { columns: [] },
  steps: [
    { id: 's1', enabled: true, kind: 'dedupe' },
    {
      id: 's2',
      enabled: true,
      kind: 'filter_rows',
      where: {
        all: [
          { column: 'Quantity', op: '>', value: 0 },
          { column: 'UnitPrice', op: '>', value: 0 },
        ],
      },
    },
    { id: 's3', enabled: true, kind: 'cast', columns: ['InvoiceDate'], to: 'varchar' },
    {
      id: 's4',
      enabled: true,
      kind: 'parse_date',
      column: 'InvoiceDate',
      format: '%Y-%m-%d %H:%M:%S',
      as: 'timestamp',
    },
    {
      id: 's5',
      enabled: true,
      kind: 'date_parts',
      column: 'InvoiceDate',
      parts: ['year', 'month', 'weekday', 'hour', 'is_weekend'],
    },
    { id: 's6', enabled: true, kind: 'impute', columns: ['CustomerID'], method: 'median', flagMissing: true },
    { id: 's7', enabled: true, kind: 'outliers', columns: ['Quantity', 'UnitPrice'], method: 'iqr', action: 'clip' },
    { id: 's8', enabled: true, kind: 'log1p', columns: ['Quantity', 'UnitPrice'] },
    { id: 's9', enabled: true, kind: 'scale', columns: ['Quantity', 'UnitPrice'], method: 'standard' },
    { id: 's10', enabled: true, kind: 'one_hot', column: 'Country', topK: 5 },
  ],
};

const errorText = (error) => (error instanceof Error ? error.message.split('\n')[0] : String(error));
const sqlString = (value) => `'${String(value).replace(/'/g, "''")}'`;

// ---------------------------------------------------------------------------------------
// (b) the app's SQL: recorded from its engine on DuckDB-WASM in Node, replayed natively

async function recordSql(dataset, cutoff) {
  const loader = await tsLoader();
  try {
    const { record } = await loader.load('/bench/prepare/record.ts');
    const started = performance.now();
    const recording = await record(dataset.path, RECIPE, cutoff);
    log(
      `[record] ${recording.stages.map((s) => `${s.stage} ${s.sql.length} statements`).join(', ')} ` +
        `(${((performance.now() - started) / 1000).toFixed(1)} s in DuckDB-WASM ${recording.duckdbVersion} on Node)`,
    );
    return recording;
  } finally {
    await loader.close();
  }
}

/** Replays the recording on native DuckDB, one fresh in-memory database per run. */
async function nativeReplayer(dataset, recording) {
  const duckdb = await import('@duckdb/node-api');
  // The load reads the file DuckDB-WASM had registered under a virtual name; natively, the file itself.
  const substitute = (sql) =>
    recording.registeredFiles.reduce((text, name) => text.split(sqlString(name)).join(sqlString(dataset.path)), sql);
  const replay = async (threads) => {
    const instance = await duckdb.DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run('SET autoinstall_known_extensions = false');
      await connection.run('SET autoload_known_extensions = false');
      if (threads) await connection.run(`SET threads = ${threads}`);
      const ms = {};
      const statementMs = {};
      for (const stage of recording.stages) {
        const started = performance.now();
        statementMs[stage.stage] = [];
        for (const sql of stage.sql) {
          const startedStatement = performance.now();
          try {
            await connection.run(substitute(sql));
          } catch (error) {
            throw new Error(`${stage.stage}: ${errorText(error)} in ${sql.slice(0, 160)}`, { cause: error });
          }
          statementMs[stage.stage].push(performance.now() - startedStatement);
        }
        ms[stage.stage] = performance.now() - started;
      }
      const count = async (table) =>
        Number((await connection.runAndReadAll(`SELECT count(*) FROM "${table}"`)).getRows()[0][0]);
      const rows = {
        load: await count(recording.table),
        recipe: await count(recording.preparedTable.name),
        customers: await count(recording.customersTable.name),
      };
      const defaultThreads = Number(
        (await connection.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0],
      );
      return { ms, statementMs, rows, threads: defaultThreads };
    } finally {
      connection.closeSync();
      instance.closeSync?.();
    }
  };
  const expected = {
    load: dataset.rows,
    recipe: recording.preparedTable.rows,
    customers: recording.customersTable.rows,
  };
  const runs = { 0: [], 1: [] };
  const labelOf = (n) => `native DuckDB (${n} thread${n === 1 ? '' : 's'})`;
  return {
    /** threads 0 = DuckDB's default (one per core). */
    async run(threads) {
      const run = await replay(threads);
      for (const s of STAGES) {
        if (run.rows[s] !== expected[s])
          throw new Error(`native ${s} made ${run.rows[s]} rows, the app's engine ${expected[s]}`);
      }
      runs[threads].push(run);
      log(
        `[native] ${labelOf(run.threads)}: ${STAGES.map((st) => `${st} ${(run.ms[st] / 1000).toFixed(3)} s`).join(', ')}`,
      );
    },
    summary() {
      const config = (threads) => {
        const list = runs[threads];
        if (!list.length) return null;
        return {
          label: labelOf(list[0].threads),
          threads: list[0].threads,
          runs: list,
          best: Object.fromEntries(STAGES.map((st) => [st, best(list.map((r) => r.ms[st]))])),
        };
      };
      return { version: duckdb.version(), native: config(0), native1: config(1) };
    },
  };
}

// ---------------------------------------------------------------------------------------
// (a) the app in headless Chromium, driven through the embed API from a same-origin host page

/** Installed in every frame before its scripts: records main-thread long tasks. */
function installLongTaskObserver() {
  const bench = { longTasks: [], observerError: null };
  Object.defineProperty(window, '__shopsightBench', { value: bench, configurable: true });
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const where = entry.attribution?.[0];
        bench.longTasks.push({
          // Absolute (epoch ms): the host and the app frame have different time origins.
          start: performance.timeOrigin + entry.startTime,
          duration: entry.duration,
          name: entry.name,
          container: where ? `${where.containerType}:${where.containerSrc || where.containerName || ''}` : '',
        });
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch (error) {
    bench.observerError = String(error);
  }
}

const HOST_PATH = '/__bench/prepare-host.html';
// No CSP on this page (the framed app has its own): the bench drives it with page.evaluate.
const HOST_HTML = `<!doctype html><html><head><meta charset="utf-8"><title>bench host</title></head>
<body><input type="file" id="file"><iframe id="app" style="width:1200px;height:720px;border:0"></iframe></body></html>`;

/** In the host page: a promise-based embed client (docs/embed-api.md) on `window.benchHost`. */
function installHostClient() {
  const frame = document.getElementById('app');
  const pending = new Map();
  let nextId = 1;
  let readyResolve;
  const ready = new Promise((r) => (readyResolve = r));
  window.addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow || event.origin !== location.origin) return;
    const msg = event.data;
    if (msg?.shopsight !== 1) return;
    if (msg.event === 'ready') readyResolve(msg);
    else if ('ok' in msg && pending.has(msg.id)) {
      const { resolve, started } = pending.get(msg.id);
      pending.delete(msg.id);
      resolve({ ok: msg.ok, result: msg.result, error: msg.error, wallMs: performance.now() - started });
    }
  });
  window.benchHost = {
    ready,
    call(method, params) {
      const id = nextId++;
      const started = performance.now();
      frame.contentWindow.postMessage({ shopsight: 1, id, method, params }, location.origin);
      return new Promise((resolve) => pending.set(id, { resolve, started }));
    },
  };
  frame.src = '/?embed=1';
}

async function measureBrowserRun({ chromium, executablePath, url, dataset, timeoutMs, cutoff, log: say }) {
  const browser = await chromium.launch({ executablePath, args: [...launchArgs], timeout: 60_000 });
  const origin = new URL(url).origin;
  const consoleErrors = [];
  const offOrigin = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.on('request', (request) => {
      const requestUrl = request.url();
      if (/^(data|blob|about):/.test(requestUrl) || new URL(requestUrl).origin === origin) return;
      offOrigin.push(requestUrl);
    });
    context.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    await context.addInitScript(installLongTaskObserver);
    await context.route(`${origin}${HOST_PATH}`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: HOST_HTML }),
    );
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    const startedGoto = performance.now();
    await page.goto(`${origin}${HOST_PATH}`);
    await page.evaluate(installHostClient);
    const ready = await page.evaluate(() =>
      Promise.race([window.benchHost.ready, new Promise((r) => setTimeout(() => r(null), 120_000))]),
    );
    if (!ready) throw new Error('no ready event from the embedded app within 120 s');
    const readyMs = performance.now() - startedGoto;
    const appFrame = page.frames().find((f) => f.url().includes('embed=1'));
    if (!appFrame) throw new Error('the app frame is missing');
    await sleep(500); // let start-up's own long tasks land before the first stage

    const frames = [page.mainFrame(), appFrame];
    const resetLongTasks = () =>
      Promise.all(frames.map((f) => f.evaluate(() => (window.__shopsightBench.longTasks.length = 0))));
    const readLongTasks = async () => {
      await sleep(200); // the observer delivers entries asynchronously
      const lists = await Promise.all(frames.map((f) => f.evaluate(() => window.__shopsightBench.longTasks)));
      // Same-origin frames share one main thread and both observers may see a task: dedupe by start.
      // Same-origin frames share one main thread: the host sees the app's tasks too (as
      // "same-origin-descendant"). One task = entries starting within 2 ms of each other.
      const merged = [];
      for (const entry of lists.flat().sort((a, b) => a.start - b.start)) {
        const last = merged[merged.length - 1];
        if (last && entry.start - last.start < 2) {
          if (entry.duration > last.duration) merged[merged.length - 1] = entry;
        } else merged.push(entry);
      }
      const entries = merged.sort((a, b) => b.duration - a.duration);
      return {
        count: entries.length,
        longestMs: entries[0]?.duration ?? 0,
        totalMs: entries.reduce((sum, e) => sum + e.duration, 0),
        longest: entries.slice(0, 5),
      };
    };
    const stage = async (name, method, params) => {
      await resetLongTasks();
      const outcome = await page.evaluate(
        ({ m, p }) => {
          // `data: "#file"` stands for the File picked in the host's input (a File cannot be an argument).
          const file = document.getElementById('file').files[0];
          return window.benchHost.call(m, p.data === '#file' ? { ...p, data: file } : p);
        },
        { m: method, p: params },
      );
      if (!outcome.ok) throw new Error(`${method}: ${outcome.error?.code}: ${outcome.error?.message}`);
      const longTasks = await readLongTasks();
      const workerMs = outcome.result.elapsedMs;
      say(
        `[browser]   ${name}: wall ${(outcome.wallMs / 1000).toFixed(3)} s` +
          (workerMs === undefined ? '' : `, worker ${(workerMs / 1000).toFixed(3)} s`) +
          `, longest task ${longTasks.longestMs.toFixed(0)} ms`,
      );
      return { wallMs: outcome.wallMs, workerMs: workerMs ?? null, longTasks, result: outcome.result };
    };

    // Load: the file picked in the host's <input type=file>, posted to the app as a File.
    await page.locator('#file').setInputFiles(dataset.path);
    const load = await stage('load', 'loadTable', { fileName: 'orders.csv', data: '#file' });
    const table = load.result.name;
    if (load.result.rows !== dataset.rows)
      throw new Error(`the app loaded ${load.result.rows} rows, the file has ${dataset.rows}`);
    const recipe = await stage('recipe', 'applyRecipe', { table, recipe: RECIPE });
    const customers = await stage('customers', 'buildCustomers', { table, ...(cutoff ? { cutoff } : {}) });
    // The observer must see a task that is known to be long: 150 ms of busy work in the app's frame.
    await resetLongTasks();
    // (A task of the page's own event loop: work run by a CDP evaluate is not reported.)
    await appFrame.evaluate(
      () =>
        new Promise((done) =>
          setTimeout(() => {
            const until = performance.now() + 150;
            while (performance.now() < until);
            setTimeout(done, 50);
          }, 0),
        ),
    );
    const selfTest = await readLongTasks();
    const observerErrors = await Promise.all(
      frames.map((f) => f.evaluate(() => window.__shopsightBench.observerError)),
    );
    if (selfTest.longestMs < 100 || observerErrors.some(Boolean))
      throw new Error(
        `the long-task observer did not see a 150 ms task (${observerErrors.find(Boolean) ?? 'no entry'})`,
      );
    return {
      chromium: browser.version(),
      longTaskSelfTestMs: selfTest.longestMs,
      readyMs,
      table,
      columns: load.result.columns,
      stages: {
        load: { wallMs: load.wallMs, workerMs: load.workerMs, longTasks: load.longTasks, rows: load.result.rows },
        recipe: {
          wallMs: recipe.wallMs,
          workerMs: recipe.workerMs,
          longTasks: recipe.longTasks,
          rows: recipe.result.table.rows,
          columns: recipe.result.table.columns.length,
          steps: recipe.result.steps,
        },
        customers: {
          wallMs: customers.wallMs,
          workerMs: customers.workerMs,
          longTasks: customers.longTasks,
          rows: customers.result.table.rows,
          columns: customers.result.table.columns.length,
          summary: customers.result.summary,
        },
      },
      fittedRecipe: recipe.result.recipe,
      offOriginRequests: offOrigin,
      consoleErrors,
    };
  } finally {
    await browser.close();
  }
}

/** Serves the app (building it first unless told not to) and runs fresh browsers on it. */
async function browserSession(dataset, options) {
  const executablePath = ensureChromium({ log });
  const { chromium } = await import('playwright-core');
  let server = null;
  let url = options.url;
  if (!url) {
    if (!options.skipBuild) {
      log('[browser] vite build');
      await buildApp({ root: repoRoot });
    }
    server = await startPreview({ root: repoRoot });
    url = server.url;
  }
  log(`[browser] app at ${url}`);
  const runs = [];
  return {
    async run() {
      log(`[browser] run ${runs.length + 1}`);
      runs.push(
        await measureBrowserRun({
          chromium,
          executablePath,
          url,
          dataset,
          timeoutMs: options.timeoutMs,
          cutoff: options.cutoff,
          log,
        }),
      );
    },
    summary() {
      if (!runs.length) return null;
      const pick = (stage, field) => best(runs.map((r) => r.stages[stage][field]).filter((v) => typeof v === 'number'));
      return {
        url,
        chromium: runs[0].chromium,
        duckdbWasm: packageVersion('@duckdb/duckdb-wasm'),
        runs,
        bestWall: Object.fromEntries(STAGES.map((st) => [st, pick(st, 'wallMs')])),
        bestWorker: Object.fromEntries(STAGES.map((st) => [st, pick(st, 'workerMs')])),
        longestTaskMs: Object.fromEntries(
          STAGES.map((st) => [st, Math.max(...runs.map((r) => r.stages[st].longTasks.longestMs))]),
        ),
      };
    },
    close: async () => server?.close(),
  };
}

// ---------------------------------------------------------------------------------------
// report

/** Per statement of one stage: the Node WASM time and the best native times, slowest first. */
function statementBreakdown(result, stage) {
  const recorded = result.recording?.stages.find((s) => s.stage === stage);
  if (!recorded) return [];
  const bestOf = (config, i) =>
    config ? best(config.runs.map((run) => run.statementMs[stage]?.[i]).filter((v) => typeof v === 'number')) : null;
  return recorded.sql
    .map((sql, i) => ({
      index: i,
      sql,
      wasmNodeMs: recorded.statementMs[i],
      nativeMs: bestOf(result.native?.native, i),
      native1Ms: bestOf(result.native?.native1, i),
    }))
    .sort((a, b) => b.wasmNodeMs - a.wasmNodeMs);
}

/** A chain of step CTEs starts the same every time: show its head and its tail. */
function shortSql(sql) {
  const text = sql.replace(/\s+/g, ' ').trim();
  return text.length <= 100 ? text : `${text.slice(0, 45)} … ${text.slice(-50)}`;
}

function printBreakdown(result) {
  for (const stage of ['recipe', 'customers']) {
    const top = statementBreakdown(result, stage).slice(0, 5);
    if (!top.length) continue;
    console.log(
      `\nslowest statements of "${stage}" (of ${result.recording.stages.find((s) => s.stage === stage).sql.length}):`,
    );
    printTable(
      ['#', 'wasm node s', 'native 1t s', 'statement'],
      top.map((t) => [
        t.index + 1,
        (t.wasmNodeMs / 1000).toFixed(3),
        typeof t.native1Ms === 'number' ? (t.native1Ms / 1000).toFixed(3) : '-',
        shortSql(t.sql),
      ]),
      [3],
    );
  }
}

function report(result) {
  const seconds = (ms) => (typeof ms === 'number' ? (ms / 1000).toFixed(3) : '-');
  const ratio = (ms, ref) =>
    typeof ms === 'number' && typeof ref === 'number' && ref > 0 ? (ms / ref).toFixed(2) : '-';
  const { native, browser, recording } = result;
  const ref = native?.native?.best ?? {};
  const ref1 = native?.native1?.best ?? {};
  const wasm = Object.fromEntries((recording?.stages ?? []).map((s) => [s.stage, s.wasmMs]));
  const rows = STAGES.map((stage) => [
    stage,
    seconds(ref[stage]),
    seconds(ref1[stage]),
    seconds(wasm[stage]),
    seconds(browser?.bestWorker[stage]),
    seconds(browser?.bestWall[stage]),
    ratio(browser?.bestWall[stage], ref[stage]),
    ratio(browser?.bestWall[stage], ref1[stage]),
    browser ? `${browser.longestTaskMs[stage].toFixed(0)} ms` : '-',
  ]);
  printTable(
    [
      'stage',
      native?.native ? `native ${native.native.threads}t s` : 'native s',
      'native 1t s',
      'wasm node s',
      'app worker s',
      'app wall s',
      'x native',
      'x native 1t',
      'longest task',
    ],
    rows,
  );
  console.log(
    'best of each; "app worker" = the engine\'s own elapsedMs (none for loadTable), "app wall" = embed call → reply in the host;\n' +
      '"x native" = app wall / native DuckDB; targets: recipe and customers ≤ 1.5× native, no long task > 100 ms',
  );
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
    browserRuns: intOption(args['browser-runs'], 2),
    native: !args['browser-only'],
    browser: !args['native-only'],
    skipBuild: Boolean(args['skip-build']) || process.env.SHOPSIGHT_SKIP_BUILD === '1',
    url: typeof args.url === 'string' ? args.url : undefined,
    cutoff: typeof args.cutoff === 'string' ? args.cutoff : undefined,
    timeoutMs: intOption(args.timeout, 900) * 1000,
  };
  const dataset = await ensureDataset({ rows: options.rows, seed: options.seed, log });
  log(
    `[bench] ${relative(process.cwd(), dataset.path)}: ${dataset.rows.toLocaleString('en-US')} rows, ${(dataset.bytes / MB).toFixed(1)} MB`,
  );
  const result = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      loadavgAtStart: loadavg(),
    },
    dataset: { path: relative(repoRoot, dataset.path), rows: dataset.rows, bytes: dataset.bytes, seed: dataset.seed },
    recipe: RECIPE,
    recording: null,
    native: null,
    browser: null,
    errors: [],
  };
  const outFile =
    typeof args.out === 'string'
      ? resolve(args.out)
      : join(outDir, `prepare-${result.date.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.json`);
  const writeJson = (data) => {
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, `${JSON.stringify(data, null, 2)}\n`);
  };
  // The SQL first, then rounds that interleave native replays and browser runs, so that both
  // halves see the same share of a busy shared machine.
  let native = null;
  let browser = null;
  if (options.native) {
    try {
      result.recording = await recordSql(dataset, options.cutoff);
      native = await nativeReplayer(dataset, result.recording);
    } catch (error) {
      result.errors.push(`native: ${errorText(error)}`);
      console.error(`[native] FAILED: ${errorText(error)}`);
    }
  }
  if (options.browser) {
    try {
      browser = await browserSession(dataset, options);
    } catch (error) {
      result.errors.push(`browser: ${errorText(error)}`);
      console.error(`[browser] FAILED: ${errorText(error)}`);
    }
  }
  try {
    for (let round = 0; round < Math.max(options.runs, options.browserRuns); round++) {
      if (native && round < options.runs) {
        try {
          await native.run(0);
          await native.run(1);
        } catch (error) {
          result.errors.push(`native: ${errorText(error)}`);
          console.error(`[native] FAILED: ${errorText(error)}`);
          result.native = native.summary();
          native = null;
        }
      }
      if (browser && round < options.browserRuns) {
        try {
          await browser.run();
        } catch (error) {
          result.errors.push(`browser: ${errorText(error)}`);
          console.error(`[browser] FAILED: ${errorText(error)}`);
          result.browser = browser.summary();
          await browser.close();
          browser = null;
        }
      }
      // A checkpoint after every round: a run cut short (timeout, Ctrl-C) still leaves its figures.
      writeJson({
        ...result,
        partial: true,
        native: native?.summary() ?? result.native,
        browser: browser?.summary() ?? result.browser,
      });
    }
  } finally {
    if (native) result.native = native.summary();
    if (browser) {
      result.browser = browser.summary();
      await browser.close();
    }
  }
  if (result.browser && result.recording) {
    const app = result.browser.runs[0];
    const same =
      app.stages.recipe.rows === result.recording.preparedTable.rows &&
      app.stages.customers.rows === result.recording.customersTable.rows;
    result.sameResults = same;
    if (!same) {
      result.errors.push('the browser and the recorded engine disagree on row counts');
      console.error('[bench] WARNING: the browser and the recorded engine made different row counts');
    }
  }
  if (result.native?.native && result.native?.native1 && result.browser) {
    // Round i's browser run against round i's native replays (adjacent in time, so under a
    // similar load from other processes); the median over rounds.
    const paired = (config, stage) =>
      median(
        result.browser.runs
          .map((run, i) => run.stages[stage].wallMs / config.runs[i]?.ms[stage])
          .filter((r) => Number.isFinite(r)),
      );
    result.pairedRatios = Object.fromEntries(
      STAGES.map((s) => [
        s,
        { wallToNative: paired(result.native.native, s), wallToNative1: paired(result.native.native1, s) },
      ]),
    );
    result.ratios = Object.fromEntries(
      STAGES.map((s) => [
        s,
        {
          wallToNative: result.browser.bestWall[s] / result.native.native.best[s],
          wallToNative1: result.browser.bestWall[s] / result.native.native1.best[s],
        },
      ]),
    );
  }
  report(result);
  if (result.pairedRatios) {
    console.log(
      `\npaired (browser run i / native run i of the same round, median over rounds): ` +
        STAGES.map(
          (st) =>
            `${st} ${result.pairedRatios[st].wallToNative.toFixed(2)}× / ${result.pairedRatios[st].wallToNative1.toFixed(2)}× (1t)`,
        ).join(', '),
    );
  }
  printBreakdown(result);
  if (result.browser) {
    const selfTest = result.browser.runs.map((r) => r.longTaskSelfTestMs.toFixed(0)).join(', ');
    console.log(`\nlong-task observer self-test (a 150 ms task in the app frame): seen as ${selfTest} ms`);
  }
  result.machine.loadavgAtEnd = loadavg();
  console.log(
    `load average at start / end: ${result.machine.loadavgAtStart.map((l) => l.toFixed(2)).join(' ')} / ${result.machine.loadavgAtEnd.map((l) => l.toFixed(2)).join(' ')} (2 cores, shared)`,
  );
  if (result.recording) {
    result.statements = Object.fromEntries(
      ['load', 'recipe', 'customers'].map((s) => [s, statementBreakdown(result, s)]),
    );
  }
  delete result.partial;
  writeJson(result);
  console.log(`\n[bench] wrote ${relative(process.cwd(), outFile)}`);
  return result.errors.length ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await main();
