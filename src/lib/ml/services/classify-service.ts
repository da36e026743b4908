/**
 * Classify in the ML worker: reads a table's target and feature columns over the data link,
 * splits off a stratified test part (seeded), compares model families with stratified k-fold CV
 * on the training part — preprocessing refitted inside every fold, so no fold ever sees its own
 * test rows' medians, scales or categories — always beside the majority-class baseline; then fits
 * a chosen family on the whole training part and evaluates it once on the test part; scores
 * tables into derived 'predictions' tables; and exports / imports models as JSON.
 */
import type { ColumnInfo } from '../../contracts/data-api';
import type { AnalysisProgressCallback, Frame, FrameColumn, JobToken } from '../../contracts/frame';
import type {
  ClassifyApi,
  ClassifyCompareRequest,
  ClassifyCompareResult,
  ClassifyEvaluateRequest,
  ClassifyEvaluation,
  ClassifyFamily,
  ClassifyModelFile,
  ClassifyModelInfo,
  ClassifyParams,
  ClassifyPredictRequest,
  ClassifyPredictResult,
  ClassifySetup,
  CvMetrics,
  FeatureImportance,
  LeaderboardRow,
  TestMetrics,
} from '../../contracts/classify-api';
import type { ClassifySearchRequest, ClassifySearchResult } from '../../contracts/classify-explain-api';
import { CLASSIFY_FAMILIES } from '../../contracts/classify-api';
import type { MlContext } from './context';
import { yielder } from './jobs';
import { stratifiedKFold, stratifiedSplit, type Split } from '../eval/split';
import { meanStd } from '../eval/cv';
import { Rng } from '../random';
import type { Matrix } from '../matrix';
import {
  accuracy,
  averagePrecision,
  balancedAccuracy,
  brier,
  calibrationCurve,
  cumulativeGain,
  f1,
  logLoss,
  precision,
  prCurve,
  recall,
  rocAuc,
  rocCurve,
} from '../metrics';
import { predictLabels } from '../model';
import { encodedGroups, encodedNames, fitPreprocess, transformColumns, type FittedPreprocess } from '../preprocess';
import { activeBackend, fitClassifier, loadClassifier, type FittedClassifier } from '../classify/models';
import { columnMeans } from '../explain/contributions';
import {
  explainHeldOutRow,
  reasonColumnsFor,
  rowsOf,
  runSearch,
  searchPoints,
  topPartialDependence,
  type HeldOut,
} from './classify-explain';

type ErrorInfo = { code: string; message: string; params?: Record<string, string | number> };

/** An error as it crosses Comlink (codes are literal so messages.test.ts finds their templates). */
function fail(info: ErrorInfo): ErrorInfo {
  return info;
}

/** Resolved setup: every default filled in. */
type Resolved = ClassifyCompareResult['setup'];

/** A table read for Classify: the kept rows' feature columns, 0/1 labels, split and folds. */
interface Session {
  id: string;
  setup: Resolved;
  columns: FrameColumn[];
  y: Int32Array;
  classes: [string, string];
  split: Split;
  /** Folds over positions in `split.train`. */
  folds: Split[];
}

interface StoredModel {
  info: ClassifyModelInfo;
  preprocess: FittedPreprocess;
  model: FittedClassifier;
  /** Training means of the encoded columns (centre of logistic explanations). */
  means?: Float64Array;
  /** The held-out rows of an evaluated model, for per-row explanations. */
  heldOut?: HeldOut;
}

const ID_ROLES = new Set(['customer_id', 'order_id', 'product_id']);

/** Text of a target value (booleans as true/false). */
function labelText(value: number | string, column: ColumnInfo | undefined): string {
  if (typeof value === 'string') return value;
  if (column && /^BOOL/i.test(column.type)) return value ? 'true' : 'false';
  return String(value);
}

function isTrueLike(s: string): boolean {
  return /^(true|yes|y|1|t|positive|churn(ed)?|bought|buyer)$/i.test(s.trim());
}

/** Picks P(y = 1)'s class: the requested one, a true-like value, the larger number, or the rarer text. */
function chooseClasses(
  target: FrameColumn,
  info: ColumnInfo | undefined,
  positive: string | undefined,
): { classes: [string, string]; codes: Int32Array; keep: number[] } {
  const n = target.values.length;
  const text: (string | null)[] = new Array<string | null>(n);
  const counts = new Map<string, number>();
  const numeric = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const v = target.values[i]!;
    let t: string | null = null;
    if (target.kind === 'string') t = (v as string | null) ?? null;
    else if (!Number.isNaN(v as number)) {
      t = labelText(v as number, info);
      numeric.set(t, v as number);
    }
    text[i] = t;
    if (t !== null) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const values = [...counts.keys()];
  if (values.length < 2) {
    throw fail({
      code: 'single_class_target',
      message: `The target "${target.name}" has only one class; a classifier needs rows of two classes.`,
      params: {
        column: target.name,
        values: values.length,
      },
    });
  }
  if (values.length > 2) {
    throw fail({
      code: 'multiclass_target',
      message: `The target column has ${values.length} values; Classify needs exactly two.`,
      params: {
        column: target.name,
        values: values.length,
      },
    });
  }
  let pos: string;
  if (positive !== undefined && counts.has(positive)) pos = positive;
  else if (values.some(isTrueLike) && !values.every(isTrueLike)) pos = values.find(isTrueLike)!;
  else if (target.kind !== 'string') pos = values.sort((a, b) => numeric.get(a)! - numeric.get(b)!)[1]!;
  else pos = values.sort((a, b) => counts.get(a)! - counts.get(b)! || (a < b ? -1 : 1))[0]!;
  const neg = values.find((v) => v !== pos)!;
  const keep: number[] = [];
  const codes: number[] = [];
  for (let i = 0; i < n; i++) {
    if (text[i] === null) continue;
    keep.push(i);
    codes.push(text[i] === pos ? 1 : 0);
  }
  return { classes: [neg, pos], codes: Int32Array.from(codes), keep };
}

/** Copies the rows `keep` of a column. */
function subsetColumn(column: FrameColumn, keep: number[]): FrameColumn {
  if (column.kind === 'string') return { ...column, values: keep.map((i) => column.values[i] ?? null) };
  const out = new Float64Array(keep.length);
  for (let k = 0; k < keep.length; k++) out[k] = column.values[keep[k]!]!;
  return { ...column, values: out };
}

function take(idx: Int32Array, positions: ArrayLike<number>): Int32Array {
  const out = new Int32Array(positions.length);
  for (let k = 0; k < positions.length; k++) out[k] = idx[positions[k]!]!;
  return out;
}

function pick(y: Int32Array, rows: ArrayLike<number>): Int32Array {
  const out = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = y[rows[k]!]!;
  return out;
}

/** The binary metrics of one set of scores. */
function scoreAll(y: Int32Array, p: Float64Array, threshold = 0.5): TestMetrics {
  const labels = predictLabels(p, p.length, threshold);
  const hasBoth = y.some((v) => v === 1) && y.some((v) => v === 0);
  return {
    rocAuc: hasBoth ? rocAuc(y, p) : NaN,
    prAuc: hasBoth ? averagePrecision(y, p) : NaN,
    accuracy: accuracy(y, labels),
    balancedAccuracy: balancedAccuracy(y, labels),
    precision: precision(y, labels),
    recall: recall(y, labels),
    f1: f1(y, labels),
    logLoss: logLoss(y, p),
    brier: brier(y, p),
  };
}

/** At most `max` evenly spaced points of a curve (first and last kept). */
function downsample(a: ArrayLike<number>, b: ArrayLike<number>, max = 200): [number[], number[]] {
  const n = a.length;
  if (n <= max) return [Array.from(a), Array.from(b)];
  const xs: number[] = [];
  const ys: number[] = [];
  for (let k = 0; k < max; k++) {
    const i = Math.round((k * (n - 1)) / (max - 1));
    xs.push(a[i]!);
    ys.push(b[i]!);
  }
  return [xs, ys];
}

const NO_PARAMS: ClassifyParams = {};

/** Builds the Classify methods over a context; the worker spreads them into its API. */
export function createClassifyApi(context: MlContext): ClassifyApi {
  const sessions = new Map<string, Session>();
  const models = new Map<string, StoredModel>();
  let counter = 0;

  async function readSession(setup: ClassifySetup): Promise<Session> {
    const source = context.source;
    const info = await source.describe(setup.table);
    const features = setup.features.filter((f) => f !== setup.target);
    if (features.length === 0)
      throw fail({ code: 'no_usable_features', message: 'Choose at least one feature column.' });
    const frame: Frame = await source.readFrame({ table: setup.table, columns: [setup.target, ...features] });
    const [target, ...featureColumns] = frame.columns;
    const { classes, codes, keep } = chooseClasses(
      target!,
      info.columns.find((c) => c.name === setup.target),
      setup.positive,
    );
    const columns = featureColumns.filter((c) => c.kind !== 'date').map((c) => subsetColumn(c, keep));
    if (columns.length === 0)
      throw fail({ code: 'no_usable_features', message: 'None of the chosen columns holds numbers or text.' });
    const resolved: Resolved = {
      table: setup.table,
      target: setup.target,
      features: columns.map((c) => c.name),
      positive: classes[1],
      folds: Math.max(2, Math.floor(setup.folds ?? 5)),
      // 0 = no held-out part (cross-validation on every row, as the sklearn references do).
      testSize: setup.testSize === 0 ? 0 : Math.min(0.5, Math.max(0.05, setup.testSize ?? 0.2)),
      seed: setup.seed ?? 0,
      topK: setup.topK ?? 10,
    };
    const split = stratifiedSplit(codes, resolved.testSize, resolved.seed);
    const yTrain = pick(codes, split.train);
    let pos = 0;
    for (const v of yTrain) pos += v;
    const minority = Math.min(pos, yTrain.length - pos);
    if (minority < resolved.folds) {
      throw fail({
        code: 'too_few_rows_per_class',
        message: `The rarer class has ${minority} training rows; ${resolved.folds}-fold cross-validation needs at least ${resolved.folds}.`,
        params: { rows: minority, folds: resolved.folds },
      });
    }
    const folds = stratifiedKFold(yTrain, resolved.folds, resolved.seed);
    counter += 1;
    const session: Session = { id: `cmp-${counter}`, setup: resolved, columns, y: codes, classes, split, folds };
    sessions.set(session.id, session);
    // Keep the last few comparisons only (each holds a copy of the table's columns).
    for (const key of sessions.keys()) if (sessions.size > 3) sessions.delete(key);
    return session;
  }

  function encode(session: Session, fitRows: Int32Array, applyRows: Int32Array[]): [FittedPreprocess, Matrix[]] {
    const fitted = fitPreprocess(session.columns, fitRows, session.setup.topK);
    if (fitted.columns.length === 0)
      throw fail({ code: 'no_usable_features', message: 'No feature column has values in the training rows.' });
    return [fitted, applyRows.map((rows) => transformColumns(fitted, session.columns, rows))];
  }

  async function compare(
    request: ClassifyCompareRequest,
    token: JobToken,
    onProgress?: AnalysisProgressCallback,
  ): Promise<ClassifyCompareResult> {
    const started = performance.now();
    const pause = yielder();
    const session = await readSession(request);
    const wanted = (request.models?.length ? request.models : CLASSIFY_FAMILIES).filter((f) => f !== 'baseline');
    const families: ClassifyFamily[] = ['baseline', ...new Set(wanted)];
    const k = session.folds.length;
    const total = families.length * k;
    // Encode each fold once (fitted on its training rows only) and share it across families.
    const encoded = session.folds.map((fold) => {
      const trainRows = take(session.split.train, fold.train);
      const testRows = take(session.split.train, fold.test);
      const [, [Xtr, Xte]] = encode(session, trainRows, [trainRows, testRows]);
      return { Xtr: Xtr!, Xte: Xte!, ytr: pick(session.y, trainRows), yte: pick(session.y, testRows) };
    });
    const rows: LeaderboardRow[] = [];
    let done = 0;
    for (const family of families) {
      const scores: TestMetrics[] = [];
      const fitMs: number[] = [];
      let engine: LeaderboardRow['engine'] = 'js';
      for (let f = 0; f < k; f++) {
        token.throwIfCancelled();
        const fold = encoded[f]!;
        const detail = `${family} ${f + 1}/${k}`;
        onProgress?.({ phase: 'train', done, total, detail });
        const t0 = performance.now();
        const model = await fitClassifier(family, fold.Xtr, fold.ytr, request.params?.[family] ?? NO_PARAMS, {
          token,
          pause,
          seed: session.setup.seed,
          onFraction: (x) => onProgress?.({ phase: 'train', done: done + Math.min(1, x), total, detail }),
        });
        fitMs.push(performance.now() - t0);
        // Where the fit really ran: the MLP trains on its typed-array engine on wasm/cpu.
        engine = model.engine;
        try {
          scores.push(scoreAll(fold.yte, await model.predict(fold.Xte)));
        } finally {
          model.dispose();
        }
        done += 1;
        await pause();
      }
      const metric = (name: keyof TestMetrics) => meanStd(scores.map((s) => s[name]));
      const metrics: CvMetrics = {
        rocAuc: metric('rocAuc'),
        prAuc: metric('prAuc'),
        accuracy: metric('accuracy'),
        balancedAccuracy: metric('balancedAccuracy'),
        f1: metric('f1'),
        logLoss: metric('logLoss'),
      };
      rows.push({
        family,
        baseline: family === 'baseline',
        metrics,
        fitMs: meanStd(fitMs).mean,
        foldRocAuc: scores.map((s) => s.rocAuc),
        engine,
      });
    }
    onProgress?.({ phase: 'train', done: total, total });
    rows.sort((a, b) => b.metrics.rocAuc.mean - a.metrics.rocAuc.mean || Number(a.baseline) - Number(b.baseline));
    const base = rows.find((r) => r.baseline)!;
    const bestRow = rows.find((r) => !r.baseline) ?? base;
    let positives = 0;
    for (const i of session.split.train) positives += session.y[i]!;
    return {
      comparisonId: session.id,
      setup: session.setup,
      classes: session.classes,
      nTrain: session.split.train.length,
      nTest: session.split.test.length,
      positiveRate: positives / session.split.train.length,
      nEncoded: encoded[0]!.Xtr.nCols,
      rows,
      best: bestRow.family,
      beatsBaseline:
        !bestRow.baseline &&
        bestRow.metrics.rocAuc.mean - bestRow.metrics.rocAuc.std > base.metrics.rocAuc.mean + base.metrics.rocAuc.std,
      backend: activeBackend(),
      elapsedMs: performance.now() - started,
    };
  }

  /** Best family of a comparison that is still held (its leaderboard is not kept, so re-rank is the caller's). */
  const bestOf = new Map<string, ClassifyFamily>();

  async function evaluate(
    request: ClassifyEvaluateRequest,
    token: JobToken,
    onProgress?: AnalysisProgressCallback,
  ): Promise<ClassifyEvaluation> {
    const pause = yielder();
    let session: Session;
    if (request.comparisonId) {
      const found = sessions.get(request.comparisonId);
      if (!found)
        throw fail({
          code: 'unknown_comparison',
          message: 'That comparison is no longer in memory; compare the models again.',
          params: {
            id: request.comparisonId,
          },
        });
      session = found;
    } else if (request.setup) session = await readSession(request.setup);
    else throw fail({ code: 'bad_request', message: 'Give a comparisonId or a setup.' });
    const family =
      request.family ?? (request.comparisonId ? bestOf.get(request.comparisonId) : undefined) ?? 'boosting';
    const threshold = request.threshold ?? 0.5;
    const { train, test } = session.split;
    if (test.length < 2)
      throw fail({
        code: 'bad_request',
        message: 'There is no held-out test part (testSize 0); compare with a test part.',
      });
    const [preprocess, [Xtr, Xte]] = encode(session, train, [train, test]);
    const ytr = pick(session.y, train);
    const yte = pick(session.y, test);
    onProgress?.({ phase: 'train', done: 0, total: 1, detail: family });
    const t0 = performance.now();
    const model = await fitClassifier(family, Xtr!, ytr, request.params ?? NO_PARAMS, {
      token,
      pause,
      seed: session.setup.seed,
      onFraction: (x) => onProgress?.({ phase: 'train', done: Math.min(1, x), total: 1, detail: family }),
    });
    const fitMs = performance.now() - t0;
    try {
      const p = await model.predict(Xte!);
      const metrics = scoreAll(yte, p, threshold);
      const dummy = await fitClassifier('baseline', Xtr!, ytr, NO_PARAMS, { token, pause, seed: 0 });
      const baseline = scoreAll(yte, await dummy.predict(Xte!), threshold);
      const roc = rocCurve(yte, p);
      const pr = prCurve(yte, p);
      const cal = calibrationCurve(yte, p, 10);
      // Permutation importance per original column: its encoded block is shuffled as one.
      const groups = encodedGroups(preprocess);
      const nFeatures = preprocess.columns.length;
      const repeats = 3;
      const rng = new Rng(session.setup.seed);
      const importance: FeatureImportance[] = [];
      const modelImp = model.importances();
      for (let g = 0; g < nFeatures; g++) {
        token.throwIfCancelled();
        onProgress?.({ phase: 'evaluate', done: g, total: nFeatures, detail: preprocess.columns[g]!.name });
        const drops: number[] = [];
        for (let r = 0; r < repeats; r++) {
          const order = rng.shuffle(Array.from({ length: Xte!.nRows }, (_, i) => i));
          const data = Float64Array.from(Xte!.data);
          const p2 = Xte!.nCols;
          for (let i = 0; i < Xte!.nRows; i++) {
            for (let j = 0; j < p2; j++) if (groups[j] === g) data[i * p2 + j] = Xte!.data[order[i]! * p2 + j]!;
          }
          const shuffled = await model.predict({ data, nRows: Xte!.nRows, nCols: p2 });
          drops.push(metrics.rocAuc - rocAuc(yte, shuffled));
          await pause();
        }
        let imp: number | null = null;
        if (modelImp) {
          imp = 0;
          for (let j = 0; j < groups.length; j++) if (groups[j] === g) imp += modelImp[j]!;
        }
        const s = meanStd(drops);
        importance.push({
          feature: preprocess.columns[g]!.name,
          permutation: s.mean,
          permutationStd: s.std,
          model: imp,
        });
      }
      importance.sort((a, b) => b.permutation - a.permutation);
      const heldOut: HeldOut = { columns: rowsOf(session.columns, test), y: yte, scores: p, classes: session.classes };
      const partialDependence = await topPartialDependence(heldOut, preprocess, model, importance, {
        token,
        pause,
        onStep: (done, total) => onProgress?.({ phase: 'evaluate', done, total }),
      });
      const means = columnMeans(Xtr!);
      const explainable =
        (await model.contributions(transformColumns(preprocess, heldOut.columns, [0]), means)) !== null;
      const coefs = await model.coefficients();
      const names = encodedNames(preprocess);
      const coefficients = coefs
        ? Array.from(coefs, (coef, j) => ({ name: names[j]!, coef, oddsRatio: Math.exp(coef) })).sort(
            (a, b) => Math.abs(b.coef) - Math.abs(a.coef),
          )
        : null;
      counter += 1;
      const modelId = `clf-${counter}`;
      const info: ClassifyModelInfo = {
        modelId,
        name: request.name ?? `${family} · ${session.setup.table}`,
        family,
        table: session.setup.table,
        target: session.setup.target,
        features: preprocess.columns.map((c) => c.name),
        classes: session.classes,
        threshold,
        testRocAuc: metrics.rocAuc,
        createdAt: new Date().toISOString(),
      };
      models.set(modelId, { info, preprocess, model, means, heldOut });
      const [fpr, tpr] = downsample(roc.fpr, roc.tpr);
      const [rec, prec] = downsample(pr.recall, pr.precision);
      return {
        modelId,
        name: info.name,
        family,
        classes: session.classes,
        nTrain: train.length,
        nTest: test.length,
        threshold,
        metrics,
        baseline,
        roc: { fpr, tpr },
        pr: { recall: rec, precision: prec },
        calibration: {
          predicted: Array.from(cal.probPred),
          observed: Array.from(cal.probTrue),
          counts: Array.from(cal.counts),
        },
        gain: cumulativeGain(yte, p, 10),
        importance,
        coefficients,
        yTest: Uint8Array.from(yte),
        scoreTest: Float32Array.from(p),
        partialDependence,
        explainable,
        fitMs,
        engine: model.engine,
      };
    } catch (error) {
      model.dispose();
      throw error;
    }
  }

  function stored(modelId: string): StoredModel {
    const m = models.get(modelId);
    if (!m) throw fail({ code: 'unknown_model', message: `No model ${modelId} in memory.`, params: { id: modelId } });
    return m;
  }

  async function predict(
    request: ClassifyPredictRequest,
    token: JobToken,
    onProgress?: AnalysisProgressCallback,
  ): Promise<ClassifyPredictResult> {
    const pause = yielder();
    const { info, preprocess, model, means } = stored(request.modelId);
    const threshold = request.threshold ?? info.threshold;
    const reasons: (string | null)[][] | null = request.explain ? [[], [], []] : null;
    const table = await context.source.describe(request.table);
    const features = preprocess.columns.map((c) => c.name);
    const idColumns = table.columns
      .filter((c) => ID_ROLES.has(c.role) || /(^id$|_id$|^id_)/i.test(c.name))
      .map((c) => c.name)
      .filter((name) => !features.includes(name))
      .slice(0, 2);
    const frame = await context.source.readFrame({ table: request.table, columns: [...idColumns, ...features] });
    const featureColumns = frame.columns.slice(idColumns.length);
    const probability = new Float64Array(frame.nRows);
    const chunk = 5000;
    for (let start = 0; start < frame.nRows; start += chunk) {
      token.throwIfCancelled();
      onProgress?.({ phase: 'score', done: start, total: frame.nRows });
      const rows = Int32Array.from({ length: Math.min(chunk, frame.nRows - start) }, (_, k) => start + k);
      const X = transformColumns(preprocess, featureColumns, rows);
      probability.set(await model.predict(X), start);
      if (reasons) (await reasonColumnsFor(model, preprocess, X, means)).forEach((col, r) => reasons[r]!.push(...col));
      await pause();
    }
    const labels: (string | null)[] = new Array<string | null>(frame.nRows);
    let positives = 0;
    for (let i = 0; i < frame.nRows; i++) {
      const positive = probability[i]! >= threshold;
      if (positive) positives += 1;
      labels[i] = info.classes[positive ? 1 : 0];
    }
    onProgress?.({ phase: 'write', done: 0, total: 1 });
    const name = request.into ?? `${request.table}_predictions`;
    const written = await context.source.writeFrame({
      name,
      frame: {
        nRows: frame.nRows,
        columns: [
          ...frame.columns.slice(0, idColumns.length),
          { name: 'probability', kind: 'number', values: probability },
          { name: `predicted_${info.target}`, kind: 'string', values: labels },
          ...(reasons ?? []).map((values, r) => ({ name: `reason_${r + 1}`, kind: 'string' as const, values })),
        ],
      },
      derivation: { kind: 'predictions', from: request.table },
    });
    return {
      table: written.name,
      rows: frame.nRows,
      idColumns,
      positives,
      threshold,
      ...(reasons ? { reasonColumns: ['reason_1', 'reason_2', 'reason_3'] } : {}),
    };
  }

  /** Grid / random search of one family's hyperparameters on a comparison's training part and folds. */
  async function search(
    request: ClassifySearchRequest,
    token: JobToken,
    onProgress?: AnalysisProgressCallback,
  ): Promise<ClassifySearchResult> {
    const started = performance.now();
    const session = sessions.get(request.comparisonId);
    if (!session)
      throw fail({
        code: 'unknown_comparison',
        message: 'That comparison is no longer in memory; compare the models again.',
        params: { id: request.comparisonId },
      });
    const points = searchPoints(request);
    const folds = session.folds.map((fold) => {
      const trainRows = take(session.split.train, fold.train);
      const testRows = take(session.split.train, fold.test);
      const [, [Xtr, Xte]] = encode(session, trainRows, [trainRows, testRows]);
      return { Xtr: Xtr!, Xte: Xte!, ytr: pick(session.y, trainRows), yte: pick(session.y, testRows) };
    });
    const candidates = await runSearch(request.family, points, folds, {
      token,
      pause: yielder(),
      seed: session.setup.seed,
      ...(onProgress ? { onProgress } : {}),
    });
    return {
      comparisonId: session.id,
      family: request.family,
      mode: request.mode ?? 'grid',
      folds: folds.length,
      candidates,
      best: candidates[0]!.params,
      elapsedMs: performance.now() - started,
    };
  }

  return {
    classifySearch: (jobId, request, onProgress) =>
      context.jobs.run(jobId, (token) => search(request, token, onProgress)),
    classifyExplainRow: async (request) => {
      const { model, preprocess, means, heldOut } = stored(request.modelId);
      if (!heldOut)
        throw fail({
          code: 'explain_no_held_out',
          message:
            'This model was loaded from a file and has no held-out rows; score a table with explanations instead.',
        });
      return explainHeldOutRow(request.modelId, model, preprocess, means, heldOut, request.row);
    },
    classifyCompare: (jobId, request, onProgress) =>
      context.jobs.run(jobId, async (token) => {
        const result = await compare(request, token, onProgress);
        bestOf.set(result.comparisonId, result.best);
        return result;
      }),
    classifyEvaluate: (jobId, request, onProgress) =>
      context.jobs.run(jobId, (token) => evaluate(request, token, onProgress)),
    classifyPredict: (jobId, request, onProgress) =>
      context.jobs.run(jobId, (token) => predict(request, token, onProgress)),
    classifyListModels: async () => [...models.values()].map((m) => ({ ...m.info })),
    classifyExportModel: async (modelId) => {
      const { info, preprocess, model } = stored(modelId);
      const { modelId: _id, ...rest } = info;
      void _id;
      const file: ClassifyModelFile = {
        format: 'shopsight-classifier',
        version: 1,
        info: rest,
        preprocess,
        model: await model.toFile(),
      };
      const means = models.get(modelId)?.means;
      return means ? { ...file, encodedMeans: Array.from(means) } : file;
    },
    classifyImportModel: async (file: ClassifyModelFile) => {
      if (file?.format !== 'shopsight-classifier' || file.version !== 1 || !file.model || !file.preprocess) {
        throw fail({ code: 'bad_model', message: 'This is not a ShopSight model file.' });
      }
      const model = await loadClassifier(file.info.family, file.model);
      counter += 1;
      const info: ClassifyModelInfo = { ...file.info, modelId: `clf-${counter}` };
      models.set(info.modelId, {
        info,
        preprocess: file.preprocess,
        model,
        ...(Array.isArray(file.encodedMeans) ? { means: Float64Array.from(file.encodedMeans) } : {}),
      });
      return { ...info };
    },
    classifyDeleteModel: async (modelId) => {
      const m = models.get(modelId);
      m?.model.dispose();
      return models.delete(modelId);
    },
  };
}
