/**
 * Regression in the ML worker (the Classify chapter with a numeric target): reads a table's
 * target and feature columns over the data link, holds out a seeded random test part, compares
 * families by k-fold CV on the training part — preprocessing (median impute, standardise,
 * one-hot) refitted inside every fold — always beside the training-mean baseline; fits a chosen
 * family on the whole training part and tests it once; scores tables into derived 'predictions'
 * tables with a `prediction` column; exports / imports models as JSON.
 */
import type { AnalysisProgressCallback, Frame, FrameColumn, JobToken } from '../../contracts/frame';
import type { FeatureImportance } from '../../contracts/classify-api';
import {
  REGRESSION_FAMILIES,
  TF_REGRESSION_FAMILIES,
  type RegressionApi,
  type RegressionCompareRequest,
  type RegressionCompareResult,
  type RegressionCvMetrics,
  type RegressionEvaluateRequest,
  type RegressionEvaluation,
  type RegressionFamily,
  type RegressionLeaderboardRow,
  type RegressionModelFile,
  type RegressionModelInfo,
  type RegressionParams,
  type RegressionPredictRequest,
  type RegressionPredictResult,
  type RegressionSetup,
  type RegressionTestMetrics,
  type TargetStats,
  type TaskDetection,
} from '../../contracts/regression-api';
import type { MlContext } from './context';
import { yielder } from './jobs';
import { kFold, trainTestSplit, type Split } from '../eval/split';
import { meanStd } from '../eval/cv';
import { groupPermutationImportance } from '../eval/importance';
import type { Matrix } from '../matrix';
import { mae, mape, r2, rmse } from '../metrics/regression';
import { encodedGroups, encodedNames, fitPreprocess, transformColumns, type FittedPreprocess } from '../preprocess';
import { activeBackend } from '../classify/models';
import { fitRegressor, loadRegressor, type FittedRegressor } from '../classify/regression-models';
import { detectTask } from '../classify/task';

type Resolved = RegressionCompareResult['setup'];

/** A table read for regression: the kept rows' feature columns, targets, split and folds. */
interface Session {
  id: string;
  setup: Resolved;
  detection: TaskDetection;
  columns: FrameColumn[];
  y: Float64Array;
  split: Split;
  /** Folds over positions in `split.train`. */
  folds: Split[];
}

interface StoredModel {
  info: RegressionModelInfo;
  preprocess: FittedPreprocess;
  model: FittedRegressor;
}

const ID_ROLES = new Set(['customer_id', 'order_id', 'product_id']);
const NO_PARAMS: RegressionParams = {};

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

function pick(y: Float64Array, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = y[rows[k]!]!;
  return out;
}

/** The four regression metrics of one set of predictions (MAPE as a fraction, sklearn's eps floor). */
export function regressionScores(y: ArrayLike<number>, p: ArrayLike<number>): RegressionTestMetrics {
  return { mae: mae(y, p), rmse: rmse(y, p), r2: r2(y, p), mape: mape(y, p) };
}

function targetStats(y: Float64Array): TargetStats {
  const { mean, std } = meanStd(Array.from(y));
  let min = Infinity;
  let max = -Infinity;
  let absMean = 0;
  for (const v of y) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    absMean += Math.abs(v);
  }
  absMean /= y.length;
  let near = 0;
  for (const v of y) if (Math.abs(v) < 0.01 * absMean) near += 1;
  return { mean, std, min, max, nearZero: near / y.length };
}

/** Builds the regression methods over a context; the worker spreads them into its API. */
export function createRegressionApi(context: MlContext): RegressionApi {
  const sessions = new Map<string, Session>();
  const models = new Map<string, StoredModel>();
  const bestOf = new Map<string, RegressionFamily>();
  let counter = 0;

  async function readTarget(table: string, target: string) {
    const info = await context.source.describe(table);
    const column = info.columns.find((c) => c.name === target);
    if (!column)
      throw {
        code: 'unknown_column',
        message: `Table "${table}" has no column "${target}".`,
        params: { column: target },
      };
    return { info, column };
  }

  async function readSession(setup: RegressionSetup): Promise<Session> {
    const { column } = await readTarget(setup.table, setup.target);
    const features = setup.features.filter((f) => f !== setup.target);
    if (features.length === 0) throw { code: 'no_usable_features', message: 'Choose at least one feature column.' };
    const frame: Frame = await context.source.readFrame({ table: setup.table, columns: [setup.target, ...features] });
    const [target, ...featureColumns] = frame.columns;
    const auto = detectTask(target!, column.type, 'auto');
    detectTask(target!, column.type, 'regression');
    const detection: TaskDetection =
      auto.task === 'regression' ? auto : { ...auto, task: 'regression', reason: 'chosen' };
    const keep: number[] = [];
    const values = target!.values as Float64Array;
    for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) keep.push(i);
    const y = Float64Array.from(keep, (i) => values[i]!);
    if (detection.distinct < 2)
      throw {
        code: 'constant_target',
        message: `The target "${setup.target}" has one value on every row; there is nothing to predict.`,
        params: { column: setup.target },
      };
    const columns = featureColumns.filter((c) => c.kind !== 'date').map((c) => subsetColumn(c, keep));
    if (columns.length === 0)
      throw { code: 'no_usable_features', message: 'None of the chosen columns holds numbers or text.' };
    const resolved: Resolved = {
      table: setup.table,
      target: setup.target,
      features: columns.map((c) => c.name),
      folds: Math.max(2, Math.floor(setup.folds ?? 5)),
      testSize: setup.testSize === 0 ? 0 : Math.min(0.5, Math.max(0.05, setup.testSize ?? 0.2)),
      seed: setup.seed ?? 0,
      topK: setup.topK ?? 10,
    };
    const split =
      resolved.testSize === 0
        ? { train: Int32Array.from(y, (_, i) => i), test: new Int32Array(0) }
        : trainTestSplit(y.length, resolved.testSize, resolved.seed);
    if (split.train.length < 2 * resolved.folds)
      throw {
        code: 'too_few_rows',
        message: `Only ${split.train.length} training rows have a target; ${resolved.folds}-fold cross-validation needs at least ${2 * resolved.folds}.`,
        params: { rows: split.train.length, folds: resolved.folds },
      };
    const folds = kFold(split.train.length, resolved.folds, resolved.seed);
    counter += 1;
    const session: Session = { id: `rcmp-${counter}`, setup: resolved, detection, columns, y, split, folds };
    sessions.set(session.id, session);
    for (const key of sessions.keys()) if (sessions.size > 3) sessions.delete(key);
    return session;
  }

  function encode(session: Session, fitRows: Int32Array, applyRows: Int32Array[]): [FittedPreprocess, Matrix[]] {
    const fitted = fitPreprocess(session.columns, fitRows, session.setup.topK);
    if (fitted.columns.length === 0)
      throw { code: 'no_usable_features', message: 'No feature column has values in the training rows.' };
    return [fitted, applyRows.map((rows) => transformColumns(fitted, session.columns, rows))];
  }

  async function compare(
    request: RegressionCompareRequest,
    token: JobToken,
    onProgress?: AnalysisProgressCallback,
  ): Promise<RegressionCompareResult> {
    const started = performance.now();
    const pause = yielder();
    const session = await readSession(request);
    const wanted = (request.models?.length ? request.models : REGRESSION_FAMILIES).filter((f) => f !== 'baseline');
    const families: RegressionFamily[] = ['baseline', ...new Set(wanted)];
    const k = session.folds.length;
    const total = families.length * k;
    const encoded = session.folds.map((fold) => {
      const trainRows = take(session.split.train, fold.train);
      const testRows = take(session.split.train, fold.test);
      const [, [Xtr, Xte]] = encode(session, trainRows, [trainRows, testRows]);
      return { Xtr: Xtr!, Xte: Xte!, ytr: pick(session.y, trainRows), yte: pick(session.y, testRows) };
    });
    const rows: RegressionLeaderboardRow[] = [];
    let done = 0;
    for (const family of families) {
      const scores: RegressionTestMetrics[] = [];
      const fitMs: number[] = [];
      for (let f = 0; f < k; f++) {
        token.throwIfCancelled();
        const fold = encoded[f]!;
        const detail = `${family} ${f + 1}/${k}`;
        onProgress?.({ phase: 'train', done, total, detail });
        const t0 = performance.now();
        const model = await fitRegressor(family, fold.Xtr, fold.ytr, request.params?.[family] ?? NO_PARAMS, {
          token,
          pause,
          seed: session.setup.seed,
          onFraction: (x) => onProgress?.({ phase: 'train', done: done + Math.min(1, x), total, detail }),
        });
        fitMs.push(performance.now() - t0);
        try {
          scores.push(regressionScores(fold.yte, await model.predict(fold.Xte)));
        } finally {
          model.dispose();
        }
        done += 1;
        await pause();
      }
      const metric = (name: keyof RegressionTestMetrics) => meanStd(scores.map((s) => s[name]));
      const metrics: RegressionCvMetrics = {
        mae: metric('mae'),
        rmse: metric('rmse'),
        r2: metric('r2'),
        mape: metric('mape'),
      };
      rows.push({
        family,
        baseline: family === 'baseline',
        metrics,
        fitMs: meanStd(fitMs).mean,
        foldR2: scores.map((s) => s.r2),
        engine: TF_REGRESSION_FAMILIES.includes(family) ? activeBackend() : 'js',
      });
    }
    onProgress?.({ phase: 'train', done: total, total });
    rows.sort((a, b) => b.metrics.r2.mean - a.metrics.r2.mean || Number(a.baseline) - Number(b.baseline));
    const base = rows.find((r) => r.baseline)!;
    const bestRow = rows.find((r) => !r.baseline) ?? base;
    return {
      task: 'regression',
      detection: session.detection,
      comparisonId: session.id,
      setup: session.setup,
      nTrain: session.split.train.length,
      nTest: session.split.test.length,
      target: targetStats(pick(session.y, session.split.train)),
      nEncoded: encoded[0]!.Xtr.nCols,
      rows,
      best: bestRow.family,
      beatsBaseline:
        !bestRow.baseline &&
        bestRow.metrics.r2.mean - bestRow.metrics.r2.std > base.metrics.r2.mean + base.metrics.r2.std,
      backend: activeBackend(),
      elapsedMs: performance.now() - started,
    };
  }

  async function evaluate(
    request: RegressionEvaluateRequest,
    token: JobToken,
    onProgress?: AnalysisProgressCallback,
  ): Promise<RegressionEvaluation> {
    const pause = yielder();
    let session: Session;
    if (request.comparisonId) {
      const found = sessions.get(request.comparisonId);
      if (!found)
        throw {
          code: 'unknown_comparison',
          message: 'That comparison is no longer in memory; compare the models again.',
          params: { id: request.comparisonId },
        };
      session = found;
    } else if (request.setup) session = await readSession(request.setup);
    else throw { code: 'bad_request', message: 'Give a comparisonId or a setup.' };
    const family =
      request.family ?? (request.comparisonId ? bestOf.get(request.comparisonId) : undefined) ?? 'boosting';
    const { train, test } = session.split;
    if (test.length < 2)
      throw { code: 'bad_request', message: 'There is no held-out test part (testSize 0); compare with a test part.' };
    const [preprocess, [Xtr, Xte]] = encode(session, train, [train, test]);
    const ytr = pick(session.y, train);
    const yte = pick(session.y, test);
    onProgress?.({ phase: 'train', done: 0, total: 1, detail: family });
    const t0 = performance.now();
    const model = await fitRegressor(family, Xtr!, ytr, request.params ?? NO_PARAMS, {
      token,
      pause,
      seed: session.setup.seed,
      onFraction: (x) => onProgress?.({ phase: 'train', done: Math.min(1, x), total: 1, detail: family }),
    });
    const fitMs = performance.now() - t0;
    try {
      const predicted = await model.predict(Xte!);
      const metrics = regressionScores(yte, predicted);
      const dummy = await fitRegressor('baseline', Xtr!, ytr, NO_PARAMS, { token, pause, seed: 0 });
      const baseline = regressionScores(yte, await dummy.predict(Xte!));
      const groups = encodedGroups(preprocess);
      const perm = await groupPermutationImportance((X) => model.predict(X), Xte!, yte, groups, r2, {
        nRepeats: 3,
        seed: session.setup.seed,
        onGroup: async (g, n) => {
          token.throwIfCancelled();
          onProgress?.({ phase: 'evaluate', done: g, total: n, detail: preprocess.columns[g]!.name });
          await pause();
        },
      });
      const modelImp = model.importances();
      const importance: FeatureImportance[] = preprocess.columns.map((c, g) => {
        let imp: number | null = null;
        if (modelImp) {
          imp = 0;
          for (let j = 0; j < groups.length; j++) if (groups[j] === g) imp += modelImp[j]!;
        }
        return { feature: c.name, permutation: perm.mean[g]!, permutationStd: perm.std[g]!, model: imp };
      });
      importance.sort((a, b) => b.permutation - a.permutation);
      const lin = model.linear();
      const names = encodedNames(preprocess);
      const coefficients = lin
        ? Array.from(lin.coef, (coef, j) => ({ name: names[j]!, coef })).sort(
            (a, b) => Math.abs(b.coef) - Math.abs(a.coef),
          )
        : null;
      counter += 1;
      const modelId = `reg-${counter}`;
      const info: RegressionModelInfo = {
        task: 'regression',
        modelId,
        name: request.name ?? `${family} · ${session.setup.table}`,
        family,
        table: session.setup.table,
        target: session.setup.target,
        features: preprocess.columns.map((c) => c.name),
        testR2: metrics.r2,
        testMae: metrics.mae,
        createdAt: new Date().toISOString(),
      };
      models.set(modelId, { info, preprocess, model });
      return {
        task: 'regression',
        modelId,
        name: info.name,
        family,
        target: session.setup.target,
        nTrain: train.length,
        nTest: test.length,
        metrics,
        baseline,
        importance,
        coefficients,
        intercept: lin ? lin.intercept : null,
        actual: yte,
        predicted,
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
    if (!m) throw { code: 'unknown_model', message: `No model ${modelId} in memory.`, params: { id: modelId } };
    return m;
  }

  async function predict(
    request: RegressionPredictRequest,
    token: JobToken,
    onProgress?: AnalysisProgressCallback,
  ): Promise<RegressionPredictResult> {
    const pause = yielder();
    const { preprocess, model } = stored(request.modelId);
    const table = await context.source.describe(request.table);
    const features = preprocess.columns.map((c) => c.name);
    const idColumns = table.columns
      .filter((c) => ID_ROLES.has(c.role) || /(^id$|_id$|^id_)/i.test(c.name))
      .map((c) => c.name)
      .filter((name) => !features.includes(name))
      .slice(0, 2);
    const frame = await context.source.readFrame({ table: request.table, columns: [...idColumns, ...features] });
    const featureColumns = frame.columns.slice(idColumns.length);
    const prediction = new Float64Array(frame.nRows);
    const chunk = 5000;
    for (let start = 0; start < frame.nRows; start += chunk) {
      token.throwIfCancelled();
      onProgress?.({ phase: 'score', done: start, total: frame.nRows });
      const rows = Int32Array.from({ length: Math.min(chunk, frame.nRows - start) }, (_, k) => start + k);
      prediction.set(await model.predict(transformColumns(preprocess, featureColumns, rows)), start);
      await pause();
    }
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of prediction) {
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    onProgress?.({ phase: 'write', done: 0, total: 1 });
    const written = await context.source.writeFrame({
      name: request.into ?? `${request.table}_predictions`,
      frame: {
        nRows: frame.nRows,
        columns: [
          ...frame.columns.slice(0, idColumns.length),
          { name: 'prediction', kind: 'number', values: prediction },
        ],
      },
      derivation: { kind: 'predictions', from: request.table },
    });
    return {
      table: written.name,
      rows: frame.nRows,
      idColumns,
      mean: frame.nRows ? sum / frame.nRows : NaN,
      min: frame.nRows ? min : NaN,
      max: frame.nRows ? max : NaN,
    };
  }

  return {
    classifyDetectTask: async (table, target, choice = 'auto') => {
      const { column } = await readTarget(table, target);
      const frame = await context.source.readFrame({ table, columns: [target] });
      return detectTask(frame.columns[0]!, column.type, choice);
    },
    regressionCompare: (jobId, request, onProgress) =>
      context.jobs.run(jobId, async (token) => {
        const result = await compare(request, token, onProgress);
        bestOf.set(result.comparisonId, result.best);
        return result;
      }),
    regressionEvaluate: (jobId, request, onProgress) =>
      context.jobs.run(jobId, (token) => evaluate(request, token, onProgress)),
    regressionPredict: (jobId, request, onProgress) =>
      context.jobs.run(jobId, (token) => predict(request, token, onProgress)),
    regressionListModels: async () => [...models.values()].map((m) => ({ ...m.info })),
    regressionExportModel: async (modelId) => {
      const { info, preprocess, model } = stored(modelId);
      const { modelId: _id, ...rest } = info;
      void _id;
      return { format: 'shopsight-regressor', version: 1, info: rest, preprocess, model: await model.toFile() };
    },
    regressionImportModel: async (file: RegressionModelFile) => {
      if (file?.format !== 'shopsight-regressor' || file.version !== 1 || !file.model || !file.preprocess) {
        throw { code: 'bad_model', message: 'This is not a ShopSight regression model file.' };
      }
      const model = await loadRegressor(file.info.family, file.model);
      counter += 1;
      const info: RegressionModelInfo = { ...file.info, task: 'regression', modelId: `reg-${counter}` };
      models.set(info.modelId, { info, preprocess: file.preprocess, model });
      return { ...info };
    },
    regressionDeleteModel: async (modelId) => {
      models.get(modelId)?.model.dispose();
      return models.delete(modelId);
    },
  };
}
