/**
 * DTOs of the Prepare chapter (recipes, feature builders, labels, feature selection) as they
 * cross the data-worker boundary. Plain structured-cloneable data only; the recipe model
 * itself is defined (and validated) in `src/lib/pipeline/steps.ts` and re-exported here as
 * types.
 */
import type { LoadWarning, TableInfo } from './data-api';
import type { Recipe, SourceColumn } from '../pipeline/steps';

export type { Recipe, RecipeStep, SourceColumn, StepKind } from '../pipeline/steps';

/** How `applyRecipe` treats the statistics of fitted steps (scaling, imputation, bins …). */
export type FitMode =
  /** Fit only the steps that carry no statistics yet (the default: a saved recipe replays as saved). */
  | 'missing'
  /** Re-fit every fitted step on this table. */
  | 'all'
  /** Use the stored statistics only; an unfitted step is an error. */
  | 'none';

export interface ApplyRecipeRequest {
  table: string;
  recipe: Recipe;
  /** Result table name; default `<table>_prepared`. An existing table of that name is replaced. */
  into?: string;
  fit?: FitMode;
}

export interface RecipeStepStats {
  id: string;
  rows: number;
  columns: number;
  /** Values the step could not convert and so left missing. */
  failed?: number;
}

export interface ApplyRecipeResult {
  table: TableInfo;
  /** The recipe as applied, with every fitted step's statistics (save this one). */
  recipe: Recipe;
  perStep: RecipeStepStats[];
  elapsedMs: number;
}

export interface PreviewSide {
  rows: number;
  columns: SourceColumn[];
}

export interface RecipePreview {
  before: PreviewSide;
  after: PreviewSide;
  /** The first rows after the step, as Arrow IPC stream bytes. */
  ipc: Uint8Array;
  rowCount: number;
  failed?: number;
  /** The recipe with the steps up to the previewed one fitted. */
  recipe: Recipe;
}

/** What a derived table was made from; kept in its `TableInfo` so the UI can say so. */
export interface Derivation {
  kind:
    | 'recipe'
    | 'customers'
    | 'products'
    | 'series'
    | 'labels'
    // Results of analyses (written by the ML worker through `FrameSource.writeFrame`).
    | 'predictions'
    | 'forecast'
    | 'segments'
    | 'recommendations'
    | 'rules'
    | 'anomalies'
    | 'sentiment';
  from: string;
}

export interface BuildCustomersRequest {
  table: string;
  /** ISO date: only events strictly before it count. Default: the day after the last event. */
  cutoff?: string;
  into?: string;
}

export interface BuildProductsRequest {
  table: string;
  cutoff?: string;
  into?: string;
}

import type { SeriesFrequency, SeriesMeasure } from '../features/series';
import type { LabelKind } from '../features/labels';
import type { SelectFeaturesResult as SelectionResult, SelectionMethod } from '../features/selection/load';

export type { LabelKind, SeriesFrequency, SeriesMeasure };

export interface BuildSeriesRequest {
  table: string;
  freq: SeriesFrequency;
  measure: SeriesMeasure;
  /** Split into one series per value of this column (e.g. the category column). */
  by?: string;
  /** With `by`: keep the N groups with the largest total. */
  topN?: number;
  into?: string;
}

export interface BuildLabelsRequest {
  table: string;
  /** ISO date: features use events before it, the label events in [cutoff, cutoff + horizon). */
  cutoff: string;
  horizonDays: number;
  kind: LabelKind;
  /** For `spends_more`: the amount to exceed within the horizon. */
  threshold?: number;
  into?: string;
}

export interface ClassBalance {
  positives: number;
  negatives: number;
  /** positives / (positives + negatives). */
  positiveShare: number;
}

export interface BuildResult {
  table: TableInfo;
  /** Builder-specific facts (cutoff used, customers excluded for a missing id …). */
  summary: Record<string, string | number | null>;
  classBalance?: ClassBalance;
  warnings: LoadWarning[];
  elapsedMs: number;
}

export type { FeatureScore, SelectFeaturesRequest, SelectionMethod } from '../features/selection/load';

/** Methods in the order the Select features tab offers them. */
export const SELECTION_METHODS: readonly SelectionMethod[] = [
  'anova',
  'mutual_info',
  'chi2',
  'rfe',
  'rfe_forest',
  'permutation',
  'f_regression',
  'correlation',
  'variance',
];

/** The ranked features (see `selectFeatures`), plus the correlations among them for the heatmap. */
export interface SelectFeaturesResult extends SelectionResult {
  /** Pearson correlations over the rows where both values exist; absent for more than 40 features. */
  correlation?: { features: string[]; matrix: number[][] };
}
