/** Public API of the forecasting module (pure TypeScript; safe in workers and in Node tests). */
export * from './types';
export * from './metrics';
export * from './baselines';
export * from './ets';
export * from './arima';
export * from './backtest';
export * from './decompose';
export * from './inventory';
export * from './windowing';
export * from './exogenous';
export * from './registry';
export { nelderMead, type NelderMeadOptions, type OptimizeResult } from './optimize';
export { seededRandom, normalQuantile, normalCdf, zForLevel } from './math';
export { bootstrapInterval, gaussianInterval, residualPool } from './intervals';
export * from './seasonal-adjust';
