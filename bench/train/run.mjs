// Training benchmark: seconds per epoch of an MLP 50,000 × 20 → 64 → 1 (regression, batch 256)
// per TF.js backend in headless Chromium and in Node — the stock tf.layers model.fit and
// ShopSight's Mlp (raw variables, the shared training loop) — against PyTorch on one thread.
// Prints a table, writes bench/out/train-<date>.json. See bench/forecast/README.md.
//
//   node bench/train/run.mjs [--epochs 3] [--skip-node] [--skip-browser] [--skip-torch]
//                            [--slow-rows 10000] [--out file.json]

import { openBenchPage, runTorch } from '../forecast/harness.mjs';
import { errorText, log, machine, median, parseArgs, printTable, tsLoader, writeJson } from '../support/common.mjs';

const args = parseArgs(process.argv.slice(2));
const epochs = Number(args.epochs ?? 3);
// SwiftShader WebGPU takes ~13 s per full epoch: time a subset and scale it.
const slowRows = Number(args['slow-rows'] ?? 10_000);
const results = [];
const errors = [];

async function attempt(label, work) {
  try {
    const r = await work();
    results.push(r);
    log(`  ${label}: ${r.median.toFixed(3)} s/epoch${r.rows < 50_000 ? ` (${r.rows} rows, scaled)` : ''}`);
  } catch (error) {
    errors.push({ label, error: errorText(error) });
    log(`  ${label}: FAILED ${errorText(error)}`);
  }
}

if (!args['skip-torch']) {
  const t = runTorch('mlp', epochs);
  if (t.error) errors.push({ label: 'torch', error: t.error });
  else {
    results.push({
      where: 'python',
      backend: 'torch 1 thread',
      engine: 'torch',
      seconds: t.seconds,
      median: median(t.seconds),
      rows: 50_000,
    });
    log(`  torch: ${median(t.seconds).toFixed(3)} s/epoch`);
  }
}

if (!args['skip-node']) {
  log('Node …');
  const loader = await tsLoader();
  try {
    const bench = await loader.load('/bench/train/mlp-bench.ts');
    const { useNodeBackend } = await loader.load('/bench/forecast/node-backends.ts');
    for (const backend of ['wasm', 'cpu']) {
      for (const engine of ['layers-fit', 'mlp']) {
        await attempt(`node ${backend} ${engine}`, async () => {
          await useNodeBackend(backend);
          return { where: 'node', ...(await bench.timeMlp(engine, epochs, backend === 'cpu' ? slowRows : 50_000)) };
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
      for (const backend of ['wasm', 'webgl', 'cpu', 'webgpu']) {
        const candidate = probe.candidates.find((c) => c.name === backend);
        if (!candidate?.available) continue;
        const rows = backend === 'wasm' ? 50_000 : slowRows;
        for (const engine of ['layers-fit', 'mlp']) {
          await attempt(`chromium ${backend} ${engine}`, async () => {
            const r = await session.page.evaluate(
              ([b, e, k, n]) => globalThis.shopsightBench.mlp(b, e, k, n),
              [backend, engine, epochs, rows],
            );
            return { where: 'chromium', ...r, software: candidate.software };
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

const torch = results.find((r) => r.engine === 'torch')?.median;
log('');
log(`MLP 50,000 × 20 → 64 → 1, batch 256 — seconds per epoch (median of ${epochs}; load ${machine().loadavg})`);
printTable(
  ['where', 'backend', 'engine', 's/epoch', '× torch'],
  results.map((r) => [
    r.where,
    r.backend + (r.software ? ' (software)' : ''),
    r.engine,
    r.median.toFixed(3) + (r.rows < 50_000 ? '*' : ''),
    torch ? (r.median / torch).toFixed(1) : '-',
  ]),
);
log('* timed on a subset of rows and scaled to 50,000');
const path = writeJson(
  'train',
  { when: new Date().toISOString(), machine: machine(), epochs, results, browser: browserInfo, errors },
  args.out,
);
log(`JSON: ${path}`);
process.exit(errors.length ? 1 : 0);
