/**
 * Recommendations and review sentiment (issue 6): the ML worker's `recommend` and `sentiment`
 * analyses. Both read a catalog table over the frame link, write their per-row results as new
 * derived tables and return a small, structured-cloneable summary for the view.
 */
import type { AnalysisProgressCallback } from './frame';

/** Item-item similarity of the collaborative filter. */
export type RecommendSimilarity = 'cosine' | 'jaccard';

/** What `recommend` works on; columns default from the table's roles. */
export interface RecommendRequest {
  table: string;
  /** Customer column (role customer_id); without one, recommendations are per basket. */
  customer?: string;
  /** Product column (role product_id, else product_name). */
  product?: string;
  /** Basket column: order / invoice / transaction (role order_id). */
  basket?: string;
  /** Time column (role timestamp) for the time split; without it, table order is used. */
  timestamp?: string;
  similarity: RecommendSimilarity;
  /** Recommendations per customer (or basket) and the K of hit-rate@K / precision@K. */
  k: number;
  /** FP-Growth minimum support, a fraction of baskets in (0, 1]. */
  minSupport: number;
  /** Minimum rule confidence in [0, 1]. */
  minConfidence: number;
  /** Share of the time range held out for evaluation (default 0.2). */
  split?: number;
  /** Product whose neighbours to return (default: the most popular product). */
  neighboursOf?: string;
  /** Popularity damping α of the cosine (default 0.8; 0.5 = symmetric cosine). */
  alpha?: number;
  /** Shrinkage λ of rarely co-bought pairs (default 10). */
  shrinkage?: number;
  /** Rules returned in the result (the rules table holds all of them; default 200). */
  maxRules?: number;
  /** Base name of the result tables (default `<table>_recommendations` / `<table>_rules`). */
  output?: string;
  /**
   * Who fills the recommendations table: 'itemitem' (default) or 'blend' (item-item with
   * recency-weighted best sellers, β and half-life as tuned for the evaluation; item-item when
   * there was no customer time split to tune on — `notes` then has 'blend_untuned').
   */
  recommender?: 'itemitem' | 'blend';
}

/** One association rule with product ids (and display names when a product_name column exists). */
export interface RuleRow {
  antecedent: string[];
  consequent: string[];
  count: number;
  support: number;
  confidence: number;
  lift: number;
}

/** A neighbour of a product: co-bought items by similarity. */
export interface NeighbourRow {
  item: string;
  score: number;
  /** Baskets containing both. */
  together: number;
}

/** Top-K metrics of one recommender. */
export interface TopKScore {
  hitRate: number;
  precision: number;
  recall: number;
}

/** Time-split evaluation: item-item CF beside the popularity baseline. */
export interface RecommendEvaluation {
  k: number;
  /**
   * 'customer': per customer, items bought before the cut-off seed, new items after it are held out.
   * 'basket': baskets before the cut-off train, each item of a later basket is hidden in turn.
   */
  method: 'customer' | 'basket';
  /** Cut-off time (epoch ms) when a time column was used; null when split by table order. */
  cutoff: number | null;
  /** Share of the data (time range or baskets) the evaluation model was trained on. */
  trainShare: number;
  nCases: number;
  /** Cases scored (a seeded sample of at most 20,000 when there are more). */
  nScored: number;
  model: TopKScore;
  popularity: TopKScore;
  /**
   * Customer time split only: item-item blended with recency-weighted popularity, its β and
   * half-life (null = no decay) chosen on a validation split inside the training period (hit@k
   * there: `validationHitRate`, best sellers `validationPopularity`), then scored on these cases.
   */
  blend?: TopKScore & {
    beta: number;
    halfLifeDays: number | null;
    validationHitRate: number;
    validationPopularity: number;
  };
}

export interface RecommendResult {
  table: string;
  columns: { customer: string | null; product: string; basket: string | null; timestamp: string | null };
  /** 'customer' when a customer column exists, else 'basket' (recommendations per basket). */
  mode: 'customer' | 'basket';
  nRows: number;
  nItems: number;
  nBaskets: number;
  nCustomers: number | null;
  /** Rules found in total (all are in `rulesTable`), and the top `maxRules` by lift. */
  nRules: number;
  rules: RuleRow[];
  rulesTable: string;
  recommendationsTable: string;
  nRecommendations: number;
  /** Neighbours of `neighboursOf` (or the most popular product). */
  neighbours: { product: string; items: NeighbourRow[] } | null;
  /** The 10 nearest neighbours of every product (at most 5,000 products), for the lookup. */
  neighbourIndex: Record<string, NeighbourRow[]>;
  /** The most popular products (baskets containing them). */
  popular: { item: string; count: number }[];
  /** Display names per product id, when a product_name column exists (else empty). */
  names: Record<string, string>;
  /** Null with `notes` saying why (e.g. no time column and too few baskets). */
  evaluation: RecommendEvaluation | null;
  /** What filled the recommendations table. */
  recommender: 'itemitem' | 'blend';
  /** Stable codes the view translates: 'per_basket', 'no_timestamp', 'no_eval_cases', 'rules_capped'. */
  notes: string[];
}

/** Review sentiment request; train from star ratings, or from a 0/1 label column. */
export interface SentimentRequest {
  table: string;
  /** Review text column (role review_text). */
  text: string;
  /** Star ratings (role rating): ≥ positiveMin positive, ≤ negativeMax negative, between → unrated. */
  rating?: string;
  /** A 0/1 (or negative/positive, false/true) label column instead of ratings. */
  label?: string;
  positiveMin?: number;
  negativeMax?: number;
  language?: 'auto' | 'en' | 'zh';
  /** Product / category column for the complaint keywords per group. */
  groupBy?: string;
  /** Held-out share of the labelled reviews (default 0.2), stratified with `seed` (default 42). */
  testFraction?: number;
  seed?: number;
  /** Result table name (default `<table>_sentiment`). */
  output?: string;
  /**
   * 'tfidf' (default): TF-IDF + logistic regression. 'embedding': a small TF.js embedding +
   * pooling network scores the reviews (TF-IDF still runs for the drivers and the comparison).
   * 'both': both are trained and compared; TF-IDF scores the table, the network adds a column.
   */
  model?: SentimentModelChoice;
}

/** Which sentiment model(s) to train. */
export type SentimentModelChoice = 'tfidf' | 'embedding' | 'both';

/** One trained model's held-out scores, for the comparison table. */
export interface SentimentModelRow {
  model: 'tfidf' | 'embedding';
  scores: BinaryScores;
  /** Training time (the held-out fit), ms. */
  trainMs: number;
  /** Embedding model only: the TF.js backend, epochs run (early stopping), vocabulary size, sequence length. */
  backend?: string;
  epochs?: number;
  vocabulary?: number;
  sequenceLength?: number;
}

export interface BinaryScores {
  accuracy: number;
  /** Precision / recall / F1 of the negative class (the one the shop acts on). */
  precision: number;
  recall: number;
  f1: number;
  macroF1: number;
}

export interface Keyword {
  term: string;
  z: number;
  /** Negative / other reviews containing it. */
  negative: number;
  other: number;
}

export interface SentimentResult {
  table: string;
  language: 'en' | 'zh';
  nRows: number;
  /** Rows with non-empty text. */
  nText: number;
  nLabelled: number;
  nNegative: number;
  nPositive: number;
  /** Rows with text but no label (neutral ratings or missing): scored, not trained on. */
  nUnrated: number;
  nTrain: number;
  nTest: number;
  nTerms: number;
  /** Held-out scores of the model that scored the table (`scoredBy`). */
  model: BinaryScores;
  scoredBy: 'tfidf' | 'embedding';
  /** Every model trained, on the same hold-out (the baseline is `baseline`). */
  comparison: SentimentModelRow[];
  /** Always predicting the training majority. */
  baseline: BinaryScores & { predicts: 'positive' | 'negative' };
  /** Held-out counts: [true negative → predicted negative, → positive], [true positive → negative, → positive]. */
  confusion: [[number, number], [number, number]];
  /** Histogram of P(positive) over all scored rows (20 bins), split by the known label. */
  histogram: { negative: number[]; positive: number[]; unrated: number[] };
  /** Terms with the most negative and the most positive weights. */
  drivers: { negative: { term: string; weight: number }[]; positive: { term: string; weight: number }[] };
  /** Complaint keywords per group ('all' = every review), most typical of negative reviews first. */
  keywords: { group: string; nNegative: number; n: number; terms: Keyword[] }[];
  /** The most negative reviews by score. */
  mostNegative: { row: number; text: string; score: number; group: string | null; label: string | null }[];
  outputTable: string;
}

export interface RecommendApi {
  recommend(jobId: string, request: RecommendRequest, onProgress?: AnalysisProgressCallback): Promise<RecommendResult>;
  sentiment(jobId: string, request: SentimentRequest, onProgress?: AnalysisProgressCallback): Promise<SentimentResult>;
}
