/**
 * Feature selection: pure numeric scores on Float64Array columns plus the DuckDB loader and
 * `selectFeatures`, the entry point for the data worker.
 */
export { selectFeatures, loadFeatureData, DEFAULT_SAMPLE_ROWS } from './load';
export type {
  FeatureScore,
  LoadedData,
  LoadOptions,
  SelectFeaturesRequest,
  SelectFeaturesResult,
  SelectionMethod,
  TargetKind,
} from './load';
export {
  chi2,
  classCount,
  correlationMatrix,
  dropCorrelated,
  fClassif,
  fRegression,
  mean,
  pearson,
  variance,
  varianceThreshold,
} from './univariate';
export type { Columns, CorrelatedDrop, ScoreResult } from './univariate';
export { mutualInfoClassif, mutualInfoDiscrete, mutualInfoRegression, mutualInfoSteps } from './mutual-info';
export type { MutualInfoOptions } from './mutual-info';
export { orderByScore, percentile, rankScores, selectKBest, selectPercentile } from './select';
export { drain, rfeLogistic, rfeLogisticSteps } from './wrappers';
export { permutationRankingSteps, rfeForestSteps } from './model-based';
export type { RfeOptions, RfeResult } from './wrappers';
export {
  betaInc,
  betaIncUpper,
  chi2Survival,
  digamma,
  fSurvival,
  gammaIncLower,
  gammaIncUpper,
  logBeta,
  logGamma,
} from './special';
export { RandomState } from './random';
