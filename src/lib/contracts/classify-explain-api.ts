/**
 * Classify's explanations and hyperparameter search, as the ML worker exposes them: partial
 * dependence of the top features (part of an evaluation), per-row contributions ("why this
 * customer scored 0.83") for logistic regression and the tree families, and a grid or random
 * search with cross-validation over one family's hyperparameters. Plain structured-cloneable data.
 */
import type { AnalysisProgressCallback } from './frame';
import type { ClassifyFamily, ClassifyParams, MeanStd } from './classify-api';

/** One feature's partial dependence on the held-out rows. */
export interface PartialDependenceCurve {
  feature: string;
  kind: 'number' | 'category';
  /** Grid values: numbers (sklearn's quantile grid) or category levels. */
  grid: (number | string)[];
  /** Mean P(positive) over the held-out rows with the feature set to each grid value. */
  average: number[];
}

/** Units of a row's contributions: log-odds (logistic, boosting) or probability (tree, forest). */
export type ContributionUnits = 'log-odds' | 'probability';

/** One original feature's share of a row's prediction. */
export interface FeatureContribution {
  feature: string;
  /** The row's raw value of the feature (null when missing). */
  value: number | string | null;
  contribution: number;
}

/** Explain one held-out row of an evaluated model (by position in the test part, or the top-scored one). */
export interface ClassifyExplainRequest {
  modelId: string;
  /** Position in the held-out test part (0-based); default: the row with the highest score. */
  row?: number;
}

/** Why a row scored what it did: bias + Σ contributions = raw (and probability = raw, or sigmoid(raw)). */
export interface RowExplanation {
  modelId: string;
  family: ClassifyFamily;
  /** Position in the held-out test part. */
  row: number;
  nRows: number;
  /** The row's actual class. */
  actual: string;
  probability: number;
  units: ContributionUnits;
  bias: number;
  raw: number;
  /** Every feature, largest |contribution| first. */
  contributions: FeatureContribution[];
}

/** Families with per-row contributions (the others fail with `explain_unsupported`). */
export const EXPLAINABLE_FAMILIES: readonly ClassifyFamily[] = ['logistic', 'svm', 'tree', 'forest', 'boosting'];

/** Families a search can tune, with the parameters it varies. */
export type SearchFamily = 'logistic' | 'svm' | 'tree' | 'forest' | 'boosting' | 'knn';

/** The families `classifySearch` accepts. */
export const SEARCH_FAMILIES: readonly SearchFamily[] = ['forest', 'boosting', 'logistic', 'svm', 'knn', 'tree'];

/** Search the hyperparameters of one family on a comparison's training part and folds. */
export interface ClassifySearchRequest {
  comparisonId: string;
  family: SearchFamily;
  /** 'grid' (every combination, default) or 'random' (`nIter` seeded draws from the same values). */
  mode?: 'grid' | 'random';
  nIter?: number;
  seed?: number;
  /** Values per parameter; default: the family's grid (see `defaultSpace`). */
  space?: Partial<Record<keyof ClassifyParams, number[]>>;
}

/** One scored candidate. */
export interface SearchCandidateRow {
  params: ClassifyParams;
  rocAuc: MeanStd;
  foldRocAuc: number[];
  /** Mean fit time per fold (ms). */
  fitMs: number;
}

/** A finished search: every candidate, best first, on the comparison's folds. */
export interface ClassifySearchResult {
  comparisonId: string;
  family: SearchFamily;
  mode: 'grid' | 'random';
  folds: number;
  /** Best mean CV ROC-AUC first. */
  candidates: SearchCandidateRow[];
  best: ClassifyParams;
  elapsedMs: number;
}

/** The explanation and search methods of the ML worker (all reject with `ShopSightErrorInfo`). */
export interface ClassifyExplainApi {
  classifyExplainRow(request: ClassifyExplainRequest): Promise<RowExplanation>;
  classifySearch(
    jobId: string,
    request: ClassifySearchRequest,
    onProgress?: AnalysisProgressCallback,
  ): Promise<ClassifySearchResult>;
}
