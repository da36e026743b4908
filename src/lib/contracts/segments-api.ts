/**
 * Customer segmentation and anomaly detection in the ML worker (issue 6: "Segments" and
 * "Anomalies"). Both read a catalog table through the `FrameSource`, fit the pure models of
 * `src/lib/ml/segment` and `src/lib/ml/anomaly`, write the per-row result as a derived table
 * (kinds 'segments' and 'anomalies') and answer with a small, structured-cloneable summary.
 */
import type { ProgressCallback, TableInfo } from './data-api';

/** How the features are scaled before k-means (k-means is scale-sensitive). */
export type SegmentScale =
  /** z-scores (population std, like sklearn's StandardScaler). */
  | 'standard'
  /** log1p on skewed non-negative columns (money, counts), then z-scores. */
  | 'log';

export interface SegmentRequest {
  /** A customer table: one row per customer, a column with the role `customer_id`. */
  table: string;
  /** Numeric columns to cluster on; default: recency/frequency/monetary-like columns. */
  features?: string[];
  /** Use this k (the elbow/silhouette over `kRange` is still computed, to compare). */
  k?: number;
  /** k values to try, inclusive; default [2, 8] (capped below the number of customers). */
  kRange?: [number, number];
  /** Default 'log'. */
  scale?: SegmentScale;
  /** k-means++ restarts per k; the lowest inertia wins (default 10, as sklearn's n_init). */
  restarts?: number;
  /** Seed of k-means++, the silhouette sample and the chart sample (default 0). */
  seed?: number;
  /** Rows used for the silhouette (O(n²)); default 2000. Larger tables are sampled, the result says so. */
  silhouetteSample?: number;
  /** Result table name; default `<table>_segments`. */
  into?: string;
  /**
   * Where the k-means distances run: 'tf' on the active TF.js backend, 'js' in TypeScript
   * (the reference), 'auto' (default) TF.js on a GPU backend (webgpu/webgl), JS otherwise.
   */
  distances?: SegmentDistanceEngine;
  /**
   * Order-lines table for the top categories per segment; default the table the customer table
   * was built from (its derivation). Categories: the `category` role, else product names / ids.
   */
  orders?: string;
  /** The orders table's column to rank (default: the first with the category role, else product name / id). */
  category?: string;
}

/** Where the k-means assignment step runs. */
export type SegmentDistanceEngine = 'auto' | 'js' | 'tf';

/** How the distances were computed (the labels are the same either way; see ml/tf/kmeans-tf.ts). */
export interface SegmentDistanceInfo {
  requested: SegmentDistanceEngine;
  engine: 'js' | 'tf';
  /** The TF.js backend (webgpu, webgl, wasm, cpu) when engine is 'tf', else null. */
  backend: string | null;
  /** Assignments decided in float64 because float32 could not separate the two nearest centres. */
  refinedRows: number;
  /** Why TF.js was asked for but not used (it failed: the JS path ran instead). */
  fallback?: string;
}

/** A category's share of a segment's revenue. */
export interface SegmentCategoryShare {
  name: string;
  /** Share of the segment's net revenue (order lines of its customers), in [0, 1]. */
  revenueShare: number;
}

/** Which order-lines column the top categories come from. */
export interface SegmentCategorySource {
  table: string;
  column: string;
  /** 'category' (a category role), 'product_name' or 'product_id' when the table has no category; 'column' when named. */
  kind: 'category' | 'product_name' | 'product_id' | 'column';
}

/** One k of the elbow chart. */
export interface SegmentKScore {
  k: number;
  inertia: number;
  /** Mean silhouette on the (possibly sampled) rows. */
  silhouette: number;
}

/** Suggested-action codes (translated by the UI); see `suggestAction` in ml/segment/profile.ts. */
export type SegmentActionCode =
  | 'reward_champions'
  | 'loyalty_program'
  | 'win_back_valuable'
  | 'reactivate_or_let_go'
  | 'nurture_new'
  | 'upsell_cross_sell'
  | 'maintain';

/** The profile of one segment; segments are numbered 1…k by decreasing mean spend (or size). */
export interface SegmentProfileInfo {
  segment: number;
  size: number;
  /** Share of the clustered customers, in [0, 1]. */
  share: number;
  /** Share of the total of the monetary column, in [0, 1]; null without one. */
  revenueShare: number | null;
  /** Mean of each feature (and of the R/F/M columns), in the table's own units. */
  means: Record<string, number>;
  action: SegmentActionCode;
  /** The most common RFM segment name in it, when the table has `rfm_segment`. */
  topRfm: string | null;
  /** The top 3 categories (or products) by share of its revenue; null without an orders table. */
  topCategories: SegmentCategoryShare[] | null;
}

/** Customers per RFM segment name (the customer builder's `rfm_segment` column). */
export interface RfmSegmentCount {
  segment: string;
  customers: number;
  /** Sum of the monetary column, 0 without one. */
  revenue: number;
}

export interface SegmentResult {
  /** The written table: customer id, `segment`, `pca_x`, `pca_y`. */
  table: TableInfo;
  source: string;
  customerColumn: string;
  features: string[];
  /** Features that were log1p-transformed before scaling (scale 'log'). */
  logged: string[];
  scale: SegmentScale;
  /** Customers clustered (rows with a missing feature are left out: `skipped`). */
  rows: number;
  skipped: number;
  kRange: [number, number];
  k: number;
  chosenBy: 'silhouette' | 'given';
  scores: SegmentKScore[];
  /** The elbow of the inertia curve (log-scale chord rule), for comparison. */
  elbowK: number;
  /** Rows the silhouette was computed on (equal to `rows` when not sampled). */
  silhouetteRows: number;
  restarts: number;
  seed: number;
  /** The columns used for the R/F/M means and revenue share (null when not found). */
  rfmColumns: { recency: string | null; frequency: string | null; monetary: string | null };
  profiles: SegmentProfileInfo[];
  /** Up to 5000 PCA points (seeded sample when larger) for the scatter. */
  points: { x: number[]; y: number[]; segment: number[] };
  /** Explained variance ratio of the two components. */
  pcaExplained: [number, number];
  /** RFM named segments of the table, in the builder's order; null when it has none. */
  rfm: RfmSegmentCount[] | null;
  /** Where the top categories came from; null when no orders table (or no revenue) was found. */
  categorySource: SegmentCategorySource | null;
  distances: SegmentDistanceInfo;
  elapsedMs: number;
}

export type AnomalyMethod = 'iforest' | 'robust_z' | 'both';

export interface AnomalyRequest {
  /** Orders, order lines (aggregated per order first) or customers. */
  table: string;
  /** Numeric columns to score; default: all numeric non-id columns (order lines: the per-order features). */
  features?: string[];
  /** Default 'both': isolation-forest ranking, flagged only with a robust-z reason. */
  method?: AnomalyMethod;
  /** Share of rows the isolation forest flags (default 0.01, in (0, 0.5]). */
  contamination?: number;
  /** Robust |z| a value needs to count as unusual (default 3.5). */
  threshold?: number;
  /** Trees of the isolation forest (default 100). */
  trees?: number;
  seed?: number;
  /** Result table name; default `<table>_anomalies`. */
  into?: string;
  /** How many flagged rows the answer lists (all are in the table); default 500. */
  maxListed?: number;
}

/** One reason a row is unusual. */
export interface AnomalyReason {
  feature: string;
  value: number;
  /** The typical (median) value. */
  median: number;
  /** Robust z: (value − median) / (1.4826·MAD), signed. ±Infinity is sent as ±1e9. */
  z: number;
  direction: 'high' | 'low';
  /** value / median when both are positive (e.g. 12 = "12× typical"), else null. */
  ratio: number | null;
  /** Share of the isolation-path credit (methods with a forest). */
  attribution?: number;
}

export interface FlaggedRow {
  /** The row's key: order id, customer id or row number. */
  key: string;
  rank: number;
  score: number;
  values: Record<string, number>;
  reasons: AnomalyReason[];
}

export interface AnomalyResult {
  /** The written table: key, `anomaly_score`, `anomaly_rank`, `flagged`, `reasons` and the features. */
  table: TableInfo;
  source: string;
  /** What one row is: an order (order lines were aggregated), a customer, or a table row. */
  level: 'order' | 'customer' | 'row';
  keyColumn: string;
  features: string[];
  method: AnomalyMethod;
  contamination: number;
  threshold: number;
  rows: number;
  flaggedCount: number;
  /** Flagged rows by decreasing score (at most `maxListed`). */
  flagged: FlaggedRow[];
  /** Histogram of all scores. */
  histogram: { edges: number[]; counts: number[]; cutoff: number | null };
  /** 'iforest': 2^(−E[h]/c(ψ)) in (0, 1]; 'robust_z': largest |z| of the row. */
  scoreKind: 'iforest' | 'robust_z';
  elapsedMs: number;
}

export interface SegmentsApi {
  /** k-means segments of a customer table (errors: no_customer_id, segments_too_few_rows, no_numeric_features, all_values_identical, cancelled). */
  segment(jobId: string, request: SegmentRequest, onProgress?: ProgressCallback): Promise<SegmentResult>;
  /** Scores and explains unusual orders or customers (errors: anomalies_too_few_rows, no_numeric_features, all_values_identical, cancelled). */
  anomalies(jobId: string, request: AnomalyRequest, onProgress?: ProgressCallback): Promise<AnomalyResult>;
}
