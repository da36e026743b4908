/**
 * The Classify chapter's slice of the ML worker API: compare model families with stratified
 * k-fold cross-validation (always beside the majority-class baseline), fit the chosen one on the
 * training part and evaluate it once on the held-out test part, explain it, score tables with it,
 * and move models in and out as JSON. Everything here is plain structured-cloneable data; scored
 * rows go into a derived table (kind 'predictions') through `FrameSource.writeFrame`.
 */
import type { AnalysisProgressCallback } from './frame';
import type { SerialisedModelInfo, TrainBackendName } from './train-api';
import type { ClassifyExplainApi, PartialDependenceCurve } from './classify-explain-api';

/** The model families Classify knows; 'baseline' is the majority-class (prior) dummy. */
export type ClassifyFamily =
  'baseline' | 'logistic' | 'svm' | 'tree' | 'forest' | 'boosting' | 'naive_bayes' | 'knn' | 'mlp';

/** Every family but the baseline, in leaderboard order. */
export const CLASSIFY_FAMILIES: readonly Exclude<ClassifyFamily, 'baseline'>[] = [
  'logistic',
  'svm',
  'tree',
  'forest',
  'boosting',
  'naive_bayes',
  'knn',
  'mlp',
];

/** Families that train on TF.js (on the active backend); the others are TypeScript in the worker. */
export const TF_FAMILIES: readonly ClassifyFamily[] = ['logistic', 'svm', 'knn', 'mlp'];

/** Hyperparameters a caller may set per family (defaults follow scikit-learn's where one exists). */
export interface ClassifyParams {
  /** Decision tree depth (default 6). */
  maxDepth?: number;
  /** Trees in the forest (default 100). */
  nEstimators?: number;
  /** Boosting iterations (default 100). */
  maxIter?: number;
  /** k of k-NN (default 25). */
  k?: number;
  /** MLP hidden layer sizes (default [64]). */
  hidden?: number[];
  /** MLP / logistic regression epochs. */
  epochs?: number;
  /** 'balanced' weighs classes inversely to their frequency (logistic, SVM, MLP, trees). */
  classWeight?: 'balanced' | null;
  /** Minimum rows per leaf (tree, forest; default 1). */
  minSamplesLeaf?: number;
  /** Boosting learning rate (default 0.1). */
  learningRate?: number;
  /** Boosting leaves per tree (default 31). */
  maxLeafNodes?: number;
  /** Inverse L2 strength, as scikit-learn's C (logistic default: l2 = 1e-4; linear SVM default: C = 1). */
  C?: number;
}

/** What to learn: a table, the target column and the feature columns. */
export interface ClassifySetup {
  table: string;
  target: string;
  features: string[];
  /** The target value that counts as positive (default: true / 1 / the larger of two values). */
  positive?: string;
  /** Cross-validation folds (default 5). */
  folds?: number;
  /** Fraction of rows held out for the final test (default 0.2). */
  testSize?: number;
  seed?: number;
  /** Most frequent text values one-hot encoded per column (default 10; the rest share "other"). */
  topK?: number;
}

export interface ClassifyCompareRequest extends ClassifySetup {
  /** Families to compare (the baseline is always added). Default: all. */
  models?: ClassifyFamily[];
  params?: Partial<Record<ClassifyFamily, ClassifyParams>>;
}

/** Mean and population std of one metric over the folds. */
export interface MeanStd {
  mean: number;
  std: number;
}

/** The cross-validated metrics of a leaderboard row. */
export interface CvMetrics {
  rocAuc: MeanStd;
  prAuc: MeanStd;
  accuracy: MeanStd;
  balancedAccuracy: MeanStd;
  f1: MeanStd;
  logLoss: MeanStd;
}

export type ClassifyMetricName = keyof CvMetrics;

/** One family's cross-validated scores. */
export interface LeaderboardRow {
  family: ClassifyFamily;
  baseline: boolean;
  metrics: CvMetrics;
  /** Mean fit time per fold (ms). */
  fitMs: number;
  /** Per-fold ROC-AUC (for a spread chart). */
  foldRocAuc: number[];
  /** 'webgpu' | 'wasm' … for TF.js families, 'js' for the TypeScript ones. */
  engine: TrainBackendName | 'js';
}

export interface ClassifyCompareResult {
  /** Refers to this table, split and folds in `classifyEvaluate`. */
  comparisonId: string;
  setup: Required<Omit<ClassifySetup, 'positive'>> & { positive: string };
  /** Class labels as text, negative first; `positive` is classes[1]. */
  classes: [string, string];
  nTrain: number;
  nTest: number;
  /** Positives in the training part. */
  positiveRate: number;
  /** Encoded columns after one-hot (on the whole training part). */
  nEncoded: number;
  /** Sorted by mean ROC-AUC, baseline included. */
  rows: LeaderboardRow[];
  /** Best non-baseline family by mean ROC-AUC. */
  best: ClassifyFamily;
  /** True when the best family's mean ROC-AUC exceeds the baseline's by more than its std. */
  beatsBaseline: boolean;
  backend: TrainBackendName;
  elapsedMs: number;
}

/** Fit one family on the training part and evaluate it on the held-out test part. */
export interface ClassifyEvaluateRequest {
  /** A previous comparison (same table, split); or `setup` to start from a table. */
  comparisonId?: string;
  setup?: ClassifySetup;
  /** Default: the comparison's best family (or 'boosting' without a comparison). */
  family?: ClassifyFamily;
  params?: ClassifyParams;
  /** Decision threshold for the label metrics (default 0.5). */
  threshold?: number;
  /** A name for the model (default: family and table). */
  name?: string;
}

/** Metrics on the test part at the threshold. */
export interface TestMetrics {
  rocAuc: number;
  prAuc: number;
  accuracy: number;
  balancedAccuracy: number;
  precision: number;
  recall: number;
  f1: number;
  logLoss: number;
  brier: number;
}

/** Importance of one original (not encoded) feature column. */
export interface FeatureImportance {
  feature: string;
  /** Mean ROC-AUC lost when the column is shuffled (permutation importance on the test part). */
  permutation: number;
  permutationStd: number;
  /** Impurity / gain importance summed over the column's encoded parts (trees), else null. */
  model: number | null;
}

/** A logistic-regression (or Platt-calibrated linear SVM) log-odds coefficient on a standardised (or one-hot) encoded column. */
export interface Coefficient {
  name: string;
  coef: number;
  /** exp(coef): odds multiplier per standard deviation (numbers) or vs. "other" (one-hot). */
  oddsRatio: number;
}

export interface ClassifyEvaluation {
  modelId: string;
  name: string;
  family: ClassifyFamily;
  classes: [string, string];
  nTrain: number;
  nTest: number;
  threshold: number;
  metrics: TestMetrics;
  /** The majority-class baseline on the same test rows. */
  baseline: TestMetrics;
  /** ROC curve points (downsampled to ≤ 200). */
  roc: { fpr: number[]; tpr: number[] };
  /** PR curve points (downsampled to ≤ 200), recall decreasing. */
  pr: { recall: number[]; precision: number[] };
  /** Calibration: mean predicted vs observed positive rate in 10 uniform bins (empty bins dropped). */
  calibration: { predicted: number[]; observed: number[]; counts: number[] };
  /** Cumulative gain at each 10 % of rows ranked by score. */
  gain: { fraction: number; gain: number; lift: number }[];
  importance: FeatureImportance[];
  coefficients: Coefficient[] | null;
  /** Test labels (0/1) and scores, so the UI can move the threshold without a round trip. */
  yTest: Uint8Array;
  scoreTest: Float32Array;
  /** Partial dependence of the top features by permutation importance (see classify-explain-api.ts). */
  partialDependence?: PartialDependenceCurve[];
  /** Whether `classifyExplainRow` and `explain: true` work for this family (the linear ones and the trees). */
  explainable?: boolean;
  fitMs: number;
  engine: TrainBackendName | 'js';
}

/** Score a table with a model: same feature columns, any rows. */
export interface ClassifyPredictRequest {
  modelId: string;
  table: string;
  /** Result table name (default `<table>_predictions`). */
  into?: string;
  threshold?: number;
  /** Also write the top 3 reasons per row as `reason_1`…`reason_3`, e.g. "Recency (+0.42)". */
  explain?: boolean;
}

export interface ClassifyPredictResult {
  table: string;
  rows: number;
  /** Columns copied to identify rows (id roles, or none). */
  idColumns: string[];
  /** Rows labelled positive at the threshold. */
  positives: number;
  threshold: number;
  /** The reason columns written when `explain` was asked for. */
  reasonColumns?: string[];
}

/** A model the worker holds. */
export interface ClassifyModelInfo {
  modelId: string;
  name: string;
  family: ClassifyFamily;
  table: string;
  target: string;
  features: string[];
  classes: [string, string];
  threshold: number;
  /** Test ROC-AUC when it was evaluated, else null. */
  testRocAuc: number | null;
  createdAt: string;
}

/** The encoding fitted on training rows (see `src/lib/ml/preprocess.ts`). */
export interface PreprocessJson {
  columns: (
    | { name: string; kind: 'number'; median: number; mean: number; std: number }
    | { name: string; kind: 'category'; levels: string[] }
  )[];
}

/** A model file (download, upload, IndexedDB); loading it gives identical predictions. */
export interface ClassifyModelFile {
  format: 'shopsight-classifier';
  version: 1;
  info: Omit<ClassifyModelInfo, 'modelId'>;
  preprocess: PreprocessJson;
  /** JSON of the TypeScript model (`toJSON`) or of the TF.js model (`exportModel`). */
  model: { engine: 'js'; json: Record<string, unknown> } | { engine: 'tf'; json: SerialisedModelInfo };
  /** Training means of the encoded columns (the linear models' explanations are centred on them). */
  encodedMeans?: number[];
}

/** The Classify methods of the ML worker (all reject with `ShopSightErrorInfo`). */
export interface ClassifyApi extends ClassifyExplainApi {
  classifyCompare(
    jobId: string,
    request: ClassifyCompareRequest,
    onProgress?: AnalysisProgressCallback,
  ): Promise<ClassifyCompareResult>;
  classifyEvaluate(
    jobId: string,
    request: ClassifyEvaluateRequest,
    onProgress?: AnalysisProgressCallback,
  ): Promise<ClassifyEvaluation>;
  classifyPredict(
    jobId: string,
    request: ClassifyPredictRequest,
    onProgress?: AnalysisProgressCallback,
  ): Promise<ClassifyPredictResult>;
  classifyListModels(): Promise<ClassifyModelInfo[]>;
  classifyExportModel(modelId: string): Promise<ClassifyModelFile>;
  classifyImportModel(file: ClassifyModelFile): Promise<ClassifyModelInfo>;
  classifyDeleteModel(modelId: string): Promise<boolean>;
}
