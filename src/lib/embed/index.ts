/**
 * The embed API's public surface, plus `startEmbedMode`, the one call the app makes at start
 * when `isEmbedMode(location.search)`: allow-list, backend adapter, bridge, resize watching.
 */
import { readAllowList } from './allow-list';
import { startEmbedBridge, type EmbedActivity, type EmbedBridge, type EmbedWindowLike } from './host-bridge';
import type { EmbedBackend, EmbedMethodTable } from './methods';
import { watchHeight, type HeightObserverClass } from './resize';

export { isEmbedMode, parseAllowList, readAllowList, isOriginAllowed, type AllowList } from './allow-list';
export { createClientBackend, embedJobIds, type EmbedDataClient } from './backend';
export {
  startEmbedBridge,
  type EmbedActivity,
  type EmbedBridge,
  type EmbedBridgeOptions,
  type EmbedMessageEvent,
  type EmbedTarget,
  type EmbedWindowLike,
} from './host-bridge';
export { EMBED_METHODS, type EmbedMethodName, type EmbedResultOf } from './method-table';
export {
  defineMethod,
  findMethod,
  QUERY_DEFAULT_LIMIT,
  QUERY_MAX_LIMIT,
  type EmbedBackend,
  type EmbedCallContext,
  type EmbedColumn,
  type EmbedLoadedTable,
  type EmbedMethod,
  type EmbedMethodTable,
  type EmbedQueryResult,
  type EmbedTable,
  type HelloResult,
  type LoadTableParams,
  type LoadTableResult,
  type QueryParams,
} from './methods';
export * from './protocol';
export { checkReadOnlySql } from '../sql/statement';
export { watchHeight, type HeightObserverClass } from './resize';

export interface EmbedModeOptions {
  window: EmbedWindowLike;
  /** `location.search` of the app (holds `allow=`); default: `window.location.search`. */
  search?: string;
  backend: EmbedBackend;
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
  const search = options.search ?? options.window.location.search;
  const { origins, warnings } = readAllowList(search, options.window.location.origin);
  const warn = options.warn ?? ((message: string) => console.warn(`[ShopSight embed] ${message}`));
  for (const warning of warnings) warn(warning);

  const bridge = startEmbedBridge({
    window: options.window,
    backend: options.backend,
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
