/** Anomaly detection: isolation forest, robust z-scores and per-row explanations. */
export * from './isolation-forest';
export * from './robust';
