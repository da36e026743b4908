/**
 * The regression side of the Classify chapter in the ML worker API: when the target is a number
 * with many values (or the user asks for it), model families are compared by k-fold CV on MAE,
 * RMSE, R² and MAPE, always beside the training-mean baseline; the chosen family is tested once
 * on the held-out part (residuals, predicted vs actual, importances, coefficients); tables are
 * scored into a derived 'predictions' table with a `prediction` column; models move as JSON.
 * Everything is plain structured-cloneable data.
 */
import type { AnalysisProgressCallback } from './frame';
import type { FeatureImportance, MeanStd, PreprocessJson } from './classify-api';
import type { SerialisedModelInfo, TrainBackendName } from './train-api';

/** What Classify learns: a yes/no label, or a number. */
export type ClassifyTask = 'classification' | 'regression';

/** The task a caller asks for: 'auto' detects it from the target column. */
export type TaskChoice = 'auto' | ClassifyTask;

/** Why a task was chosen, so the UI and the host can say so. */
export interface TaskDetection {
  task: ClassifyTask;
  /**
   * 'chosen': the caller's override; 'numeric_many_values': a number column with more than two
   * values; 'two_values': exactly two values (yes/no); 'text_values': text (classification).
   */
  reason: 'chosen' | 'numeric_many_values' | 'two_values' | 'text_values';
  /** Distinct non-missing target values. */
  distinct: number;
  /** Whether the target column holds numbers (booleans are not numbers here). */
  numeric: boolean;
}

/** Regression families; 'baseline' predicts the training mean for every row. */
export type RegressionFamily = 'baseline' | 'linear' | 'ridge' | 'lasso' | 'tree' | 'forest' | 'boosting' | 'mlp';

/** Every family but the baseline, in leaderboard order. */
export const REGRESSION_FAMILIES: readonly Exclude<RegressionFamily, 'baseline'>[] = [
  'linear',
  'ridge',
  'lasso',
  'tree',
  'forest',
  'boosting',
  'mlp',
];

/** Families that train on TF.js; the others are TypeScript in the worker. */
export const TF_REGRESSION_FAMILIES: readonly RegressionFamily[] = ['mlp'];

/** Hyperparameters per family (defaults follow scikit-learn's where one exists). */
export interface RegressionParams {
  /** Ridge penalty (default 1, sklearn's) or lasso penalty (default 0.01 · std of the training target). */
  alpha?: number;
  /** Decision tree depth (default 6). */
  maxDepth?: number;
  /** Trees in the forest (default 100). */
  nEstimators?: number;
  /** Boosting iterations (default 100). */
  maxIter?: number;
  /** MLP hidden layer sizes (default [64]). */
  hidden?: number[];
  /** MLP epochs (default 100). */
  epochs?: number;
}

/** What to learn: a table, the numeric target column and the feature columns. */
export interface RegressionSetup {
  table: string;
  target: string;
  features: string[];
  /** Cross-validation folds (default 5). */
  folds?: number;
  /** Fraction of rows held out for the final test (default 0.2; 0 = CV on every row, no test part). */
  testSize?: number;
  seed?: number;
  /** Most frequent text values one-hot encoded per column (default 10). */
  topK?: number;
}

export interface RegressionCompareRequest extends RegressionSetup {
  /** Families to compare (the baseline is always added). Default: all. */
  models?: RegressionFamily[];
  params?: Partial<Record<RegressionFamily, RegressionParams>>;
}

/** Cross-validated regression metrics (MAPE as a fraction, like sklearn). */
export interface RegressionCvMetrics {
  mae: MeanStd;
  rmse: MeanStd;
  r2: MeanStd;
  mape: MeanStd;
}

export type RegressionMetricName = keyof RegressionCvMetrics;

/** One family's cross-validated scores. */
export interface RegressionLeaderboardRow {
  family: RegressionFamily;
  baseline: boolean;
  metrics: RegressionCvMetrics;
  /** Mean fit time per fold (ms). */
  fitMs: number;
  /** Per-fold R². */
  foldR2: number[];
  engine: TrainBackendName | 'js';
}

/** Summary of the training target, to read MAE/RMSE against. */
export interface TargetStats {
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Share of training rows with |y| < 1 % of the mean |y| (MAPE explodes on those). */
  nearZero: number;
}

export interface RegressionCompareResult {
  task: 'regression';
  detection: TaskDetection;
  comparisonId: string;
  setup: Required<RegressionSetup>;
  nTrain: number;
  nTest: number;
  target: TargetStats;
  nEncoded: number;
  /** Sorted by mean R² (higher first), baseline included. */
  rows: RegressionLeaderboardRow[];
  best: RegressionFamily;
  /** True when the best family's mean R² minus its std exceeds the baseline's mean plus std. */
  beatsBaseline: boolean;
  backend: TrainBackendName;
  elapsedMs: number;
}

/** Fit one family on the training part and test it on the held-out part. */
export interface RegressionEvaluateRequest {
  comparisonId?: string;
  setup?: RegressionSetup;
  /** Default: the comparison's best family (or 'boosting' without a comparison). */
  family?: RegressionFamily;
  params?: RegressionParams;
  name?: string;
}

export interface RegressionTestMetrics {
  mae: number;
  rmse: number;
  r2: number;
  mape: number;
}

/** A linear model's coefficient on a standardised (or one-hot) encoded column, in target units. */
export interface RegressionCoefficient {
  name: string;
  coef: number;
}

export interface RegressionEvaluation {
  task: 'regression';
  modelId: string;
  name: string;
  family: RegressionFamily;
  target: string;
  nTrain: number;
  nTest: number;
  metrics: RegressionTestMetrics;
  /** The training-mean baseline on the same test rows. */
  baseline: RegressionTestMetrics;
  /** `permutation`: mean R² lost when the column is shuffled on the test part. */
  importance: FeatureImportance[];
  /** Linear families: coefficients by |size|, and the intercept. */
  coefficients: RegressionCoefficient[] | null;
  intercept: number | null;
  /** Test targets and predictions (for the scatter charts). */
  actual: Float64Array;
  predicted: Float64Array;
  fitMs: number;
  engine: TrainBackendName | 'js';
}

export interface RegressionPredictRequest {
  modelId: string;
  table: string;
  /** Result table name (default `<table>_predictions`). */
  into?: string;
}

export interface RegressionPredictResult {
  table: string;
  rows: number;
  idColumns: string[];
  /** Summary of the written `prediction` column. */
  mean: number;
  min: number;
  max: number;
}

/** A regression model the worker holds. */
export interface RegressionModelInfo {
  task: 'regression';
  modelId: string;
  name: string;
  family: RegressionFamily;
  table: string;
  target: string;
  features: string[];
  /** Test R² and MAE when it was evaluated. */
  testR2: number | null;
  testMae: number | null;
  createdAt: string;
}

/** A regression model file (download, upload, IndexedDB); loading it gives identical predictions. */
export interface RegressionModelFile {
  format: 'shopsight-regressor';
  version: 1;
  info: Omit<RegressionModelInfo, 'modelId'>;
  preprocess: PreprocessJson;
  model:
    | { engine: 'js'; json: Record<string, unknown> }
    | { engine: 'tf'; json: SerialisedModelInfo; yMean: number; yStd: number };
}

/** The regression methods of the ML worker (all reject with `ShopSightErrorInfo`). */
export interface RegressionApi {
  /** Which task a target column calls for (`choice` 'auto' detects; otherwise checks it can run). */
  classifyDetectTask(table: string, target: string, choice?: TaskChoice): Promise<TaskDetection>;
  regressionCompare(
    jobId: string,
    request: RegressionCompareRequest,
    onProgress?: AnalysisProgressCallback,
  ): Promise<RegressionCompareResult>;
  regressionEvaluate(
    jobId: string,
    request: RegressionEvaluateRequest,
    onProgress?: AnalysisProgressCallback,
  ): Promise<RegressionEvaluation>;
  regressionPredict(
    jobId: string,
    request: RegressionPredictRequest,
    onProgress?: AnalysisProgressCallback,
  ): Promise<RegressionPredictResult>;
  regressionListModels(): Promise<RegressionModelInfo[]>;
  regressionExportModel(modelId: string): Promise<RegressionModelFile>;
  regressionImportModel(file: RegressionModelFile): Promise<RegressionModelInfo>;
  regressionDeleteModel(modelId: string): Promise<boolean>;
}
