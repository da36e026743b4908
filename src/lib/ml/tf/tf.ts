/**
 * The one TF.js import of the ML code, re-exported so scripts outside the bundle (benches)
 * reach the same engine instance as the models they load.
 */
export * from '@tensorflow/tfjs';
