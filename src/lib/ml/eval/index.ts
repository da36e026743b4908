/** Model evaluation: splits, cross-validation, hyperparameter search, baselines, permutation importance. */
export * from './split';
export * from './cv';
export * from './search';
export * from './baseline';
export * from './importance';
