/**
 * The embed methods of the Classify chapter: `compareModels` (k-fold CV leaderboard beside the
 * majority-class baseline), `train` (fit one family on a table's training part and test it on
 * the held-out part), `evaluate` (the full held-out evaluation of a comparison's best or chosen
 * family), `predict` (score a table into a new 'predictions' table), `listModels`, and `cancel`
 * for a running Classify job. Long calls take an optional host-chosen `jobId`, which `cancel`
 * refers to. `task` ('auto' by default) picks classification or regression: a numeric target
 * with more than two values is a regression, run by the `regression` member of the backend.
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
import {
  REGRESSION_FAMILIES,
  type RegressionCompareRequest,
  type RegressionCompareResult,
  type RegressionEvaluateRequest,
  type RegressionEvaluation,
  type RegressionFamily,
  type RegressionModelInfo,
  type RegressionPredictRequest,
  type RegressionPredictResult,
  type TaskChoice,
  type TaskDetection,
} from '../contracts/regression-api';
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
  /** Regression for numeric targets (`RegressionClient`); without it only classification runs. */
  regression?: RegressionBackend;
}

/** What the regression side of the Classify embed methods needs (`RegressionClient` provides it). */
export interface RegressionBackend {
  detectTask(table: string, target: string, choice?: TaskChoice): Promise<TaskDetection>;
  compare(
    jobId: string,
    request: RegressionCompareRequest,
    onProgress?: ProgressCallback,
  ): Promise<RegressionCompareResult>;
  evaluate(
    jobId: string,
    request: RegressionEvaluateRequest,
    onProgress?: ProgressCallback,
  ): Promise<RegressionEvaluation>;
  predict(
    jobId: string,
    request: RegressionPredictRequest,
    onProgress?: ProgressCallback,
  ): Promise<RegressionPredictResult>;
  listModels(): Promise<RegressionModelInfo[]>;
  cancel(jobId: string): Promise<boolean>;
}

/** A Classify backend that also runs regression (the app's two clients, bound together). */
export function withRegression(classify: ClassifyBackend, regression: RegressionBackend): ClassifyBackend {
  return {
    compare: (jobId, request, onProgress) => classify.compare(jobId, request, onProgress),
    evaluate: (jobId, request, onProgress) => classify.evaluate(jobId, request, onProgress),
    predict: (jobId, request, onProgress) => classify.predict(jobId, request, onProgress),
    listModels: () => classify.listModels(),
    search: (jobId, request, onProgress) => classify.search(jobId, request, onProgress),
    // Both clients reach the same job registry; each retries only for jobs it started.
    cancel: async (jobId) => (await classify.cancel(jobId)) || (await regression.cancel(jobId)),
    regression,
  };
}

const ALL_FAMILIES: readonly string[] = [...new Set<string>([...CLASSIFY_FAMILIES, ...REGRESSION_FAMILIES])];
const TASKS: readonly TaskChoice[] = ['auto', 'classification', 'regression'];

function regressionOf(backend: EmbedBackend): RegressionBackend {
  const regression = backend.classify.regression;
  if (!regression) throw { code: 'internal', message: 'Regression is not available in this build.' };
  return regression;
}

/** The task a setup runs: the host's choice, or detected from the target column. */
async function resolveTask(backend: EmbedBackend, setup: SetupParams): Promise<'classification' | 'regression'> {
  const choice = setup.task ?? 'auto';
  if (choice === 'classification') return 'classification';
  const regression = backend.classify.regression;
  if (!regression) return 'classification';
  return (await regression.detectTask(setup.table, setup.target, choice)).task;
}

/**
 * Jobs whose embed call is still detecting the task (before the worker knows their id): a
 * `cancel` meanwhile is remembered here, so the job stops before it starts, and `cancel` keeps
 * asking the worker until the job has either started (and is flagged) or ended.
 */
const starting = new Map<string, { cancelled: boolean; stopped: boolean }>();

async function startingJob<T>(jobId: string, work: (proceed: () => void) => Promise<T>): Promise<T> {
  const state = { cancelled: false, stopped: false };
  starting.set(jobId, state);
  try {
    return await work(() => {
      if (!state.cancelled) return;
      state.stopped = true;
      throw { code: 'cancelled', message: 'Cancelled.' };
    });
  } finally {
    starting.delete(jobId);
  }
}

/** Rejects families that do not exist for the task (e.g. `linear` for a yes/no target). */
function checkFamilies(task: 'classification' | 'regression', families: readonly string[]): void {
  const known: readonly string[] = task === 'regression' ? REGRESSION_FAMILIES : CLASSIFY_FAMILIES;
  const wrong = families.find((f) => !known.includes(f));
  if (wrong !== undefined)
    throw {
      code: 'model_not_for_task',
      message: `The model family "${wrong}" does not exist for ${task}; choose from ${known.join(', ')}.`,
      params: { model: wrong, task, models: known.join(', ') },
    };
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

function family(p: ParamReader, name: string): ClassifyFamily | RegressionFamily | undefined {
  const value = p.raw(name);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !ALL_FAMILIES.includes(value)) {
    p.fail(name, `must be one of ${ALL_FAMILIES.map((f) => `"${f}"`).join(', ')}, got ${describeValue(value)}.`);
  }
  return value as ClassifyFamily | RegressionFamily;
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

const SETUP_PARAMS = ['table', 'target', 'features', 'folds', 'seed', 'testSize', 'positive', 'task'] as const;

/** A setup whose `features` may still be missing (then: every candidate column of the table). */
type SetupParams = Omit<ClassifySetup, 'features'> & { features?: string[]; task?: TaskChoice };

function readSetup(p: ParamReader): SetupParams {
  const features = columnList(p, 'features');
  const folds = p.optionalInteger('folds', { min: 2, max: 20 });
  const seed = p.optionalInteger('seed', { min: 0, max: 2 ** 31 - 1 });
  const testSize = p.raw('testSize');
  if (testSize !== undefined && (typeof testSize !== 'number' || !(testSize >= 0.05 && testSize <= 0.5))) {
    p.fail('testSize', 'must be a fraction from 0.05 to 0.5.');
  }
  const positive = p.optionalString('positive', NAME_RULE);
  const task = p.raw('task');
  if (task !== undefined && !(TASKS as readonly unknown[]).includes(task)) {
    p.fail('task', `must be one of ${TASKS.map((t) => `"${t}"`).join(', ')}, got ${describeValue(task)}.`);
  }
  return {
    ...(task === undefined ? {} : { task: task as TaskChoice }),
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
  const { task: _task, ...rest } = setup;
  void _task;
  if (rest.features) return { ...rest, features: rest.features };
  const table = (await backend.listTables()).find((t) => t.name === rest.table);
  // An unknown table: the worker names it in its error.
  return { ...rest, features: table ? featureCandidates(table, rest.target).map((c) => c.name) : [] };
}

/** The setup as the regression service takes it (no positive class). */
function regressionSetup(setup: ClassifySetup): RegressionCompareRequest {
  const { positive: _positive, ...rest } = setup;
  void _positive;
  return rest;
}

/** What `train` and `evaluate` return: the evaluation without the per-row test scores. */
export type EmbedEvaluation = Omit<ClassifyEvaluation, 'yTest' | 'scoreTest'> & {
  jobId: string;
  task: 'classification';
};

/** A regression evaluation as the host gets it: without the per-row test targets and predictions. */
export type EmbedRegressionEvaluation = Omit<RegressionEvaluation, 'actual' | 'predicted'> & { jobId: string };

function forHost(ev: ClassifyEvaluation, jobId: string): EmbedEvaluation {
  const { yTest: _y, scoreTest: _s, ...rest } = ev;
  void _y;
  void _s;
  return { ...rest, task: 'classification', jobId };
}

function regressionForHost(ev: RegressionEvaluation, jobId: string): EmbedRegressionEvaluation {
  const { actual: _a, predicted: _p, ...rest } = ev;
  void _a;
  void _p;
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
          !models.every((m) => typeof m === 'string' && ALL_FAMILIES.includes(m)))
      ) {
        p.fail('models', `must be a non-empty list of ${ALL_FAMILIES.map((f) => `"${f}"`).join(', ')}.`);
      }
      return {
        setup: readSetup(p),
        models: models === undefined ? undefined : ([...models] as string[]),
        jobId: readJobId(p),
      };
    },
    async run(
      backend,
      { setup, models, jobId },
      progress,
    ): Promise<((ClassifyCompareResult & { task: 'classification' }) | RegressionCompareResult) & { jobId: string }> {
      return startingJob(jobId, async (proceed) => {
        const task = await resolveTask(backend, setup);
        if (models) checkFamilies(task, models);
        const resolved = await resolveSetup(backend, setup);
        proceed();
        if (task === 'regression') {
          const request: RegressionCompareRequest = {
            ...regressionSetup(resolved),
            ...(models ? { models: models as RegressionFamily[] } : {}),
          };
          return { ...(await regressionOf(backend).compare(jobId, request, progress)), jobId };
        }
        const request: ClassifyCompareRequest = {
          ...resolved,
          ...(models ? { models: models as ClassifyFamily[] } : {}),
        };
        return { ...(await backend.classify.compare(jobId, request, progress)), task: 'classification', jobId };
      });
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
    async run(
      backend,
      { setup, jobId, family: model, threshold: t, ...rest },
      progress,
    ): Promise<EmbedEvaluation | EmbedRegressionEvaluation> {
      return startingJob(jobId, async (proceed) => {
        const task = await resolveTask(backend, setup);
        checkFamilies(task, [model]);
        const resolved = await resolveSetup(backend, setup);
        proceed();
        if (task === 'regression') {
          const request: RegressionEvaluateRequest = {
            setup: regressionSetup(resolved),
            family: model as RegressionFamily,
            ...rest,
          };
          return regressionForHost(await regressionOf(backend).evaluate(jobId, request, progress), jobId);
        }
        const request: ClassifyEvaluateRequest = {
          setup: resolved,
          family: model as ClassifyFamily,
          ...(t === undefined ? {} : { threshold: t }),
          ...rest,
        };
        return forHost(await backend.classify.evaluate(jobId, request, progress), jobId);
      });
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
    async run(backend, { jobId, ...request }, progress): Promise<EmbedEvaluation | EmbedRegressionEvaluation> {
      // Regression comparisons have their own ids (`rcmp-…`, from the regression service).
      if (request.comparisonId.startsWith('rcmp-')) {
        if (request.family) checkFamilies('regression', [request.family]);
        const { threshold: _t, ...rest } = request;
        void _t;
        const req: RegressionEvaluateRequest = { ...rest, family: rest.family as RegressionFamily | undefined };
        if (req.family === undefined) delete req.family;
        return regressionForHost(await regressionOf(backend).evaluate(jobId, req, progress), jobId);
      }
      if (request.family) checkFamilies('classification', [request.family]);
      const req: ClassifyEvaluateRequest = { ...request, family: request.family as ClassifyFamily | undefined };
      if (req.family === undefined) delete req.family;
      return forHost(await backend.classify.evaluate(jobId, req, progress), jobId);
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
    async run(
      backend,
      { request, jobId },
      progress,
    ): Promise<(ClassifyPredictResult | RegressionPredictResult) & { jobId: string }> {
      // Regression models have their own ids (`reg-…`); their table gets a `prediction` column.
      if (request.modelId.startsWith('reg-')) {
        const { threshold: _t, ...rest } = request;
        void _t;
        return { ...(await regressionOf(backend).predict(jobId, rest, progress)), jobId };
      }
      return { ...(await backend.classify.predict(jobId, request, progress)), jobId };
    },
  }),

  listModels: defineMethod('listModels', {
    params: [],
    parse: () => ({}),
    async run(backend): Promise<(ClassifyModelInfo | RegressionModelInfo)[]> {
      const regression = backend.classify.regression;
      return [...(await backend.classify.listModels()), ...(regression ? await regression.listModels() : [])];
    },
  }),

  cancel: defineMethod('cancel', {
    params: ['jobId'],
    parse: (p) => ({ jobId: p.string('jobId', { maxLength: 64 }) }),
    async run(backend, { jobId }): Promise<{ jobId: string; cancelled: boolean }> {
      const early = starting.get(jobId);
      if (!early) return { jobId, cancelled: await backend.classify.cancel(jobId) };
      early.cancelled = true;
      // The job is still detecting its task: it stops before it starts, or, if it started in
      // the meantime, the worker flags it.
      while (starting.has(jobId)) {
        if (await backend.classify.cancel(jobId)) return { jobId, cancelled: true };
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return { jobId, cancelled: early.stopped };
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
