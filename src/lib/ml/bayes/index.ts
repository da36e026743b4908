/** Naive Bayes classifiers. */
export * from './naive-bayes';
