/** Customer segmentation: k-means, silhouette, elbow, PCA and segment profiles. */
export * from './matrix';
export * from './prng';
export * from './kmeans';
export * from './silhouette';
export * from './pca';
export * from './profile';
