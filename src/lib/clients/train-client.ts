/**
 * The UI's handle on the train worker: a lazily started Comlink client. Matrices are
 * transferred, not copied (the caller's arrays are detached afterwards). If the worker dies
 * (out of memory in a big fit, a wasm trap) the calls in flight fail with `worker_restarted`
 * and the next call starts a fresh worker; trained models are lost with it and the
 * supervisor event says so.
 */
import * as Comlink from 'comlink';
import type {
  BackendReportInfo,
  PortDataRef,
  PredictResult,
  SerialisedModelInfo,
  ShopSightErrorInfo,
  TrainConfig,
  TrainData,
  TrainInitOptions,
  TrainMemoryInfo,
  TrainProgressCallback,
  TrainResult,
} from '../contracts/train-api';
import type { MlApi } from '../contracts/ml-api';
import { newJobId, PendingCalls } from './pending-calls';

/** What the client tells the UI about the worker's life. */
export type TrainSupervisorEvent = { kind: 'crashed'; reason: string; lostModels: string[] };

/** Options of a TrainClient. */
export interface TrainClientOptions {
  /** Creates the worker; tests and benchmarks may pass their own. */
  createWorker?: () => Worker;
  onSupervisorEvent?: (event: TrainSupervisorEvent) => void;
}

/** A process-unique training job id; `cancel(jobId)` refers to it. */
export function newTrainJobId(prefix = 'train'): string {
  return newJobId(prefix);
}

function defaultWorker(): Worker {
  return new Worker(new URL('../../../workers/train.worker.ts', import.meta.url), {
    type: 'module',
    name: 'shopsight-train',
  });
}

/** Client of the train worker. */
export class TrainClient {
  readonly #options: TrainClientOptions;
  #worker: Worker | undefined;
  #remote: Comlink.Remote<MlApi> | undefined;
  #ready: Promise<BackendReportInfo> | undefined;
  #initOptions: TrainInitOptions = {};
  readonly #pending = new PendingCalls();
  readonly #models = new Set<string>();

  constructor(options: TrainClientOptions = {}) {
    this.#options = options;
  }

  /** Starts the worker and chooses the backend (again only when the override changes). */
  init(options: TrainInitOptions = {}): Promise<BackendReportInfo> {
    if (!this.#ready || options.backend !== this.#initOptions.backend) {
      this.#initOptions = options;
      const remote = this.#remote ?? this.#spawn();
      this.#ready = remote.init(options);
      // A failed start must not stick: the next call tries again.
      this.#ready.catch(() => {
        this.#ready = undefined;
      });
    }
    return this.#ready;
  }

  /** Trains a model; `data`'s buffers are transferred to the worker (detached here). */
  async train(
    config: TrainConfig,
    data: TrainData | PortDataRef,
    onProgress?: TrainProgressCallback,
    jobId = newTrainJobId(),
  ): Promise<TrainResult> {
    const payload = 'portKey' in data ? data : Comlink.transfer(data, uniqueBuffers([data.X, data.y]));
    const result = await this.#call((api) =>
      api.train(jobId, config, payload, onProgress ? Comlink.proxy(onProgress) : undefined),
    );
    this.#models.add(result.modelId);
    return result;
  }

  /** Asks a running job to stop at its next batch. */
  cancel(jobId: string): Promise<boolean> {
    return this.#remote ? this.#remote.cancel(jobId) : Promise.resolve(false);
  }

  /** Predictions for rows X (transferred). */
  predict(modelId: string, X: Float32Array, nRows: number, nCols: number): Promise<PredictResult> {
    return this.#call((api) => api.predict(modelId, Comlink.transfer({ X, nRows, nCols }, [X.buffer])));
  }

  /** The model as JSON (weights base64). */
  exportModel(modelId: string): Promise<SerialisedModelInfo> {
    return this.#call((api) => api.exportModel(modelId));
  }

  /** Loads a model from JSON; resolves to its id. */
  async importModel(model: SerialisedModelInfo): Promise<string> {
    const id = await this.#call((api) => api.importModel(model));
    this.#models.add(id);
    return id;
  }

  /** Frees a model in the worker. */
  async disposeModel(modelId: string): Promise<boolean> {
    this.#models.delete(modelId);
    return this.#call((api) => api.disposeModel(modelId));
  }

  /** TF.js memory of the worker (tensors, bytes, models). */
  memory(): Promise<TrainMemoryInfo> {
    return this.#call((api) => api.memory());
  }

  /**
   * Hands the worker one end of a MessageChannel; give the other to the data worker, which
   * then posts `DataPortMessage`s (matrices) directly, never through this thread.
   */
  attachDataPort(port: MessagePort): Promise<void> {
    return this.#call((api) => api.attachDataPort(Comlink.transfer(port, [port])));
  }

  /**
   * Hands the worker the end of a MessageChannel whose other end the data worker serves a
   * `FrameSource` on (`DataClient.attachFramePort`); analyses then read tables and write
   * results without passing the data through this thread.
   */
  attachFrameSource(port: MessagePort): Promise<void> {
    return this.#call((api) => api.attachFrameSource(Comlink.transfer(port, [port])));
  }

  /**
   * Calls any method of the ML worker's API with the same crash handling as the others; wrap
   * progress callbacks in `Comlink.proxy` (see `withProgress`). Chapter clients build on it.
   */
  call<T>(work: (api: Comlink.Remote<MlApi>) => Promise<T>): Promise<T> {
    return this.#call(work);
  }

  /** True while a worker is running (its models and data link alive). */
  get alive(): boolean {
    return this.#remote !== undefined;
  }

  /** Stops the worker; its models are gone. */
  terminate(): void {
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#remote = undefined;
    this.#ready = undefined;
    this.#models.clear();
    this.#pending.rejectAll({ code: 'worker_stopped', message: 'The training engine was stopped.' });
  }

  #spawn(): Comlink.Remote<MlApi> {
    const worker = (this.#options.createWorker ?? defaultWorker)();
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.#crashed(event.message || 'The training engine crashed.');
    });
    this.#worker = worker;
    this.#remote = Comlink.wrap<MlApi>(worker);
    return this.#remote;
  }

  #crashed(reason: string): void {
    const lost = [...this.#models];
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#remote = undefined;
    this.#ready = undefined;
    this.#models.clear();
    this.#pending.rejectAll({ code: 'worker_restarted', message: `The training engine restarted: ${reason}` });
    this.#options.onSupervisorEvent?.({ kind: 'crashed', reason, lostModels: lost });
  }

  async #call<T>(work: (api: Comlink.Remote<MlApi>) => Promise<T>): Promise<T> {
    await this.init(this.#initOptions);
    const remote = this.#remote;
    if (!remote)
      throw { code: 'worker_stopped', message: 'The training engine is not running.' } satisfies ShopSightErrorInfo;
    return this.#pending.track(() => work(remote));
  }
}

/** X and y may share one buffer; transferring a buffer twice throws. */
function uniqueBuffers(arrays: ArrayBufferView[]): ArrayBuffer[] {
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}

/** A progress callback as Comlink needs it to cross into the worker (or undefined). */
export function withProgress<A extends unknown[]>(callback: ((...args: A) => void) | undefined) {
  return callback ? Comlink.proxy(callback) : undefined;
}
