// k-means on 100,000 synthetic customers: ShopSight's TypeScript k-means (src/lib/ml/segment,
// as the ML worker runs it, here in Node) against scikit-learn's KMeans on the same data, same k
// and n_init, measured in the same run. Prints a table and writes bench/out/insights-<date>.json.
//
//   npm run bench:insights                      # 100,000 customers, k = 5, n_init = 10, 3 repeats
//   npm run bench:insights -- --rows 20000 --k 4 --restarts 4 --repeats 1
//   npm run bench:insights -- --service         # also time the whole segment() service (k 2–8)
//   npm run bench:insights -- --tf-backends wasm  # the TF.js assignment step on these Node backends

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, median, outDir, parseArgs, printTable, rng, tsLoader, writeJson } from '../support/common.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
if (args.help) {
  console.log(
    'options: --rows N (100000) --k K (5) --restarts N (10) --repeats N (3) --seed S (1) --service --json FILE\n' +
      '         --tf-backends wasm,cpu --tf-repeats N (= repeats) --no-tf',
  );
  process.exit(0);
}
const rows = Number(args.rows ?? 100_000);
const k = Number(args.k ?? 5);
const restarts = Number(args.restarts ?? 10);
const repeats = Number(args.repeats ?? 3);
const seed = Number(args.seed ?? 1);

/**
 * RFM-like customers from 5 behaviour groups: recency days (exponential), orders (geometric),
 * spend (log-normal), then log1p and z-scores — the features the Segments view clusters on.
 */
function customers(n, s) {
  const r = rng(s);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const groups = [
    { recency: 15, orders: 12, spend: 7.5 },
    { recency: 40, orders: 5, spend: 6.5 },
    { recency: 120, orders: 2, spend: 5.5 },
    { recency: 250, orders: 1.3, spend: 4.8 },
    { recency: 30, orders: 1.2, spend: 4.2 },
  ];
  const d = 3;
  const raw = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const g = groups[Math.floor(r() * groups.length)];
    raw[i * d] = Math.log1p(-g.recency * Math.log(1 - r()));
    raw[i * d + 1] = Math.log1p(1 + Math.floor(Math.log(1 - r()) / Math.log(1 - 1 / g.orders)));
    raw[i * d + 2] = Math.log1p(Math.exp(g.spend + 0.6 * normal()));
  }
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += raw[i * d + j];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (raw[i * d + j] - m) ** 2;
    const sd = Math.sqrt(v / n);
    for (let i = 0; i < n; i++) raw[i * d + j] = (raw[i * d + j] - m) / sd;
  }
  return { data: raw, nRows: n, nCols: d };
}

function sklearn(file, x, threads, times) {
  const env = { ...process.env };
  if (threads) Object.assign(env, { OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) });
  const py = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const out = spawnSync(
    py,
    [join(here, 'kmeans_bench.py'), file, String(x.nRows), String(x.nCols), String(k), String(restarts), String(times)],
    { encoding: 'utf8', env },
  );
  if (out.status !== 0) return { error: (out.stderr || out.error?.message || 'failed').trim().split('\n').pop() };
  return JSON.parse(out.stdout.trim().split('\n').pop());
}

const loader = await tsLoader();
const results = { rows, k, restarts, repeats, seed, machine: machine() };
try {
  const seg = await loader.load('/src/lib/ml/segment/index.ts');
  const x = customers(rows, seed);
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `insights-customers-${rows}-seed${seed}.bin`);
  writeFileSync(file, Buffer.from(x.data.buffer));

  // Warm-up on a slice (JIT), then the timed fits.
  seg.kmeans({ data: x.data.subarray(0, 10_000 * x.nCols), nRows: 10_000, nCols: x.nCols }, k, { nInit: 2, seed: 99 });
  // Repeats interleave ours and sklearn's (1 thread), so a load change on the shared machine
  // hits both alike; sklearn with its default threads runs after.
  const ours = [];
  const oneThread = [];
  let first;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    const fit = seg.kmeans(x, k, { nInit: restarts, seed: r });
    ours.push(performance.now() - t0);
    if (r === 0) first = fit;
    oneThread.push(sklearn(file, x, 1, 1));
  }
  // Silhouette on a 2,000-row sample, as the Segments view computes it.
  const t0 = performance.now();
  const silhouette = seg.silhouetteScore(x, first.labels, { sampleSize: 2000, seed: 0 });
  const silhouetteMs = performance.now() - t0;
  results.shopsight = {
    ms: ours,
    inertia: first.inertia,
    nIter: first.nIter,
    silhouette2000: silhouette,
    silhouetteMs,
  };
  results.sklearnDefault = sklearn(file, x, null, repeats);
  const failed = oneThread.find((o) => o.error);
  results.sklearnOneThread = failed ?? { ...oneThread[0], ms: oneThread.flatMap((o) => o.ms) };

  // The same k-means with the assignment step on TF.js (ml/tf/kmeans-tf.ts), per Node backend:
  // same seeds, so the labels must equal the JS fit's; only the time differs.
  results.tf = {};
  if (!args['no-tf']) {
    const { useNodeBackend } = await loader.load('/bench/forecast/node-backends.ts');
    const ktf = await loader.load('/src/lib/ml/tf/kmeans-tf.ts');
    for (const backend of String(args['tf-backends'] ?? 'wasm,cpu').split(',')) {
      await useNodeBackend(backend);
      const slice = { data: x.data.subarray(0, 10_000 * x.nCols), nRows: 10_000, nCols: x.nCols };
      await ktf.kmeansTf(slice, k, { nInit: 1, seed: 99 });
      const ms = [];
      let fit0;
      for (let r = 0; r < Number(args['tf-repeats'] ?? repeats); r++) {
        const t0 = performance.now();
        const fit = await ktf.kmeansTf(x, k, { nInit: restarts, seed: r });
        ms.push(performance.now() - t0);
        if (r === 0) fit0 = fit;
      }
      results.tf[backend] = {
        ms,
        medianMs: median(ms),
        inertia: fit0.inertia,
        nIter: fit0.nIter,
        assignSteps: fit0.stats.calls,
        refinedRows: fit0.stats.refined,
        sameLabelsAsJs: fit0.labels.every((l, i) => l === first.labels[i]),
        inertiaRelDiffVsJs: Math.abs(fit0.inertia - first.inertia) / first.inertia,
      };
    }
  }

  if (args.service) {
    const { createNodeDb } = await loader.load('/src/test/duckdb-node.ts');
    const { DataEngine, engineFrameSource } = await loader.load('/src/lib/data/engine.ts');
    const { bufferRegistrar } = await loader.load('/src/lib/data/ingest/registrar.ts');
    const { MlContext } = await loader.load('/src/lib/ml/services/context.ts');
    const { createSegmentsApi } = await loader.load('/src/lib/ml/services/segments-service.ts');
    const db = await createNodeDb();
    const engine = new DataEngine(db, bufferRegistrar(db.bindings));
    const lines = ['customer_id,recency_days,frequency,monetary_total'];
    for (let i = 0; i < rows; i++)
      lines.push(`C${i},${x.data[i * 3].toFixed(6)},${x.data[i * 3 + 1].toFixed(6)},${x.data[i * 3 + 2].toFixed(6)}`);
    await engine.loadFile('load', lines.join('\n'), 'customers.csv', {});
    await engine.setColumnRole('customers', 'customer_id', 'customer_id');
    const api = createSegmentsApi(new MlContext(engineFrameSource(engine)));
    const s0 = performance.now();
    const res = await api.segment('bench', { table: 'customers', kRange: [2, 8], restarts, scale: 'standard' });
    results.service = { ms: performance.now() - s0, k: res.k, scores: res.scores, silhouetteRows: res.silhouetteRows };
    db.bindings.reset();
  }
} finally {
  await loader.close();
}

const fmt = (ms) => (ms === undefined ? '—' : `${(ms / 1000).toFixed(2)} s`);
const ourMs = median(results.shopsight.ms);
const table = [
  ['ShopSight kmeans (TypeScript, Node, 1 thread)', fmt(ourMs), results.shopsight.inertia.toFixed(3), '1.00×'],
];
for (const [backend, r] of Object.entries(results.tf))
  table.push([
    `ShopSight kmeans, assignment on TF.js ${backend} (Node)${r.sameLabelsAsJs ? ', same labels' : ', LABELS DIFFER'}`,
    fmt(r.medianMs),
    r.inertia.toFixed(3),
    `${(r.medianMs / ourMs).toFixed(2)}× (TF/JS)`,
  ]);
for (const [name, r] of [
  ['scikit-learn KMeans (default threads)', results.sklearnDefault],
  ['scikit-learn KMeans (1 thread)', results.sklearnOneThread],
]) {
  if (r.error) table.push([name, 'failed', r.error, '']);
  else {
    r.medianMs = median(r.ms);
    r.ratio = ourMs / r.medianMs;
    table.push([
      `${name}, ${r.threads} thr, ${r.sklearn}`,
      fmt(r.medianMs),
      r.inertia.toFixed(3),
      `${r.ratio.toFixed(2)}× (ours/sklearn)`,
    ]);
  }
}
if (results.service)
  table.push([
    'segment() service, k 2–8 + silhouettes, node DuckDB',
    fmt(results.service.ms),
    `k=${results.service.k}`,
    '',
  ]);
console.log(
  `\nk-means, ${rows.toLocaleString('en')} customers × 3 features, k = ${k}, n_init = ${restarts}, median of ${repeats}`,
);
printTable(['implementation', 'time', 'inertia', 'ratio'], table);
console.log(
  `silhouette (2,000-row sample): ${results.shopsight.silhouette2000.toFixed(4)} in ${fmt(results.shopsight.silhouetteMs)}`,
);
results.shopsight.medianMs = ourMs;
console.log(`\nwrote ${writeJson('insights', results, args.json)}`);
