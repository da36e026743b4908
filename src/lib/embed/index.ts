/**
 * The embed API's public surface, plus `startEmbedMode`, the one call the app makes at start
 * when `isEmbedMode(location.search)`: allow-list, backend adapter, bridge, resize watching.
 */
import { readAllowList } from './allow-list';
import { createDataApiBackend, type DataApiBackendOptions, type EmbedDataApi } from './backend';
import { startEmbedBridge, type EmbedActivity, type EmbedBridge, type EmbedWindowLike } from './host-bridge';
import type { EmbedMethodTable } from './methods';
import { watchHeight, type HeightObserverClass } from './resize';

export { isEmbedMode, parseAllowList, readAllowList, isOriginAllowed, type AllowList } from './allow-list';
export { createDataApiBackend, type EmbedDataApi, type DataApiBackendOptions } from './backend';
export {
  startEmbedBridge,
  type EmbedActivity,
  type EmbedBridge,
  type EmbedBridgeOptions,
  type EmbedMessageEvent,
  type EmbedTarget,
  type EmbedWindowLike,
} from './host-bridge';
export {
  EMBED_METHODS,
  defineMethod,
  findMethod,
  QUERY_DEFAULT_LIMIT,
  QUERY_MAX_LIMIT,
  type EmbedBackend,
  type EmbedCallContext,
  type EmbedColumn,
  type EmbedLoadedTable,
  type EmbedMethod,
  type EmbedMethodName,
  type EmbedMethodTable,
  type EmbedQueryResult,
  type EmbedResultOf,
  type EmbedTable,
  type HelloResult,
  type LoadTableParams,
  type LoadTableResult,
  type QueryParams,
} from './methods';
export * from './protocol';
export { checkReadOnlySql } from './read-only';
export { watchHeight, type HeightObserverClass } from './resize';

export interface EmbedModeOptions extends DataApiBackendOptions {
  window: EmbedWindowLike;
  /** The data worker's API (a Comlink remote: pass `wrapProgress: Comlink.proxy`). */
  dataApi: EmbedDataApi;
  version: string;
  /** Element holding the app's content at its natural height; its size drives `resize`. */
  resizeTarget?: Element;
  /** Default: the browser's ResizeObserver. */
  ResizeObserver?: HeightObserverClass;
  methods?: EmbedMethodTable;
  onActivity?: (activity: EmbedActivity) => void;
  /** Where allow-list warnings go (default `console.warn`). */
  warn?: (message: string) => void;
}

/** Starts embed mode; call only once the data layer is initialised (`ready` means usable). */
export function startEmbedMode(options: EmbedModeOptions): EmbedBridge & { allowList: string[] } {
  const { origins, warnings } = readAllowList(options.window.location.search, options.window.location.origin);
  const warn = options.warn ?? ((message: string) => console.warn(`[ShopSight embed] ${message}`));
  for (const warning of warnings) warn(warning);

  const backendOptions: DataApiBackendOptions = {};
  if (options.newJobId) backendOptions.newJobId = options.newJobId;
  if (options.wrapProgress) backendOptions.wrapProgress = options.wrapProgress;

  const bridge = startEmbedBridge({
    window: options.window,
    backend: createDataApiBackend(options.dataApi, backendOptions),
    allowList: origins,
    version: options.version,
    ...(options.methods ? { methods: options.methods } : {}),
    ...(options.onActivity ? { onActivity: options.onActivity } : {}),
  });
  const stopWatching =
    options.resizeTarget && bridge.active
      ? watchHeight(options.resizeTarget, (height) => bridge.notifyResize(height), options.ResizeObserver)
      : () => {};

  return {
    allowList: origins,
    stop() {
      stopWatching();
      bridge.stop();
    },
    notifyResize: (height) => bridge.notifyResize(height),
    get active() {
      return bridge.active;
    },
    get pending() {
      return bridge.pending;
    },
  };
}
