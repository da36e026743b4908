/**
 * Adapts the data worker's `DataApi` (or its Comlink remote) to the narrow `EmbedBackend`
 * the embed methods use: each long call gets its own job id, so the data layer can cancel
 * and track it like a call from the UI.
 */
import type { DataApi, ProgressCallback } from '../contracts/data-api';
import type { EmbedBackend } from './methods';

/** The part of `DataApi` the embed API uses; a Comlink `Remote<DataApi>` fits it. */
export type EmbedDataApi = Pick<DataApi, 'loadFile' | 'listTables' | 'query' | 'profile' | 'dropTable'>;

export interface DataApiBackendOptions {
  /** Job ids for the data layer; the default is `embed-<n>-<random>`. */
  newJobId?: () => string;
  /**
   * Wraps progress callbacks before they cross to the worker; pass Comlink's `proxy` when
   * `api` is a Comlink remote (functions cannot be structured-cloned).
   */
  wrapProgress?: (callback: ProgressCallback) => ProgressCallback;
}

/** An `EmbedBackend` over the data worker. */
export function createDataApiBackend(api: EmbedDataApi, options: DataApiBackendOptions = {}): EmbedBackend {
  let counter = 0;
  const salt = Math.random().toString(36).slice(2, 8);
  const newJobId = options.newJobId ?? (() => `embed-${++counter}-${salt}`);
  const wrap = options.wrapProgress ?? ((callback: ProgressCallback) => callback);
  return {
    loadFile: (source, fileName, loadOptions, onProgress) =>
      api.loadFile(newJobId(), source, fileName, loadOptions, wrap(onProgress)),
    listTables: () => api.listTables(),
    query: (sql, limit) => api.query(newJobId(), sql, limit),
    profile: (table, onProgress) => api.profile(newJobId(), table, wrap(onProgress)),
    dropTable: (name) => api.dropTable(name),
  };
}
