/**
 * Segments and anomalies (issue 6) on the ML worker: read a table through the `FrameSource`,
 * fit the pure models of `ml/segment` and `ml/anomaly`, write the per-row result as a derived
 * table and return a small summary. Restarts and tree batches check the job's cancel flag.
 */
import type { ColumnInfo, ProgressCallback, TableInfo } from '../../contracts/data-api';
import type { Frame, FrameColumn, FrameSource, JobToken } from '../../contracts/frame';
import type {
  AnomalyMethod,
  AnomalyReason,
  AnomalyRequest,
  AnomalyResult,
  FlaggedRow,
  RfmSegmentCount,
  SegmentKScore,
  SegmentProfileInfo,
  SegmentCategoryShare,
  SegmentCategorySource,
  SegmentDistanceEngine,
  SegmentDistanceInfo,
  SegmentRequest,
  SegmentResult,
  SegmentScale,
  SegmentsApi,
} from '../../contracts/segments-api';
import { type Matrix } from '../segment/matrix';
import { standardize } from '../segment/matrix';
import { type AssignStep, kmeansPlusPlus, lloyd, lloydWith, type KMeansResult } from '../segment/kmeans';
import * as tf from '@tensorflow/tfjs';
import { TfKMeansAssigner } from '../tf/kmeans-tf';
import { createRng, deriveSeed, shuffleInPlace } from '../segment/prng';
import { silhouetteScore } from '../segment/silhouette';
import { pca } from '../segment/pca';
import { suggestAction, topCategoriesPerSegment } from '../segment/profile';
import { anomalyScores, fitIsolationForest, pathAttribution, type IsolationForest } from '../anomaly/isolation-forest';
import { explainRow, fitRobustScale, median, robustZScores } from '../anomaly/robust';
import type { MlContext } from './context';
import { yielder } from './jobs';

/** The RFM segment names of the customer builder, in its order (kept in sync with features/customers.ts). */
const RFM_ORDER = [
  'Champions',
  'Loyal Customers',
  'Potential Loyalists',
  'New Customers',
  'Promising',
  'Need Attention',
  'About to Sleep',
  "Can't Lose Them",
  'At Risk',
  'Lost',
  'Hibernating',
];

const NUMERIC_TYPES =
  /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|REAL|DOUBLE|DECIMAL|BOOLEAN)/i;
const ID_ROLES = new Set(['order_id', 'customer_id', 'product_id', 'product_name', 'category', 'country', 'timestamp']);
const MAX_POINTS = 5000;

interface ErrorInfo {
  code: string;
  message: string;
  params?: Record<string, string | number>;
}
function fail(info: ErrorInfo): never {
  throw info;
}

export function isNumericColumn(c: ColumnInfo): boolean {
  return NUMERIC_TYPES.test(c.type);
}

/** Which R, F and M columns a customer table has (by the builder's names, then by name patterns). */
export function rfmColumns(columns: readonly ColumnInfo[]): {
  recency: string | null;
  frequency: string | null;
  monetary: string | null;
} {
  const numeric = columns.filter(isNumericColumn).map((c) => c.name);
  const find = (exact: string, pattern: RegExp) =>
    numeric.find((n) => n === exact) ?? numeric.find((n) => pattern.test(n) && !/score/i.test(n)) ?? null;
  return {
    recency: find('recency_days', /recen/i),
    frequency: find('frequency', /freq|order_count|n_orders|orders$/i),
    monetary: find('monetary_total', /monet|spend|revenue|sales|total|amount/i),
  };
}

/** The default segmentation features: R, F, M when present, else every numeric non-id, non-score column. */
export function defaultSegmentFeatures(info: TableInfo): string[] {
  const rfm = rfmColumns(info.columns);
  const picked = [rfm.recency, rfm.frequency, rfm.monetary].filter((c): c is string => c !== null);
  if (picked.length >= 2) return picked;
  return info.columns
    .filter((c) => isNumericColumn(c) && !ID_ROLES.has(c.role) && !/(_score|_id)$|^id$/i.test(c.name))
    .map((c) => c.name);
}

function checkNumeric(info: TableInfo, features: readonly string[]): void {
  if (features.length === 0)
    fail({
      code: 'no_numeric_features',
      message: `Table "${info.name}" has no numeric columns to use.`,
      params: { table: info.name },
    });
  for (const f of features) {
    const c = info.columns.find((x) => x.name === f);
    if (!c) fail({ code: 'unknown_column', message: `No column "${f}".`, params: { column: f } });
    if (!isNumericColumn(c))
      fail({
        code: 'feature_not_numeric',
        message: `"${f}" is ${c.type}, not a number.`,
        params: { column: f, type: c.type },
      });
  }
}

function numberValues(frame: Frame, name: string): Float64Array {
  const c = frame.columns.find((x) => x.name === name);
  if (!c || c.kind === 'string')
    fail({
      code: 'feature_not_numeric',
      message: `"${name}" is not a number.`,
      params: { column: name, type: 'text' },
    });
  return c.values;
}

function keyText(column: FrameColumn, i: number): string {
  const v = column.values[i];
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isNaN(v) ? '' : String(v);
  return v;
}

/** Sample skewness (population moments); 0 for constant columns. */
function skewness(values: Float64Array): number {
  const n = values.length;
  if (n < 3) return 0;
  let m = 0;
  for (const v of values) m += v;
  m /= n;
  let m2 = 0;
  let m3 = 0;
  for (const v of values) {
    const d = v - m;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= n;
  m3 /= n;
  return m2 > 0 ? m3 / Math.pow(m2, 1.5) : 0;
}

/** Row-major matrix from columns (rows given by `rows`). */
function matrixOf(columns: readonly Float64Array[], rows: Int32Array): Matrix & { data: Float64Array } {
  const d = columns.length;
  const data = new Float64Array(rows.length * d);
  rows.forEach((r, i) => {
    for (let j = 0; j < d; j++) data[i * d + j] = columns[j]![r]!;
  });
  return { data, nRows: rows.length, nCols: d };
}

function progressOf(onProgress: ProgressCallback | undefined) {
  return (phase: 'read' | 'train' | 'evaluate' | 'score' | 'write', done: number, total: number, detail?: string) => {
    try {
      onProgress?.({ phase, done, total, ...(detail ? { detail } : {}) });
    } catch {
      // A progress proxy whose page went away must not fail the job.
    }
  };
}

/** Seeded sample of `size` indices out of `n` (all of them, in order, when n ≤ size). */
function sampleIndices(n: number, size: number, seed: number): Int32Array {
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  if (n <= size) return idx;
  shuffleInPlace(idx, createRng(seed));
  return idx.slice(0, size).sort();
}

/**
 * k-means with `restarts` seeded k-means++ restarts (as `kmeans` in ml/segment), checking cancel
 * between restarts; `assign` (the TF.js step) replaces the JS assignment when given.
 */
async function kmeansCancellable(
  x: Matrix,
  k: number,
  restarts: number,
  seed: number,
  token: JobToken,
  step: () => Promise<void>,
  assign?: AssignStep,
): Promise<KMeansResult> {
  let best: KMeansResult | undefined;
  for (let r = 0; r < restarts; r++) {
    token.throwIfCancelled();
    const init = kmeansPlusPlus(x, k, createRng(deriveSeed(seed, r)));
    const res = assign ? await lloydWith(x, init, assign) : lloyd(x, init);
    if (!best || res.inertia < best.inertia) best = res;
    await step();
  }
  return best!;
}

/** Whether the distances run on TF.js: asked for, or 'auto' on a GPU backend (on wasm/cpu the JS loop measured faster). */
export function usesTfDistances(requested: SegmentDistanceEngine, backend: string): boolean {
  return requested === 'tf' || (requested === 'auto' && (backend === 'webgpu' || backend === 'webgl'));
}

/**
 * Runs `fitAll` with the TF.js assignment step when `requested` says so, else with the JS one;
 * when TF.js fails (e.g. a WebGPU kernel is missing) it runs again on the JS path and says why.
 */
async function fitWithEngine(
  x: Matrix,
  requested: SegmentDistanceEngine,
  fitAll: (assign?: AssignStep) => Promise<void>,
): Promise<SegmentDistanceInfo> {
  const info: SegmentDistanceInfo = { requested, engine: 'js', backend: null, refinedRows: 0 };
  let backend: string;
  try {
    // In the ML worker the backend was chosen by measurement already; elsewhere this starts the default.
    if (requested !== 'js') await tf.ready();
    backend = tf.getBackend() ?? '';
  } catch {
    backend = ''; // No backend could initialise: the JS path.
  }
  if (!backend || !usesTfDistances(requested, backend)) {
    if (requested === 'tf') info.fallback = 'no TF.js backend';
    await fitAll();
    return info;
  }
  let assigner: TfKMeansAssigner | null = null;
  try {
    assigner = new TfKMeansAssigner(x);
    await fitAll(assigner.assign);
    return { ...info, engine: 'tf', backend: assigner.backend, refinedRows: assigner.stats.refined };
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === 'cancelled') throw error;
    info.fallback = error instanceof Error ? error.message : String((error as { message?: unknown })?.message ?? error);
    await fitAll();
    return info;
  } finally {
    assigner?.dispose();
  }
}

/** The elbow of log(inertia) versus k: the point farthest below the first–last chord. */
function elbowOf(scores: readonly SegmentKScore[]): number {
  if (scores.length < 3) return scores[0]?.k ?? 2;
  const y = scores.map((p) => Math.log(Math.max(p.inertia, 1e-300)));
  const first = scores[0]!;
  const last = scores[scores.length - 1]!;
  let bestK = first.k;
  let bestGap = -Infinity;
  scores.forEach((p, i) => {
    const t = (p.k - first.k) / (last.k - first.k);
    const gap = y[0]! + t * (y[y.length - 1]! - y[0]!) - y[i]!;
    if (gap > bestGap) {
      bestGap = gap;
      bestK = p.k;
    }
  });
  return bestK;
}

/** The order-lines column the top categories come from: a category, else product names, else ids. */
export function categoryColumn(info: TableInfo): SegmentCategorySource | null {
  for (const kind of ['category', 'product_name', 'product_id'] as const) {
    const c = info.columns.find((col) => col.role === kind);
    if (c) return { table: info.name, column: c.name, kind };
  }
  return null;
}

/**
 * The top `top` categories of each segment by share of its net revenue, from the order lines of
 * its customers (line amount, else quantity × unit price; returns net out). `labelOf` maps a
 * customer key to its segment label 0…k−1. Null when no orders table is known or it lacks the
 * columns (an explicitly named one fails instead, saying which role is missing).
 */
async function segmentCategories(
  source: FrameSource,
  customers: TableInfo,
  explicit: string | undefined,
  column: string | undefined,
  labelOf: ReadonlyMap<string, number>,
  k: number,
  top = 3,
): Promise<{ source: SegmentCategorySource; top: SegmentCategoryShare[][] } | null> {
  const name = explicit ?? (customers.derived?.kind === 'customers' ? customers.derived.from : undefined);
  if (!name) return null;
  let orders: TableInfo;
  try {
    orders = await source.describe(name);
  } catch (error) {
    if (explicit) throw error;
    return null; // The orders table was dropped since: the profiles go without categories.
  }
  const role = (r: string) => orders.columns.find((c) => c.role === r)?.name;
  const customer = role('customer_id');
  let category = categoryColumn(orders);
  if (column) {
    const c = orders.columns.find((col) => col.name === column);
    if (!c) fail({ code: 'unknown_column', message: `No column "${column}".`, params: { column } });
    category = { table: orders.name, column: c.name, kind: c.role === 'category' ? 'category' : 'column' };
  }
  const amount = role('line_amount');
  const qty = role('quantity');
  const price = role('unit_price');
  const missing = !customer
    ? 'customer_id'
    : !category
      ? 'category'
      : !amount && !(qty && price)
        ? 'line_amount'
        : null;
  if (missing) {
    if (!explicit) return null;
    if (missing === 'customer_id')
      fail({
        code: 'no_customer_id',
        message: `Table "${orders.name}" has no column with the role customer_id.`,
        params: { table: orders.name },
      });
    fail({ code: 'missing_role', message: `No column has the role "${missing}".`, params: { role: missing } });
  }
  const cols = [customer!, category!.column, ...(amount ? [amount] : [qty!, price!])];
  const frame = await source.readFrame({ table: orders.name, columns: [...new Set(cols)] });
  const get = (n: string) => frame.columns.find((c) => c.name === n)!;
  const ids = get(customer!);
  const cats = get(category!.column);
  const num = (c: FrameColumn, i: number) =>
    c.kind === 'string' ? Number.parseFloat(c.values[i] ?? '') : c.values[i]!;
  const amountCol = amount ? get(amount) : null;
  const qtyCol = amount ? null : get(qty!);
  const priceCol = amount ? null : get(price!);
  const n = frame.nRows;
  const segmentOf = new Int32Array(n);
  const names: (string | null)[] = new Array<string | null>(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    segmentOf[i] = labelOf.get(keyText(ids, i)) ?? -1;
    const cat = keyText(cats, i);
    names[i] = cat === '' ? null : cat;
    values[i] = amountCol ? num(amountCol, i) : num(qtyCol!, i) * num(priceCol!, i);
  }
  const result = topCategoriesPerSegment(segmentOf, names, values, k, top);
  return { source: category!, top: result };
}

export async function runSegment(
  context: MlContext,
  token: JobToken,
  request: SegmentRequest,
  onProgress?: ProgressCallback,
): Promise<SegmentResult> {
  const started = performance.now();
  const progress = progressOf(onProgress);
  const step = yielder();
  const source = context.source;
  const info = await source.describe(request.table);
  const idColumn = info.columns.find((c) => c.role === 'customer_id');
  if (!idColumn)
    fail({
      code: 'no_customer_id',
      message: `Table "${info.name}" has no column with the role customer_id. Build a customer table first or set the role.`,
      params: { table: info.name },
    });
  const features = request.features?.length ? [...request.features] : defaultSegmentFeatures(info);
  checkNumeric(info, features);
  const rfm = rfmColumns(info.columns);
  const hasRfmSegment = info.columns.some((c) => c.name === 'rfm_segment');
  const extra = [rfm.recency, rfm.frequency, rfm.monetary].filter(
    (c): c is string => c !== null && !features.includes(c),
  );
  const seed = request.seed ?? 0;
  const restarts = Math.max(1, Math.min(50, Math.round(request.restarts ?? 10)));
  const scale: SegmentScale = request.scale ?? 'log';
  progress('read', 0, 1);
  const frame = await source.readFrame({
    table: info.name,
    columns: [idColumn.name, ...features, ...extra, ...(hasRfmSegment ? ['rfm_segment'] : [])],
  });
  progress('read', 1, 1);
  const ids = frame.columns[0]!;
  const seen = new Set<string>();
  for (let i = 0; i < frame.nRows; i++) {
    const key = keyText(ids, i);
    if (seen.has(key))
      fail({
        code: 'segments_not_customer_table',
        message: `"${info.name}" has several rows per customer (${ids.name} "${key}" repeats): build a customer table first (Prepare → Build features).`,
        params: { table: info.name, column: ids.name },
      });
    seen.add(key);
  }
  const raw = features.map((f) => numberValues(frame, f));
  const keep: number[] = [];
  for (let i = 0; i < frame.nRows; i++) if (raw.every((col) => Number.isFinite(col[i]!))) keep.push(i);
  const rows = Int32Array.from(keep);
  const n = rows.length;

  const [kLo, kHi] = request.kRange ?? [2, 8];
  const kMin = Math.max(2, Math.round(Math.min(kLo, kHi)));
  const kMaxWanted = Math.max(kMin, Math.round(Math.max(kLo, kHi)));
  if (n < kMin + 1 || (request.k !== undefined && n < request.k + 1))
    fail({
      code: 'segments_too_few_rows',
      message: `${n} customers with all features are too few for ${request.k ?? kMin} segments.`,
      params: {
        rows: n,
        k: request.k ?? kMin,
      },
    });
  const kMax = Math.min(kMaxWanted, n - 1);

  // Scale: log1p on skewed non-negative columns (money and counts are long-tailed), then z-scores.
  const logged: string[] = [];
  const scaledCols = raw.map((col, j) => {
    const vals = Float64Array.from(rows, (r) => col[r]!);
    if (scale === 'log' && vals.every((v) => v >= 0) && skewness(vals) > 1) {
      logged.push(features[j]!);
      return vals.map((v) => Math.log1p(v));
    }
    return vals;
  });
  const unscaled = matrixOf(
    scaledCols,
    Int32Array.from({ length: n }, (_, i) => i),
  );
  const { matrix: x, std } = standardize(unscaled);
  if (std.every((s) => !(s > 0)))
    fail({
      code: 'all_values_identical',
      message: 'Every customer has the same values in the chosen features: nothing to segment.',
      params: {
        table: info.name,
      },
    });

  // Elbow and silhouette for every k; the silhouette on one seeded sample shared by all k.
  const silRows = Math.min(n, Math.max(100, Math.round(request.silhouetteSample ?? 2000)));
  const ks: number[] = [];
  for (let k = kMin; k <= kMax; k++) ks.push(k);
  if (request.k !== undefined && !ks.includes(request.k)) ks.push(request.k);
  ks.sort((a, b) => a - b);
  const total = ks.length * (restarts + 1);
  let done = 0;
  const fits = new Map<number, KMeansResult>();
  const scores: SegmentKScore[] = [];
  const fitAll = async (assign?: AssignStep): Promise<void> => {
    done = 0;
    fits.clear();
    scores.length = 0;
    for (const k of ks) {
      const res = await kmeansCancellable(
        x,
        k,
        restarts,
        seed,
        token,
        async () => {
          done++;
          progress('train', done, total, `k = ${k}`);
          await step();
        },
        assign,
      );
      fits.set(k, res);
      token.throwIfCancelled();
      const sil = silhouetteScore(x, res.labels, silRows < n ? { sampleSize: silRows, seed } : {});
      done++;
      progress('evaluate', done, total, `k = ${k}`);
      await step();
      scores.push({ k, inertia: res.inertia, silhouette: sil });
    }
  };
  const distances = await fitWithEngine(x, request.distances ?? 'auto', fitAll);
  const inRange = scores.filter((s) => s.k >= kMin && s.k <= kMax);
  const bestBySil = inRange.reduce((a, b) => (b.silhouette > a.silhouette ? b : a), inRange[0]!);
  const k = request.k ?? bestBySil.k;
  const fit = fits.get(k)!;

  // Profiles in the table's own units; segments renumbered 1…k by decreasing mean spend (or size).
  const extraVals = new Map<string, Float64Array>();
  for (const c of [...features, ...extra]) extraVals.set(c, numberValues(frame, c));
  const profileCols = [...features, ...extra];
  const sizes = new Float64Array(k);
  const sums = new Float64Array(k * profileCols.length);
  const counts = new Float64Array(k * profileCols.length);
  rows.forEach((r, i) => {
    const l = fit.labels[i]!;
    sizes[l]!++;
    profileCols.forEach((c, j) => {
      const v = extraVals.get(c)![r]!;
      if (Number.isFinite(v)) {
        sums[l * profileCols.length + j]! += v;
        counts[l * profileCols.length + j]!++;
      }
    });
  });
  const meanOf = (l: number, c: string) => {
    const j = profileCols.indexOf(c);
    const cnt = counts[l * profileCols.length + j]!;
    return cnt > 0 ? sums[l * profileCols.length + j]! / cnt : NaN;
  };
  const revenue = (l: number) => (rfm.monetary ? meanOf(l, rfm.monetary) * sizes[l]! : 0);
  const order = Array.from({ length: k }, (_, i) => i).sort((a, b) =>
    rfm.monetary ? meanOf(b, rfm.monetary) - meanOf(a, rfm.monetary) || a - b : sizes[b]! - sizes[a]! || a - b,
  );
  const renumber = new Int32Array(k);
  order.forEach((l, i) => (renumber[l] = i + 1));
  let totalRevenue = 0;
  for (let l = 0; l < k; l++) totalRevenue += revenue(l);
  const overall = (c: string | null) => {
    if (!c) return NaN;
    const col = extraVals.get(c)!;
    let s = 0;
    let m = 0;
    for (const r of rows)
      if (Number.isFinite(col[r]!)) {
        s += col[r]!;
        m++;
      }
    return m ? s / m : NaN;
  };
  const overallRfm = {
    recency: overall(rfm.recency),
    frequency: overall(rfm.frequency),
    monetary: overall(rfm.monetary),
  };
  const rfmLabels = hasRfmSegment ? frameStrings(frame, 'rfm_segment') : null;
  token.throwIfCancelled();
  const labelOf = new Map<string, number>();
  rows.forEach((r, i) => labelOf.set(keyText(ids, r), fit.labels[i]!));
  const categories = await segmentCategories(source, info, request.orders, request.category, labelOf, k);
  const profiles: SegmentProfileInfo[] = order.map((l) => {
    const means: Record<string, number> = {};
    for (const c of profileCols) means[c] = meanOf(l, c);
    const segRfm = {
      recency: rfm.recency ? means[rfm.recency]! : NaN,
      frequency: rfm.frequency ? means[rfm.frequency]! : NaN,
      monetary: rfm.monetary ? means[rfm.monetary]! : NaN,
    };
    const complete = [segRfm.recency, segRfm.frequency, segRfm.monetary].every(Number.isFinite);
    let topRfm: string | null = null;
    if (rfmLabels) {
      const tally = new Map<string, number>();
      rows.forEach((r, i) => {
        const name = rfmLabels[r];
        if (fit.labels[i] === l && name) tally.set(name, (tally.get(name) ?? 0) + 1);
      });
      let best = 0;
      for (const [name, c] of tally) if (c > best) [best, topRfm] = [c, name];
    }
    return {
      segment: renumber[l]!,
      size: sizes[l]!,
      share: sizes[l]! / n,
      revenueShare: rfm.monetary && totalRevenue > 0 ? revenue(l) / totalRevenue : null,
      means,
      action: complete ? suggestAction(segRfm, overallRfm) : 'maintain',
      topRfm,
      topCategories: categories ? categories.top[l]! : null,
    };
  });

  // PCA of the scaled features; the scatter gets a seeded sample of at most 5000 points.
  const projected = pca(x, 2);
  const dims = projected.projection.nCols;
  const px = Float64Array.from({ length: n }, (_, i) => projected.projection.data[i * dims]!);
  const py = Float64Array.from({ length: n }, (_, i) => (dims > 1 ? projected.projection.data[i * dims + 1]! : 0));
  const pick = sampleIndices(n, MAX_POINTS, seed);
  const round = (v: number) => Math.round(v * 1e4) / 1e4;
  const points = {
    x: Array.from(pick, (i) => round(px[i]!)),
    y: Array.from(pick, (i) => round(py[i]!)),
    segment: Array.from(pick, (i) => renumber[fit.labels[i]!]!),
  };

  let rfmCounts: RfmSegmentCount[] | null = null;
  if (rfmLabels) {
    const tally = new Map<string, RfmSegmentCount>();
    const money = rfm.monetary ? extraVals.get(rfm.monetary)! : null;
    for (let r = 0; r < frame.nRows; r++) {
      const name = rfmLabels[r];
      if (!name) continue;
      const entry = tally.get(name) ?? { segment: name, customers: 0, revenue: 0 };
      entry.customers++;
      const m = money?.[r];
      if (m !== undefined && Number.isFinite(m)) entry.revenue += m;
      tally.set(name, entry);
    }
    const rank = (s: string) => (RFM_ORDER.includes(s) ? RFM_ORDER.indexOf(s) : RFM_ORDER.length);
    rfmCounts = [...tally.values()].sort(
      (a, b) => rank(a.segment) - rank(b.segment) || a.segment.localeCompare(b.segment),
    );
  }

  token.throwIfCancelled();
  progress('write', 0, 1);
  const into = request.into ?? `${info.name}_segments`;
  const idValues: FrameColumn =
    ids.kind === 'string'
      ? { name: ids.name, kind: 'string', values: Array.from(rows, (r) => ids.values[r] ?? null) }
      : { name: ids.name, kind: ids.kind, values: Float64Array.from(rows, (r) => ids.values[r]!) };
  const table = await source.writeFrame({
    name: into,
    frame: {
      nRows: n,
      columns: [
        idValues,
        { name: 'segment', kind: 'number', values: Float64Array.from(fit.labels, (l) => renumber[l]!) },
        { name: 'pca_x', kind: 'number', values: px },
        { name: 'pca_y', kind: 'number', values: py },
      ],
    },
    derivation: { kind: 'segments', from: info.name },
  });
  progress('write', 1, 1);
  const ratio = projected.explainedVarianceRatio;
  return {
    table,
    source: info.name,
    customerColumn: idColumn.name,
    features,
    logged,
    scale,
    rows: n,
    skipped: frame.nRows - n,
    kRange: [kMin, kMax],
    k,
    chosenBy: request.k !== undefined ? 'given' : 'silhouette',
    scores,
    elbowK: elbowOf(inRange),
    silhouetteRows: silRows,
    restarts,
    seed,
    rfmColumns: rfm,
    profiles,
    points,
    pcaExplained: [ratio[0] ?? 0, ratio[1] ?? 0],
    rfm: rfmCounts,
    categorySource: categories?.source ?? null,
    distances,
    elapsedMs: performance.now() - started,
  };
}

function frameStrings(frame: Frame, name: string): (string | null)[] {
  const c = frame.columns.find((x) => x.name === name);
  if (!c) return [];
  if (c.kind === 'string') return c.values;
  return Array.from(c.values, (v) => (Number.isNaN(v) ? null : String(v)));
}

// ---------------------------------------------------------------------------------------------
// Anomalies

/** Per-order features of an order-lines table, aggregated here from the role columns. */
interface Prepared {
  level: 'order' | 'customer' | 'row';
  keyColumn: string;
  keys: string[];
  features: string[];
  columns: Float64Array[];
}

async function prepareAnomalyInput(context: MlContext, info: TableInfo, request: AnomalyRequest): Promise<Prepared> {
  const role = (r: string) => info.columns.find((c) => c.role === r)?.name;
  const orderCol = role('order_id');
  const hasLineRoles = ['product_id', 'product_name', 'quantity', 'unit_price', 'line_amount'].some((r) => role(r));
  if (orderCol && hasLineRoles) {
    const orders = await aggregateOrders(context, info, orderCol);
    if (orders) {
      const features = request.features?.length ? request.features : orders.features;
      for (const f of features)
        if (!orders.features.includes(f))
          fail({
            code: 'unknown_column',
            message: `No per-order feature "${f}" (have: ${orders.features.join(', ')}).`,
            params: { column: f },
          });
      return { ...orders, features, columns: features.map((f) => orders.columns[orders.features.indexOf(f)]!) };
    }
  }
  const customerCol = role('customer_id');
  const keyColumn = orderCol ?? customerCol;
  const features = request.features?.length
    ? request.features
    : info.columns
        .filter((c) => isNumericColumn(c) && !ID_ROLES.has(c.role) && !/(_score|_id)$|^id$|^segment$/i.test(c.name))
        .map((c) => c.name);
  checkNumeric(info, features);
  const frame = await context.source.readFrame({
    table: info.name,
    columns: [...(keyColumn ? [keyColumn] : []), ...features],
  });
  const keyCol = keyColumn ? frame.columns[0]! : undefined;
  return {
    level: orderCol ? 'order' : customerCol ? 'customer' : 'row',
    keyColumn: keyColumn ?? 'row',
    keys: Array.from({ length: frame.nRows }, (_, i) => (keyCol ? keyText(keyCol, i) : String(i + 1))),
    features,
    columns: features.map((f) => numberValues(frame, f)),
  };
}

/**
 * One row per order from an order-lines table: order value (Σ line amounts, net of returns),
 * items (Σ quantity), lines, refund share (|negative amounts| ÷ Σ|amounts|, or 1 for an
 * Online-Retail style `C…` cancellation invoice), discount share (discount ÷ gross, when a
 * numeric column is named like "discount": a rate in [0, 1] off the list price, as Superstore's,
 * or else an amount) and the hour of the order (when times exist).
 * Null when the order ids are unique (the table is already one row per order).
 */
async function aggregateOrders(context: MlContext, info: TableInfo, orderCol: string): Promise<Prepared | null> {
  const role = (r: string) => info.columns.find((c) => c.role === r)?.name;
  const qty = role('quantity');
  const price = role('unit_price');
  const amount = role('line_amount');
  const ts = role('timestamp');
  const discount = info.columns.find((c) => /discount/i.test(c.name) && isNumericColumn(c))?.name;
  const cols = [orderCol, qty, price, amount, ts, discount].filter((c): c is string => c !== undefined);
  const frame = await context.source.readFrame({ table: info.name, columns: [...new Set(cols)] });
  const get = (name: string | undefined) => (name ? frame.columns.find((c) => c.name === name) : undefined);
  const orderIds = get(orderCol)!;
  const q = get(qty);
  const p = get(price);
  const a = get(amount);
  const t = get(ts);
  const dc = get(discount);
  const num = (c: FrameColumn | undefined, i: number) => (c && c.kind !== 'string' ? c.values[i]! : NaN);
  let discountIsRate = dc !== undefined && dc.kind !== 'string';
  if (dc && dc.kind !== 'string') for (const v of dc.values) if (v < 0 || v > 1) discountIsRate = false;
  const index = new Map<string, number>();
  const keys: string[] = [];
  const value: number[] = [];
  const items: number[] = [];
  const lines: number[] = [];
  const negative: number[] = [];
  const absolute: number[] = [];
  const disc: number[] = [];
  const first: number[] = [];
  const cancelled: boolean[] = [];
  for (let i = 0; i < frame.nRows; i++) {
    const key = keyText(orderIds, i);
    if (key === '') continue;
    let o = index.get(key);
    if (o === undefined) {
      o = keys.length;
      index.set(key, o);
      keys.push(key);
      value.push(0);
      items.push(0);
      lines.push(0);
      negative.push(0);
      absolute.push(0);
      disc.push(0);
      first.push(Infinity);
      cancelled.push(/^C[0-9]+$/.test(key));
    }
    const quantity = num(q, i);
    let amt = num(a, i);
    if (!Number.isFinite(amt)) amt = quantity * num(p, i);
    if (Number.isFinite(amt)) {
      value[o]! += amt;
      absolute[o]! += Math.abs(amt);
      if (amt < 0) negative[o]! -= amt;
    }
    if (Number.isFinite(quantity)) items[o]! += quantity;
    lines[o]!++;
    const d = num(dc, i);
    if (Number.isFinite(d)) {
      // A rate (Superstore's 0.2 = 20 % off the list price; the amount is after it) or an amount.
      if (discountIsRate) {
        if (Number.isFinite(amt) && d < 1) disc[o]! += (Math.abs(amt) * d) / (1 - d);
      } else disc[o]! += Math.abs(d);
    }
    const time = num(t, i);
    if (Number.isFinite(time) && time < first[o]!) first[o] = time;
  }
  if (keys.length === frame.nRows) return null;
  const withHour = t !== undefined && first.some((v) => Number.isFinite(v) && v % 86_400_000 !== 0);
  const features: string[] = [];
  const columns: Float64Array[] = [];
  const add = (name: string, values: number[]) => {
    features.push(name);
    columns.push(Float64Array.from(values));
  };
  if (a || (q && p)) add('order_value', value);
  if (q) add('items', items);
  add('lines', lines);
  if (a || (q && p))
    add(
      'refund_share',
      keys.map((_, o) => (cancelled[o] ? 1 : absolute[o]! > 0 ? negative[o]! / absolute[o]! : 0)),
    );
  if (dc)
    add(
      'discount_share',
      keys.map((_, o) => (absolute[o]! > 0 ? disc[o]! / (absolute[o]! + disc[o]!) : 0)),
    );
  if (withHour)
    add(
      'hour',
      first.map((v) => (Number.isFinite(v) ? new Date(v).getUTCHours() : NaN)),
    );
  return { level: 'order', keyColumn: orderCol, keys, features, columns };
}

function histogram(scores: Float64Array, bins = 30): { edges: number[]; counts: number[] } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of scores) {
    if (!Number.isFinite(s)) continue;
    lo = Math.min(lo, s);
    hi = Math.max(hi, s);
  }
  if (!Number.isFinite(lo)) return { edges: [], counts: [] };
  if (hi === lo) hi = lo + 1;
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const s of scores) if (Number.isFinite(s)) counts[Math.min(bins - 1, Math.floor((s - lo) / width))]!++;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  return { edges, counts };
}

const BIG = 1e9;
const finiteZ = (z: number) => (Number.isFinite(z) ? z : z > 0 ? BIG : -BIG);

export async function runAnomalies(
  context: MlContext,
  token: JobToken,
  request: AnomalyRequest,
  onProgress?: ProgressCallback,
): Promise<AnomalyResult> {
  const started = performance.now();
  const progress = progressOf(onProgress);
  const step = yielder();
  const info = await context.source.describe(request.table);
  const method: AnomalyMethod = request.method ?? 'both';
  const contamination = Math.min(0.5, Math.max(0.0001, request.contamination ?? 0.01));
  const threshold = Math.max(0.5, request.threshold ?? 3.5);
  const nTrees = Math.max(10, Math.min(1000, Math.round(request.trees ?? 100)));
  const seed = request.seed ?? 0;
  progress('read', 0, 1);
  const input = await prepareAnomalyInput(context, info, request);
  progress('read', 1, 1);
  const n = input.keys.length;
  const d = input.features.length;
  if (d === 0)
    fail({
      code: 'no_numeric_features',
      message: `Table "${info.name}" has no numeric columns to score.`,
      params: { table: info.name },
    });
  if (n < 10)
    fail({
      code: 'anomalies_too_few_rows',
      message: `${n} rows are too few to tell unusual from usual (at least 10).`,
      params: { rows: n },
    });

  // Missing values: the median of the column (isolation trees need numbers everywhere).
  const x = matrixOf(
    input.columns,
    Int32Array.from({ length: n }, (_, i) => i),
  );
  const medians = input.columns.map((c) => median(c));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < d; j++) if (!Number.isFinite(x.data[i * d + j]!)) x.data[i * d + j] = medians[j] ?? 0;
  const fitted = fitRobustScale(x);
  const constant = input.columns.every((col) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of col)
      if (Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    return !(hi > lo);
  });
  if (constant)
    fail({
      code: 'all_values_identical',
      message: 'Every row has the same values in the chosen features: nothing is unusual.',
      params: {
        table: info.name,
      },
    });

  // Robust z-scores for every row; the isolation forest in batches of 10 trees (cancel between).
  const z = robustZScores(x, fitted);
  const maxAbsZ = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let j = 0; j < d; j++) {
      const v = Math.abs(z.data[i * d + j]!);
      if (v > m) m = v;
    }
    maxAbsZ[i] = Math.min(m, BIG);
  }
  let forest: IsolationForest | undefined;
  let scores: Float64Array = maxAbsZ;
  if (method !== 'robust_z') {
    const batches = Math.ceil(nTrees / 10);
    const trees: IsolationForest['trees'] = [];
    let psi = 0;
    for (let b = 0; b < batches; b++) {
      token.throwIfCancelled();
      const part = fitIsolationForest(x, { nEstimators: Math.min(10, nTrees - b * 10), seed: deriveSeed(seed, b) });
      trees.push(...part.trees);
      psi = part.maxSamples;
      progress('train', b + 1, batches);
      await step();
    }
    forest = { trees, maxSamples: psi, nFeatures: d };
    token.throwIfCancelled();
    progress('score', 0, 1);
    scores = anomalyScores(forest, x);
    progress('score', 1, 1);
  }

  // Flagging: iforest → the top `contamination` share; robust_z → max |z| ≥ threshold;
  // both → the forest's top share that also has at least one value beyond the threshold.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const rank = new Int32Array(n);
  order.forEach((r, i) => (rank[r] = i + 1));
  const topCount = Math.max(1, Math.ceil(contamination * n));
  const flagged = new Uint8Array(n);
  order.forEach((r, i) => {
    const inTop = i < topCount;
    const beyond = maxAbsZ[r]! >= threshold;
    flagged[r] = (method === 'iforest' ? inTop : method === 'robust_z' ? beyond : inTop && beyond) ? 1 : 0;
  });
  const cutoff = method === 'robust_z' ? threshold : order.length >= topCount ? scores[order[topCount - 1]!]! : null;

  const minAbsZ = method === 'robust_z' ? threshold : Math.min(2, threshold);
  const reasonsOf = (i: number): AnomalyReason[] =>
    explainRow(x, i, {
      fitted,
      names: input.features,
      minAbsZ,
      top: 3,
      ...(forest ? { attribution: pathAttribution(forest, x, i) } : {}),
    }).map((r) => ({
      feature: r.name ?? input.features[r.feature]!,
      value: r.value,
      median: r.median,
      z: finiteZ(r.z),
      direction: r.z >= 0 ? 'high' : 'low',
      ratio: r.value > 0 && r.median > 0 ? r.value / r.median : null,
      ...(r.attribution !== undefined ? { attribution: r.attribution } : {}),
    }));
  const reasonText = (reasons: AnomalyReason[]) =>
    reasons.map((r) => `${r.feature} ${r.z >= 0 ? '+' : ''}${Math.abs(r.z) >= BIG ? '∞' : r.z.toFixed(1)}`).join('; ');

  const maxListed = Math.max(1, Math.min(5000, Math.round(request.maxListed ?? 500)));
  const flaggedRows: FlaggedRow[] = [];
  const reasonColumn: (string | null)[] = new Array<string | null>(n).fill(null);
  let flaggedCount = 0;
  for (const r of order) {
    if (!flagged[r]) continue;
    flaggedCount++;
    const reasons = reasonsOf(r);
    reasonColumn[r] = reasonText(reasons);
    if (flaggedRows.length < maxListed) {
      const values: Record<string, number> = {};
      input.features.forEach((f, j) => (values[f] = input.columns[j]![r]!));
      flaggedRows.push({ key: input.keys[r]!, rank: rank[r]!, score: scores[r]!, values, reasons });
    }
  }

  token.throwIfCancelled();
  progress('write', 0, 1);
  const into = request.into ?? `${info.name}_anomalies`;
  const keyName = input.features.includes(input.keyColumn) ? `${input.keyColumn}_key` : input.keyColumn;
  const table = await context.source.writeFrame({
    name: into,
    frame: {
      nRows: n,
      columns: [
        { name: keyName, kind: 'string', values: input.keys },
        { name: 'anomaly_score', kind: 'number', values: Float64Array.from(scores) },
        { name: 'anomaly_rank', kind: 'number', values: Float64Array.from(rank) },
        { name: 'flagged', kind: 'number', values: Float64Array.from(flagged) },
        { name: 'reasons', kind: 'string', values: reasonColumn },
        ...input.features.map((f, j) => ({
          name: f,
          kind: 'number' as const,
          values: Float64Array.from(input.columns[j]!),
        })),
      ],
    },
    derivation: { kind: 'anomalies', from: info.name },
  });
  progress('write', 1, 1);
  return {
    table,
    source: info.name,
    level: input.level,
    keyColumn: keyName,
    features: input.features,
    method,
    contamination,
    threshold,
    rows: n,
    flaggedCount,
    flagged: flaggedRows,
    histogram: { ...histogram(scores), cutoff },
    scoreKind: method === 'robust_z' ? 'robust_z' : 'iforest',
    elapsedMs: performance.now() - started,
  };
}

/** The segments chapter's methods, for the ML worker's API. */
export function createSegmentsApi(context: MlContext): SegmentsApi {
  return {
    segment: (jobId, request, onProgress) =>
      context.jobs.run(jobId, (token) => runSegment(context, token, request, onProgress)),
    anomalies: (jobId, request, onProgress) =>
      context.jobs.run(jobId, (token) => runAnomalies(context, token, request, onProgress)),
  };
}
