// Training benchmark: seconds per epoch of an MLP 50,000 × 20 → 64 → 1 (regression, batch 256)
// per TF.js backend in headless Chromium and in Node — the stock tf.layers model.fit and
// ShopSight's Mlp (raw variables, the shared training loop) — against PyTorch on one thread;
// then the fit time of the random forest and histogram boosting on Online Shoppers against
// scikit-learn on one thread, on the same encoded matrix.
// Prints tables, writes bench/out/train-<date>.json. See bench/forecast/README.md.
//
//   node bench/train/run.mjs [--epochs 3] [--tree-runs 3] [--skip-node] [--skip-browser]
//                            [--skip-torch] [--skip-trees] [--slow-rows 10000] [--out file.json]

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../e2e/support/serve.mjs';
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
      for (const engine of ['layers-fit', 'mlp', 'mlp-js']) {
        // The JS engine ignores the TF.js backend: time it once, under wasm.
        if (engine === 'mlp-js' && backend !== 'wasm') continue;
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
        for (const engine of ['layers-fit', 'mlp', 'mlp-js']) {
          if (engine === 'mlp-js' && backend !== 'wasm') continue;
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

const trees = { shopsight: null, sklearn: null };
if (!args['skip-trees']) {
  log('Trees (Online Shoppers, public/samples) …');
  const treeRuns = Number(args['tree-runs'] ?? 3);
  const matrix = join(tmpdir(), `shopsight-shoppers-${process.pid}.csv`);
  const loader = await tsLoader();
  try {
    const bench = await loader.load('/bench/train/trees-bench.ts');
    trees.shopsight = bench.timeTrees(join(repoRoot, 'public/samples/online_shoppers_intention.csv'), matrix, treeRuns);
    for (const t of trees.shopsight.timings) log(`  shopsight ${t.model}: ${median(t.seconds).toFixed(2)} s`);
  } catch (error) {
    errors.push({ label: 'trees (shopsight)', error: errorText(error) });
    log(`  shopsight trees: FAILED ${errorText(error)}`);
  } finally {
    await loader.close();
  }
  if (trees.shopsight) {
    const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    const run = spawnSync(python, [join(repoRoot, 'bench/train/trees_bench.py'), matrix, String(treeRuns)], {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    });
    if (run.status === 0) trees.sklearn = JSON.parse(run.stdout.trim().split('\n').pop());
    else {
      const reason = (run.stderr || run.error?.message || 'failed').trim().split('\n').pop();
      errors.push({ label: 'trees (sklearn)', error: `${reason} (apt-get install -y python3-sklearn)` });
      log(`  sklearn trees: FAILED ${reason}`);
    }
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
if (trees.shopsight) {
  const ref = (model) => trees.sklearn?.timings.find((t) => t.model === model);
  log('');
  log(
    `Tree fits on Online Shoppers (${trees.shopsight.rows.toLocaleString('en-US')} × ${trees.shopsight.cols}) — ` +
      `seconds per fit, median; sklearn ${trees.sklearn?.sklearn ?? '—'} with n_jobs=1, OMP_NUM_THREADS=1`,
  );
  printTable(
    ['model', 'ShopSight s', 'sklearn s', '× sklearn', 'train AUC (ours / sklearn)', 'iterations (ours / sklearn)'],
    trees.shopsight.timings.map((t) => {
      const r = ref(t.model);
      return [
        t.model,
        median(t.seconds).toFixed(2),
        r ? median(r.seconds).toFixed(2) : '-',
        r ? (median(t.seconds) / median(r.seconds)).toFixed(2) : '-',
        `${t.trainAuc.toFixed(4)} / ${r ? r.trainAuc.toFixed(4) : '-'}`,
        t.nIter === undefined ? '-' : `${t.nIter} / ${r?.nIter ?? '-'}`,
      ];
    }),
  );
}
const path = writeJson(
  'train',
  { when: new Date().toISOString(), machine: machine(), epochs, results, trees, browser: browserInfo, errors },
  args.out,
);
log(`JSON: ${path}`);
process.exit(errors.length ? 1 : 0);
