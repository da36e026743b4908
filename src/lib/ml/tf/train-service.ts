/**
 * The train worker's logic (the worker file only wires Comlink and the browser backends), so
 * vitest reaches it on tfjs-cpu: jobs and their cancel flags, the model registry, matrices
 * received over the data port, predictions and memory reports.
 */
import * as tf from '@tensorflow/tfjs';
import type {
  BackendReportInfo,
  DataPortMessage,
  PortDataRef,
  PredictInput,
  PredictResult,
  SerialisedModelInfo,
  TrainApi,
  TrainBackendName,
  TrainConfig,
  TrainData,
  TrainInitOptions,
  TrainMemoryInfo,
  TrainProgressCallback,
  TrainResult,
} from '../../contracts/train-api';
import { type BackendName, probeBackends } from './backend';
import { type EpochLog, type LoopResult, type Matrix, type SerialisedModel } from './common';
import { Forecaster } from './forecast';
import { Knn } from './knn';
import { LinearSvm, LogisticRegression } from './linear';
import { Mlp } from './mlp';

type AnyModel = LogisticRegression | LinearSvm | Mlp | Knn | Forecaster;

/** A plain `{ code, message }` error (what crosses Comlink intact). */
function failure(code: string, message: string): { code: string; message: string } {
  return { code, message };
}

/** Options of a TrainService. */
export interface TrainServiceOptions {
  /** Backends to probe (tests pass ['cpu']); default all registered. */
  backends?: readonly BackendName[];
}

/** Implements `TrainApi` in-process. */
export class TrainService implements TrainApi {
  readonly #options: TrainServiceOptions;
  #report: Promise<BackendReportInfo> | undefined;
  #override: TrainBackendName | undefined;
  readonly #jobs = new Map<string, { aborted: boolean }>();
  readonly #models = new Map<string, AnyModel>();
  readonly #portData = new Map<string, TrainData>();
  readonly #portWaiters = new Map<string, () => void>();
  #modelCounter = 0;

  constructor(options: TrainServiceOptions = {}) {
    this.#options = options;
  }

  init(options: TrainInitOptions = {}): Promise<BackendReportInfo> {
    // Probing costs a few hundred ms and re-initialises backends: once per override.
    if (!this.#report || options.backend !== this.#override) {
      this.#override = options.backend;
      const probe: Parameters<typeof probeBackends>[0] = {};
      if (this.#options.backends) probe.names = this.#options.backends;
      if (options.backend) probe.override = options.backend;
      this.#report = probeBackends(probe);
    }
    return this.#report;
  }

  async train(
    jobId: string,
    config: TrainConfig,
    data: TrainData | PortDataRef,
    onProgress?: TrainProgressCallback,
  ): Promise<TrainResult> {
    const report = await this.init(this.#override ? { backend: this.#override } : {});
    if (this.#jobs.has(jobId)) throw failure('job_exists', `Job ${jobId} is already running.`);
    const matrix = this.#resolveData('portKey' in data ? await this.#waitForPortData(data.portKey) : data);
    const flag = { aborted: false };
    this.#jobs.set(jobId, flag);
    const started = performance.now();
    const onEpoch = (log: EpochLog) => {
      // Not awaited: a round trip to the UI per epoch must not stall training.
      void Promise.resolve(onProgress?.({ jobId, ...log })).catch(() => undefined);
    };
    let model: AnyModel | undefined;
    try {
      const X: Matrix = { data: matrix.X, nRows: matrix.nRows, nCols: matrix.nCols };
      let result: LoopResult | null = null;
      switch (config.kind) {
        case 'logistic':
        case 'svm': {
          const m = config.kind === 'logistic' ? new LogisticRegression() : new LinearSvm();
          model = m;
          result = await m.fit(X, matrix.y, config.options, onEpoch, flag);
          break;
        }
        case 'mlp': {
          const m = new Mlp();
          model = m;
          result = await m.fit(X, matrix.y, config.options, onEpoch, flag);
          break;
        }
        case 'knn': {
          const m = new Knn();
          model = m;
          await m.fit(X, matrix.y, config.options, onEpoch, flag);
          break;
        }
        case 'lstm':
        case 'gru': {
          const m = new Forecaster();
          model = m;
          const { lookback, nFeatures = 1 } = config.options;
          if (matrix.nCols !== lookback * nFeatures) {
            throw failure(
              'bad_shape',
              `Each row must hold lookback × nFeatures = ${lookback * nFeatures} values, got ${matrix.nCols}.`,
            );
          }
          result = await m.fit(matrix.X, matrix.y, { ...config.options, cell: config.kind }, onEpoch, flag);
          break;
        }
        default:
          throw failure('bad_config', `Unknown model kind ${(config as { kind: string }).kind}.`);
      }
      const modelId = this.#store(model);
      const out: TrainResult = {
        jobId,
        modelId,
        kind: config.kind,
        backend: report.active,
        epochsRun: result?.epochsRun ?? 1,
        bestValLoss: result?.bestValLoss ?? null,
        history: (result?.history ?? []).map(({ epoch, loss, valLoss, metric }) => ({ epoch, loss, valLoss, metric })),
        elapsedMs: performance.now() - started,
      };
      if (model instanceof Forecaster) out.engine = model.engine === 'js' && model.simd ? 'js-simd' : model.engine;
      // The MLP's typed-array engine (chosen on CPU backends) is reported the same way.
      if (model instanceof Mlp && model.engine === 'js') out.engine = model.simd ? 'js-simd' : 'js';
      return out;
    } catch (error) {
      model?.dispose();
      if ((error as { code?: unknown }).code === 'cancelled') throw failure('cancelled', 'Cancelled.');
      if (typeof (error as { code?: unknown }).code === 'string') throw error;
      throw failure('train_failed', error instanceof Error ? error.message : String(error));
    } finally {
      this.#jobs.delete(jobId);
      if ('portKey' in data) this.#portData.delete(data.portKey);
    }
  }

  async cancel(jobId: string): Promise<boolean> {
    const job = this.#jobs.get(jobId);
    if (!job) return false;
    job.aborted = true;
    return true;
  }

  async predict(modelId: string, input: PredictInput): Promise<PredictResult> {
    const model = this.#model(modelId);
    if (input.X.length !== input.nRows * input.nCols)
      throw failure('bad_shape', 'X does not hold nRows × nCols values.');
    const values =
      model instanceof Forecaster
        ? await model.predict(input.X)
        : await model.predictProba({ data: input.X, nRows: input.nRows, nCols: input.nCols });
    return { values, nRows: input.nRows, nOut: input.nRows > 0 ? values.length / input.nRows : 0 };
  }

  async exportModel(modelId: string): Promise<SerialisedModelInfo> {
    return this.#model(modelId).serialise();
  }

  async importModel(model: SerialisedModelInfo): Promise<string> {
    const m = model as SerialisedModel;
    const loaders: Record<string, (s: SerialisedModel) => AnyModel> = {
      logistic: LogisticRegression.deserialise,
      svm: LinearSvm.deserialise,
      mlp: Mlp.deserialise,
      knn: Knn.deserialise,
      forecast: Forecaster.deserialise,
    };
    const load = loaders[m.kind];
    if (!load) throw failure('bad_model', `Unknown model kind ${m.kind}.`);
    await this.init(this.#override ? { backend: this.#override } : {});
    return this.#store(load(m));
  }

  async disposeModel(modelId: string): Promise<boolean> {
    const model = this.#models.get(modelId);
    model?.dispose();
    return this.#models.delete(modelId);
  }

  async memory(): Promise<TrainMemoryInfo> {
    const info = tf.memory();
    return {
      backend: tf.getBackend() as TrainBackendName,
      numTensors: info.numTensors,
      numBytes: info.numBytes,
      models: [...this.#models.keys()],
      portMatrices: [...this.#portData.keys()],
    };
  }

  async attachDataPort(port: MessagePort): Promise<void> {
    port.onmessage = (event: MessageEvent<DataPortMessage>) => this.receive(event.data);
    port.start?.();
  }

  /** Handles one data-port message (public so tests can feed it without a port). */
  receive(message: DataPortMessage): void {
    if (message.type === 'release') {
      this.#portData.delete(message.key);
      return;
    }
    if (message.type === 'matrix') {
      const { key, X, y, nRows, nCols } = message;
      this.#portData.set(key, { X, y, nRows, nCols });
      this.#portWaiters.get(key)?.();
      this.#portWaiters.delete(key);
    }
  }

  /**
   * The UI learns a matrix's key from the data worker and may call `train` before the
   * matrix itself, sent on another port, has arrived here: wait a little for it.
   */
  async #waitForPortData(key: string, timeoutMs = 10_000): Promise<TrainData | PortDataRef> {
    if (!this.#portData.has(key)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.#portWaiters.set(key, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.#portWaiters.delete(key);
    }
    return this.#portData.get(key) ?? { portKey: key };
  }

  #resolveData(data: TrainData | PortDataRef): TrainData {
    const matrix = 'portKey' in data ? this.#portData.get(data.portKey) : data;
    if (!matrix) throw failure('no_data', `No matrix ${(data as PortDataRef).portKey} arrived on the data port.`);
    if (!(matrix.X instanceof Float32Array) || !(matrix.y instanceof Float32Array)) {
      throw failure('bad_shape', 'X and y must be Float32Arrays.');
    }
    if (matrix.X.length !== matrix.nRows * matrix.nCols) {
      throw failure('bad_shape', `X has ${matrix.X.length} values, expected ${matrix.nRows} × ${matrix.nCols}.`);
    }
    if (matrix.nRows < 2) throw failure('bad_shape', 'Need at least two rows to train.');
    return matrix;
  }

  #store(model: AnyModel): string {
    this.#modelCounter += 1;
    const id = `model-${this.#modelCounter}`;
    this.#models.set(id, model);
    return id;
  }

  #model(modelId: string): AnyModel {
    const model = this.#models.get(modelId);
    if (!model) throw failure('no_model', `No model ${modelId}.`);
    return model;
  }
}
