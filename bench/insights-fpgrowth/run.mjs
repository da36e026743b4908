// FP-Growth benchmark: ShopSight's FP-Growth (src/lib/ml/recommend/fp-growth.ts, in Node) on
// 100,000 synthetic baskets, against a native reference measured in the same run. mlxtend is
// not packaged in Debian (and would be pandas/Python anyway), so the native reference is DuckDB
// (C++, @duckdb/node-api) counting frequent items and item pairs with SQL — the same pair
// supports FP-Growth must find at maxLength 2, which this script also checks for equality.
// Prints a table and writes bench/out/fpgrowth-<date>.json.
//
//   npm run bench:fpgrowth -- [--baskets 100000] [--items 1000] [--seed 42] [--runs 3]
//                             [--supports 0.01,0.005,0.002] [--out file.json]

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorText, log, machine, parseArgs, printTable, rng, tsLoader, writeJson } from '../support/common.mjs';

const args = parseArgs(process.argv.slice(2));
const nBaskets = Number(args.baskets ?? 100_000);
const nItems = Number(args.items ?? 1000);
const seed = Number(args.seed ?? 42);
const runs = Number(args.runs ?? 3);
const supports = String(args.supports ?? '0.01,0.005,0.002')
  .split(',')
  .map(Number);

/** Baskets of 1–10 items, Zipf(1) popularity over `nItems`, plus 20 planted item pairs. */
function generate() {
  const r = rng(seed);
  const weights = Array.from({ length: nItems }, (_, i) => 1 / (i + 1));
  const cum = [];
  let total = 0;
  for (const w of weights) cum.push((total += w));
  const draw = () => {
    const x = r() * total;
    let lo = 0;
    let hi = nItems - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const planted = Array.from({ length: 20 }, (_, i) => [50 + 2 * i, 51 + 2 * i]);
  const baskets = [];
  for (let b = 0; b < nBaskets; b++) {
    const set = new Set();
    const size = 1 + Math.floor(-Math.log(1 - r()) * 3);
    while (set.size < Math.min(size, 10)) set.add(draw());
    if (r() < 0.08) for (const it of planted[Math.floor(r() * planted.length)]) set.add(it);
    baskets.push(Int32Array.from(set).sort());
  }
  return baskets;
}

const best = (xs) => Math.min(...xs);
const time = async (work) => {
  const t0 = performance.now();
  const out = await work();
  return { ms: performance.now() - t0, out };
};

const baskets = generate();
const nLines = baskets.reduce((s, b) => s + b.length, 0);
log(
  `${nBaskets.toLocaleString('en')} baskets, ${nLines.toLocaleString('en')} lines, ${nItems} items (seed ${seed}); best of ${runs} runs`,
);

const loader = await tsLoader();
const { fpGrowth, associationRules } = await loader.load('/src/lib/ml/recommend/fp-growth.ts');

const duckdb = await import('@duckdb/node-api');
const instance = await duckdb.DuckDBInstance.create(':memory:');
const db = await instance.connect();
await db.run('SET autoinstall_known_extensions = false');
await db.run('SET autoload_known_extensions = false');
const dir = mkdtempSync(join(tmpdir(), 'fpgrowth-'));
const csv = join(dir, 'lines.csv');
writeFileSync(csv, `basket,item\n${baskets.flatMap((b, i) => Array.from(b, (it) => `${i},${it}`)).join('\n')}\n`);
await db.run(`CREATE TABLE t AS SELECT * FROM read_csv('${csv}', columns = {'basket': 'INTEGER', 'item': 'INTEGER'})`);
rmSync(dir, { recursive: true, force: true });
const threadsAll = Number((await db.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0]);

const pairSql = (minCount) => `
  WITH f AS (SELECT item FROM t GROUP BY item HAVING count(DISTINCT basket) >= ${minCount}),
  l AS (SELECT DISTINCT basket, item FROM t SEMI JOIN f USING (item))
  SELECT a.item AS a, b.item AS b, count(*)::INTEGER AS c FROM l a JOIN l b ON a.basket = b.basket AND a.item < b.item
  GROUP BY 1, 2 HAVING count(*) >= ${minCount}`;

const rows = [];
const results = [];
for (const minSupport of supports) {
  const minCount = Math.max(1, Math.ceil(minSupport * nBaskets - 1e-9));
  const entry = { minSupport, minCount };
  try {
    const full = [];
    let sets;
    for (let i = 0; i < runs; i++) {
      const r = await time(() => fpGrowth(baskets, { minSupport }));
      full.push(r.ms);
      sets = r.out;
    }
    const rulesRun = await time(() => associationRules(sets, nBaskets, { minConfidence: 0.1 }));
    const pairsJs = [];
    let sets2;
    for (let i = 0; i < runs; i++) {
      const r = await time(() => fpGrowth(baskets, { minSupport, maxLength: 2 }));
      pairsJs.push(r.ms);
      sets2 = r.out;
    }
    const native = {};
    let nativePairs;
    for (const threads of [1, threadsAll]) {
      await db.run(`SET threads = ${threads}`);
      const ms = [];
      for (let i = 0; i < runs; i++) {
        const r = await time(async () => (await db.runAndReadAll(pairSql(minCount))).getRows());
        ms.push(r.ms);
        nativePairs = r.out;
      }
      native[threads] = best(ms);
    }
    // The pair supports must agree exactly.
    const js = new Map(sets2.filter((s) => s.items.length === 2).map((s) => [s.items.join(','), s.count]));
    const same = nativePairs.length === js.size && nativePairs.every(([a, b, c]) => js.get(`${a},${b}`) === Number(c));
    Object.assign(entry, {
      itemsets: sets.length,
      maxLength: Math.max(...sets.map((s) => s.items.length)),
      rules: rulesRun.out.length,
      pairs: js.size,
      jsFullMs: best(full),
      jsRulesMs: rulesRun.ms,
      jsPairsMs: best(pairsJs),
      duckdbPairsMs1: native[1],
      duckdbPairsMsAll: native[threadsAll],
      pairsIdentical: same,
    });
    rows.push([
      minSupport,
      sets.length,
      entry.maxLength,
      js.size,
      entry.jsFullMs.toFixed(0),
      entry.jsPairsMs.toFixed(0),
      entry.duckdbPairsMs1.toFixed(0),
      entry.duckdbPairsMsAll.toFixed(0),
      (entry.jsPairsMs / entry.duckdbPairsMs1).toFixed(2),
      same ? 'yes' : 'NO',
    ]);
  } catch (error) {
    entry.error = errorText(error);
    rows.push([minSupport, 'error', entry.error]);
  }
  results.push(entry);
}
log('');
printTable(
  [
    'min support',
    'itemsets',
    'max len',
    'pairs',
    'FP-Growth ms',
    'FP-Growth pairs ms',
    'DuckDB pairs ms (1 thr)',
    `DuckDB pairs ms (${threadsAll} thr)`,
    'ratio vs 1 thr',
    'pairs equal',
  ],
  rows,
);
const path = writeJson('fpgrowth', {
  what: 'FP-Growth (TypeScript, Node) vs DuckDB SQL pair counting (native C++) on synthetic baskets',
  baskets: nBaskets,
  lines: nLines,
  items: nItems,
  seed,
  runs,
  machine: machine(),
  results,
});
log(`\nwrote ${path}`);
await loader.close();
db.closeSync?.();
