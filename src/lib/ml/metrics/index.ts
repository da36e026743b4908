/** Classification, ranking and regression metrics for the pure-TypeScript models. */
export * from './classification';
export * from './ranking';
export * from './regression';
