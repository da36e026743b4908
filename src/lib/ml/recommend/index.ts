/** Recommendations: item-item CF, popularity baseline, FP-Growth rules and top-K evaluation. */
export * from './interactions';
export * from './item-item';
export * from './fp-growth';
export * from './evaluate';
export * from './pipeline';
export * from './blend';
