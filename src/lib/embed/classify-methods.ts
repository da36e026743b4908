/**
 * The embed methods of the Classify chapter: `compareModels` (k-fold CV leaderboard beside the
 * majority-class baseline), `train` (fit one family on a table's training part and test it on
 * the held-out part), `evaluate` (the full held-out evaluation of a comparison's best or chosen
 * family), `predict` (score a table into a new 'predictions' table), `listModels`, and `cancel`
 * for a running Classify job. Long calls take an optional host-chosen `jobId`, which `cancel`
 * refers to.
 */
import type { ProgressCallback } from '../contracts/data-api';
import {
  CLASSIFY_FAMILIES,
  type ClassifyCompareRequest,
  type ClassifyCompareResult,
  type ClassifyEvaluateRequest,
  type ClassifyEvaluation,
  type ClassifyFamily,
  type ClassifyModelInfo,
  type ClassifyParams,
  type ClassifyPredictRequest,
  type ClassifyPredictResult,
  type ClassifySetup,
} from '../contracts/classify-api';
import {
  SEARCH_FAMILIES,
  type ClassifySearchRequest,
  type ClassifySearchResult,
  type SearchFamily,
} from '../contracts/classify-explain-api';
import { featureCandidates } from '../ml/classify/candidates';
import { NAME_RULE, defineMethod, type EmbedBackend } from './methods';
import type { ParamReader } from './params';
import { describeValue } from './protocol';

/** What the Classify embed methods need from the app (`ClassifyClient` provides it). */
export interface ClassifyBackend {
  compare(
    jobId: string,
    request: ClassifyCompareRequest,
    onProgress?: ProgressCallback,
  ): Promise<ClassifyCompareResult>;
  evaluate(jobId: string, request: ClassifyEvaluateRequest, onProgress?: ProgressCallback): Promise<ClassifyEvaluation>;
  predict(
    jobId: string,
    request: ClassifyPredictRequest,
    onProgress?: ProgressCallback,
  ): Promise<ClassifyPredictResult>;
  listModels(): Promise<ClassifyModelInfo[]>;
  cancel(jobId: string): Promise<boolean>;
  search(jobId: string, request: ClassifySearchRequest, onProgress?: ProgressCallback): Promise<ClassifySearchResult>;
}

const JOB_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
let jobCounter = 0;

function readJobId(p: ParamReader): string {
  const value = p.optionalString('jobId', { maxLength: 64 });
  if (value !== undefined && !JOB_ID.test(value)) p.fail('jobId', 'must be 1–64 letters, digits, _ . : or -.');
  jobCounter += 1;
  return value ?? `embed-classify-${jobCounter}-${Date.now().toString(36)}`;
}

function columnList(p: ParamReader, name: string): string[] | undefined {
  const value = p.raw(name);
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every((f) => typeof f === 'string' && f !== '')) {
    p.fail(name, 'must be a non-empty list of column names.');
  }
  return [...(value as string[])];
}

function family(p: ParamReader, name: string): ClassifyFamily | undefined {
  const value = p.raw(name);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(CLASSIFY_FAMILIES as readonly string[]).includes(value)) {
    p.fail(name, `must be one of ${CLASSIFY_FAMILIES.map((f) => `"${f}"`).join(', ')}, got ${describeValue(value)}.`);
  }
  return value as ClassifyFamily;
}

function threshold(p: ParamReader): number | undefined {
  const value = p.raw('threshold');
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) p.fail('threshold', 'must be a number from 0 to 1.');
  return value;
}

const NUMERIC_PARAMS = [
  'maxDepth',
  'nEstimators',
  'maxIter',
  'k',
  'minSamplesLeaf',
  'learningRate',
  'maxLeafNodes',
  'C',
];

/** Hyperparameters given by the host (e.g. a search's `best`): positive numbers by name. */
function modelParams(p: ParamReader): ClassifyParams | undefined {
  const value = p.raw('params');
  if (value === undefined) return undefined;
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    !Object.entries(value).every(
      ([k, v]) => NUMERIC_PARAMS.includes(k) && typeof v === 'number' && Number.isFinite(v) && v > 0,
    )
  ) {
    p.fail('params', `must be an object of ${NUMERIC_PARAMS.join(', ')} → positive numbers.`);
  }
  return { ...(value as ClassifyParams) };
}

const SETUP_PARAMS = ['table', 'target', 'features', 'folds', 'seed', 'testSize', 'positive'] as const;

/** A setup whose `features` may still be missing (then: every candidate column of the table). */
type SetupParams = Omit<ClassifySetup, 'features'> & { features?: string[] };

function readSetup(p: ParamReader): SetupParams {
  const features = columnList(p, 'features');
  const folds = p.optionalInteger('folds', { min: 2, max: 20 });
  const seed = p.optionalInteger('seed', { min: 0, max: 2 ** 31 - 1 });
  const testSize = p.raw('testSize');
  if (testSize !== undefined && (typeof testSize !== 'number' || !(testSize >= 0.05 && testSize <= 0.5))) {
    p.fail('testSize', 'must be a fraction from 0.05 to 0.5.');
  }
  const positive = p.optionalString('positive', NAME_RULE);
  return {
    table: p.string('table', NAME_RULE),
    target: p.string('target', NAME_RULE),
    ...(features ? { features } : {}),
    ...(folds === undefined ? {} : { folds }),
    ...(seed === undefined ? {} : { seed }),
    ...(testSize === undefined ? {} : { testSize: testSize as number }),
    ...(positive === undefined ? {} : { positive }),
  };
}

async function resolveSetup(backend: EmbedBackend, setup: SetupParams): Promise<ClassifySetup> {
  if (setup.features) return { ...setup, features: setup.features };
  const table = (await backend.listTables()).find((t) => t.name === setup.table);
  // An unknown table: the worker names it in its error.
  return { ...setup, features: table ? featureCandidates(table, setup.target).map((c) => c.name) : [] };
}

/** What `train` and `evaluate` return: the evaluation without the per-row test scores. */
export type EmbedEvaluation = Omit<ClassifyEvaluation, 'yTest' | 'scoreTest'> & { jobId: string };

function forHost(ev: ClassifyEvaluation, jobId: string): EmbedEvaluation {
  const { yTest: _y, scoreTest: _s, ...rest } = ev;
  void _y;
  void _s;
  return { ...rest, jobId };
}

/** The Classify methods; merged into the v1 table in `method-table.ts`. */
export const CLASSIFY_METHODS = {
  compareModels: defineMethod('compareModels', {
    params: [...SETUP_PARAMS, 'models', 'jobId'],
    parse(p) {
      const models = p.raw('models') as unknown[] | undefined;
      if (
        models !== undefined &&
        (!Array.isArray(models) ||
          models.length === 0 ||
          !models.every((m) => typeof m === 'string' && (CLASSIFY_FAMILIES as readonly string[]).includes(m)))
      ) {
        p.fail('models', `must be a non-empty list of ${CLASSIFY_FAMILIES.map((f) => `"${f}"`).join(', ')}.`);
      }
      return {
        setup: readSetup(p),
        models: models === undefined ? undefined : ([...models] as ClassifyFamily[]),
        jobId: readJobId(p),
      };
    },
    async run(backend, { setup, models, jobId }, progress): Promise<ClassifyCompareResult & { jobId: string }> {
      const request: ClassifyCompareRequest = {
        ...(await resolveSetup(backend, setup)),
        ...(models ? { models } : {}),
      };
      return { ...(await backend.classify.compare(jobId, request, progress)), jobId };
    },
  }),

  train: defineMethod('train', {
    params: [...SETUP_PARAMS, 'model', 'threshold', 'name', 'jobId'],
    parse(p) {
      const name = p.optionalString('name', NAME_RULE);
      const t = threshold(p);
      return {
        setup: readSetup(p),
        family: family(p, 'model') ?? 'boosting',
        ...(t === undefined ? {} : { threshold: t }),
        ...(name === undefined ? {} : { name }),
        jobId: readJobId(p),
      };
    },
    async run(backend, { setup, jobId, ...rest }, progress): Promise<EmbedEvaluation> {
      const request: ClassifyEvaluateRequest = { setup: await resolveSetup(backend, setup), ...rest };
      return forHost(await backend.classify.evaluate(jobId, request, progress), jobId);
    },
  }),

  evaluate: defineMethod('evaluate', {
    params: ['comparisonId', 'model', 'threshold', 'name', 'params', 'jobId'],
    parse(p) {
      const f = family(p, 'model');
      const t = threshold(p);
      const name = p.optionalString('name', NAME_RULE);
      const params = modelParams(p);
      return {
        comparisonId: p.string('comparisonId', { maxLength: 64 }),
        ...(f ? { family: f } : {}),
        ...(params ? { params } : {}),
        ...(t === undefined ? {} : { threshold: t }),
        ...(name === undefined ? {} : { name }),
        jobId: readJobId(p),
      };
    },
    async run(backend, { jobId, ...request }, progress): Promise<EmbedEvaluation> {
      return forHost(await backend.classify.evaluate(jobId, request, progress), jobId);
    },
  }),

  predict: defineMethod('predict', {
    mutates: true,
    params: ['modelId', 'table', 'into', 'threshold', 'explain', 'jobId'],
    parse(p) {
      const into = p.optionalString('into', NAME_RULE);
      const t = threshold(p);
      const explain = p.optionalBoolean('explain');
      return {
        request: {
          modelId: p.string('modelId', { maxLength: 64 }),
          table: p.string('table', NAME_RULE),
          ...(into === undefined ? {} : { into }),
          ...(t === undefined ? {} : { threshold: t }),
          ...(explain ? { explain } : {}),
        } satisfies ClassifyPredictRequest,
        jobId: readJobId(p),
      };
    },
    async run(backend, { request, jobId }, progress): Promise<ClassifyPredictResult & { jobId: string }> {
      return { ...(await backend.classify.predict(jobId, request, progress)), jobId };
    },
  }),

  listModels: defineMethod('listModels', {
    params: [],
    parse: () => ({}),
    run: (backend): Promise<ClassifyModelInfo[]> => backend.classify.listModels(),
  }),

  cancel: defineMethod('cancel', {
    params: ['jobId'],
    parse: (p) => ({ jobId: p.string('jobId', { maxLength: 64 }) }),
    async run(backend, { jobId }): Promise<{ jobId: string; cancelled: boolean }> {
      return { jobId, cancelled: await backend.classify.cancel(jobId) };
    },
  }),

  search: defineMethod('search', {
    params: ['comparisonId', 'model', 'mode', 'nIter', 'seed', 'space', 'jobId'],
    parse(p) {
      const model = p.raw('model');
      if (typeof model !== 'string' || !(SEARCH_FAMILIES as readonly string[]).includes(model)) {
        p.fail(
          'model',
          `must be one of ${SEARCH_FAMILIES.map((f) => `"${f}"`).join(', ')}, got ${describeValue(model)}.`,
        );
      }
      const mode = p.raw('mode');
      if (mode !== undefined && mode !== 'grid' && mode !== 'random') p.fail('mode', 'must be "grid" or "random".');
      const nIter = p.optionalInteger('nIter', { min: 1, max: 60 });
      const seed = p.optionalInteger('seed', { min: 0, max: 2 ** 31 - 1 });
      const space = p.raw('space');
      if (
        space !== undefined &&
        (typeof space !== 'object' ||
          space === null ||
          Array.isArray(space) ||
          !Object.values(space).every((v) => Array.isArray(v) && v.length > 0 && v.every((n) => typeof n === 'number')))
      ) {
        p.fail('space', 'must be an object of parameter name → non-empty list of numbers.');
      }
      const request: ClassifySearchRequest = {
        comparisonId: p.string('comparisonId', { maxLength: 64 }),
        family: model as SearchFamily,
        ...(mode === undefined ? {} : { mode: mode as 'grid' | 'random' }),
        ...(nIter === undefined ? {} : { nIter }),
        ...(seed === undefined ? {} : { seed }),
        ...(space === undefined
          ? {}
          : { space: structuredClone(space) as NonNullable<ClassifySearchRequest['space']> }),
      };
      return { request, jobId: readJobId(p) };
    },
    async run(backend, { request, jobId }, progress): Promise<ClassifySearchResult & { jobId: string }> {
      return { ...(await backend.classify.search(jobId, request, progress)), jobId };
    },
  }),
};
