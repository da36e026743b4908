// Forecast benchmark: seconds per training epoch of LSTM(32) on 2,000 windows × 28 steps × 1
// feature, batch 64, horizon 7 — per TF.js backend in headless Chromium and in Node, for the
// stock tf.layers model.fit (the baseline), ShopSight's tf.layers engine and its typed-array
// BPTT engine ('js'), against PyTorch on one thread. Prints a table, writes
// bench/out/forecast-<date>.json. See bench/forecast/README.md.
//
//   node bench/forecast/run.mjs [--epochs 3] [--cells lstm,gru] [--skip-node] [--skip-browser]
//                               [--skip-torch] [--slow-windows 256] [--out file.json]

import { openBenchPage, runTorch } from './harness.mjs';
import { errorText, log, machine, parseArgs, printTable, tsLoader, writeJson } from '../support/common.mjs';

const args = parseArgs(process.argv.slice(2));
const epochs = Number(args.epochs ?? 3);
const cells = String(args.cells ?? 'lstm').split(',');
// Software GPUs and tfjs-cpu take 5–75 s per full epoch; a subset of windows is timed
// and scaled (cost per batch is constant), so the whole bench stays within minutes.
const slowWindows = Number(args['slow-windows'] ?? 256);
const results = [];
const errors = [];

async function attempt(label, work) {
  try {
    const r = await work();
    results.push(r);
    log(`  ${label}: ${r.median.toFixed(3)} s/epoch${r.windows < 2000 ? ` (${r.windows} windows, scaled)` : ''}`);
  } catch (error) {
    errors.push({ label, error: errorText(error) });
    log(`  ${label}: FAILED ${errorText(error)}`);
  }
}

if (!args['skip-torch']) {
  for (const cell of cells) {
    const t = runTorch(cell, epochs);
    if (t.error) errors.push({ label: `torch ${cell}`, error: t.error });
    else {
      const median = [...t.seconds].sort((a, b) => a - b)[Math.floor(t.seconds.length / 2)];
      results.push({
        where: 'python',
        backend: 'torch 1 thread',
        engine: 'torch',
        cell,
        seconds: t.seconds,
        median,
        windows: 2000,
        torch: t.torch,
      });
      log(`  torch ${cell}: ${median.toFixed(3)} s/epoch`);
    }
  }
}

if (!args['skip-node']) {
  log('Node …');
  const loader = await tsLoader();
  try {
    const bench = await loader.load('/bench/forecast/lstm-bench.ts');
    const { useNodeBackend } = await loader.load('/bench/forecast/node-backends.ts');
    for (const cell of cells) {
      for (const [backend, engine, windows] of [
        ['wasm', 'layers-fit', 2000],
        ['wasm', 'layers', 2000],
        ['cpu', 'layers-fit', slowWindows],
        ['cpu', 'js-f64', 2000],
        ['cpu', 'js', 2000],
      ]) {
        await attempt(`node ${backend} ${engine} ${cell}`, async () => {
          await useNodeBackend(backend);
          const r = await bench.timeForecast(engine, epochs, cell, windows);
          return { where: 'node', ...r, backend: engine.startsWith('js') ? '(none: typed arrays)' : backend };
        });
      }
    }
  } finally {
    await loader.close();
  }
}

let browserInfo = null;
if (!args['skip-browser']) {
  log('Chromium …');
  try {
    const session = await openBenchPage();
    try {
      const probe = await session.page.evaluate(() => globalThis.shopsightBench.probe());
      browserInfo = { chromium: session.chromiumVersion, probe };
      log(
        `  probe: active ${probe.active} (${probe.reason}); ` +
          probe.candidates
            .map((c) => `${c.name}${c.available ? `=${c.msPerOp?.toFixed(2)}ms${c.software ? ' sw' : ''}` : ' n/a'}`)
            .join(', '),
      );
      for (const cell of cells) {
        const plan = [
          ['wasm', 'layers-fit', 2000],
          ['wasm', 'layers', 2000],
          ['wasm', 'js-f64', 2000],
          ['wasm', 'js', 2000],
          ['cpu', 'layers-fit', slowWindows],
          ['webgl', 'layers-fit', slowWindows],
          ['webgpu', 'layers-fit', Math.min(slowWindows, 128)],
        ];
        for (const [backend, engine, windows] of plan) {
          if (!probe.candidates.some((c) => c.name === backend && c.available)) continue;
          // Very slow backends get one timed epoch.
          const n = backend === 'webgpu' ? 1 : epochs;
          await attempt(`chromium ${backend} ${engine} ${cell}`, async () => {
            const r = await session.page.evaluate(
              ([b, e, k, c, w]) => globalThis.shopsightBench.forecast(b, e, k, c, w),
              [backend, engine, n, cell, windows],
            );
            return {
              where: 'chromium',
              ...r,
              backend: engine.startsWith('js') ? '(none: typed arrays)' : backend,
              software: probe.candidates.find((c) => c.name === backend)?.software,
            };
          });
        }
      }
      browserInfo.consoleErrors = session.consoleErrors;
      browserInfo.offOriginRequests = session.offOrigin;
    } finally {
      await session.close();
    }
  } catch (error) {
    errors.push({ label: 'chromium', error: errorText(error) });
    log(`  chromium: FAILED ${errorText(error)}`);
  }
}

const torchOf = (cell) => results.find((r) => r.engine === 'torch' && r.cell === cell)?.median;
const baselineOf = (where, cell) =>
  results.find((r) => r.where === where && r.backend === 'wasm' && r.engine === 'layers-fit' && r.cell === cell)
    ?.median;
log('');
log(
  `LSTM/GRU(32), 2,000 × 28 × 1, batch 64, horizon 7 — seconds per epoch (median of ${epochs}; load ${machine().loadavg})`,
);
printTable(
  ['where', 'backend', 'engine', 'cell', 's/epoch', '× torch', 'speed-up vs wasm model.fit'],
  results.map((r) => {
    const torch = torchOf(r.cell);
    const base = baselineOf(r.where, r.cell);
    return [
      r.where,
      r.backend + (r.software ? ' (software)' : ''),
      r.engine,
      r.cell,
      r.median.toFixed(3) + (r.windows < 2000 ? '*' : ''),
      torch ? (r.median / torch).toFixed(1) : '-',
      base && r.where !== 'python' ? (base / r.median).toFixed(2) : '-',
    ];
  }),
);
log('* timed on a subset of windows and scaled to 2,000');
const path = writeJson(
  'forecast',
  { when: new Date().toISOString(), machine: machine(), epochs, cells, results, browser: browserInfo, errors },
  args.out,
);
log(`JSON: ${path}`);
process.exit(errors.length ? 1 : 0);
