/** Tree models: CART, random forests and histogram gradient boosting. */
export * from './decision-tree';
export * from './forest';
export * from './hist-gradient-boosting';
export { fitBins, applyBins, type BinMapper } from './binning';
export type { Criterion, MaxFeatures, TreeArrays } from './cart';
