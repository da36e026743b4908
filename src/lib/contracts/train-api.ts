/**
 * The typed boundary between the UI and the train worker (TF.js models).
 *
 * Plain, structured-cloneable DTOs only. Matrices cross as transferred Float32Arrays (the
 * sender's copy is detached); they can also come straight from the data worker over a
 * MessagePort given to `attachDataPort`, so large feature matrices never pass the UI thread.
 */
import type { ShopSightErrorInfo } from './data-api';

export type { ShopSightErrorInfo };

/** A TF.js backend ShopSight can run on. */
export type TrainBackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** What probing found out about one backend. */
export interface BackendCandidateInfo {
  name: TrainBackendName;
  available: boolean;
  /** A software (CPU-emulated) GPU such as SwiftShader; never preferred over wasm. */
  software: boolean;
  /** Milliseconds per timed 256² matmul, null when not measured. */
  msPerOp: number | null;
  adapter?: string;
  error?: string;
}

/** The backend in use and how it was chosen. */
export interface BackendReportInfo {
  active: TrainBackendName;
  candidates: BackendCandidateInfo[];
  /** English, for logs; the UI shows `reasonKey` translated (`backend.reason.<key>`) with `reasonParams`. */
  reason: string;
  reasonKey: string;
  reasonParams: Record<string, string | number>;
  override?: TrainBackendName;
}

/** Options of `init`. */
export interface TrainInitOptions {
  /** Use this backend if it is available instead of the measured fastest. */
  backend?: TrainBackendName;
}

/** Options every iterative model understands. */
export interface CommonTrainOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Fraction held out for validation (for forecasters: the latest windows). */
  validationSplit?: number;
  /** Epochs without validation improvement before stopping; 0 = never. */
  patience?: number;
  seed?: number;
}

/** Logistic regression / linear SVM options. */
export interface LinearTrainOptions extends CommonTrainOptions {
  l2?: number;
  classWeight?: 'balanced' | number[];
}

/** MLP options. */
export interface MlpTrainOptions extends LinearTrainOptions {
  hidden?: number[];
  dropout?: number;
  task?: 'classification' | 'regression';
}

/** k-NN options. */
export interface KnnTrainOptions {
  k?: number;
  distanceWeighted?: boolean;
  batchSize?: number;
}

/** LSTM / GRU forecaster options; X rows are windows of `lookback × nFeatures`, y rows `horizon`. */
export interface ForecastTrainOptions extends CommonTrainOptions {
  lookback: number;
  horizon: number;
  units?: number;
  nFeatures?: number;
  /** 'js' (typed-array BPTT, fast for small nets), 'layers' (tf.layers on the backend), 'auto'. */
  engine?: 'auto' | 'js' | 'layers';
  /** JS engine: use the WebAssembly SIMD kernels when available (default true). */
  simd?: boolean;
}

/** Which model to train, with its options. */
export type TrainConfig =
  | { kind: 'logistic' | 'svm'; options?: LinearTrainOptions }
  | { kind: 'mlp'; options?: MlpTrainOptions }
  | { kind: 'knn'; options?: KnnTrainOptions }
  | { kind: 'lstm' | 'gru'; options: ForecastTrainOptions };

/** The kinds of model the train worker knows. */
export type TrainModelKind = TrainConfig['kind'];

/** A row-major matrix of features with its labels / targets (`y` has nRows × yCols values). */
export interface TrainData {
  X: Float32Array;
  y: Float32Array;
  nRows: number;
  nCols: number;
}

/** A matrix that already arrived over the data port, referred to by the key it was sent with. */
export interface PortDataRef {
  portKey: string;
}

/** Per-epoch progress of a training job. */
export interface TrainProgress {
  jobId: string;
  epoch: number;
  epochs: number;
  loss: number;
  valLoss: number | null;
  /** Accuracy (classifiers) or RMSE in the target's units (regression, forecasts). */
  metric: number | null;
  etaMs: number;
}

export type TrainProgressCallback = (progress: TrainProgress) => void;

/** One epoch of the history in a result. */
export interface EpochInfo {
  epoch: number;
  loss: number;
  valLoss: number | null;
  metric: number | null;
}

/** What a finished training job returns; the model stays in the worker under `modelId`. */
export interface TrainResult {
  jobId: string;
  modelId: string;
  kind: TrainModelKind;
  backend: TrainBackendName;
  /** For forecasters: which engine ran (typed-array BPTT with or without SIMD kernels, or tf.layers). */
  engine?: 'js' | 'js-simd' | 'layers';
  epochsRun: number;
  bestValLoss: number | null;
  history: EpochInfo[];
  elapsedMs: number;
}

/** Rows to predict for (same nCols as training). */
export interface PredictInput {
  X: Float32Array;
  nRows: number;
  nCols: number;
}

/** Class probabilities [nRows × nOut], regression values [nRows], or forecasts [nRows × horizon]. */
export interface PredictResult {
  values: Float32Array;
  nRows: number;
  nOut: number;
}

/** A trained model as JSON (weights base64). */
export interface SerialisedModelInfo {
  kind: string;
  version: 1;
  config: Record<string, unknown>;
  weights: Record<string, { shape: number[]; data: string }>;
}

/** TF.js memory and the worker's models, for diagnostics and leak checks. */
export interface TrainMemoryInfo {
  backend: TrainBackendName;
  numTensors: number;
  numBytes: number;
  models: string[];
  portMatrices: string[];
}

/**
 * Messages the data worker posts on a port given to `attachDataPort`: a matrix (its buffers
 * transferred) stored under `key` until a `train` names it, or the release of one.
 */
export type DataPortMessage =
  | { type: 'matrix'; key: string; X: Float32Array; y: Float32Array; nRows: number; nCols: number }
  | { type: 'release'; key: string };

/** The train worker's API (every method async across Comlink). */
export interface TrainApi {
  /** Probes the backends and activates the fastest (or the override); idempotent per override. */
  init(options?: TrainInitOptions): Promise<BackendReportInfo>;
  /** Trains a model; resolves when done, rejects with code 'cancelled' after `cancel(jobId)`. */
  train(
    jobId: string,
    config: TrainConfig,
    data: TrainData | PortDataRef,
    onProgress?: TrainProgressCallback,
  ): Promise<TrainResult>;
  /** Asks a running job to stop at its next batch; false if no such job runs. */
  cancel(jobId: string): Promise<boolean>;
  predict(modelId: string, input: PredictInput): Promise<PredictResult>;
  exportModel(modelId: string): Promise<SerialisedModelInfo>;
  /** Loads a serialised model; resolves to its new model id. */
  importModel(model: SerialisedModelInfo): Promise<string>;
  disposeModel(modelId: string): Promise<boolean>;
  memory(): Promise<TrainMemoryInfo>;
  /** Accepts a port on which the data worker sends `DataPortMessage`s. */
  attachDataPort(port: MessagePort): Promise<void>;
}
