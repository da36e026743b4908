/**
 * The app's side of the embed protocol: listens for host messages, drops anything not from
 * `window.parent` or from an origin outside the allow-list (silently: no reply, no work),
 * answers everything else by id, and posts `ready`, progress and resize events.
 *
 * It takes a window-like object instead of touching globals, so tests drive it with fakes.
 */
import type { ProgressCallback, ProgressEvent } from '../contracts/data-api';
import { toErrorInfo } from '../data/errors';
import { isOriginAllowed, parseAllowList } from './allow-list';
import {
  EMBED_ERROR,
  errorReply,
  okReply,
  progressMessage,
  readyEvent,
  resizeEvent,
  toErrorBody,
  parseEnvelope,
  type EmbedId,
  type EmbedOutgoing,
} from './protocol';
import { EMBED_METHODS } from './method-table';
import { findMethod, type EmbedBackend, type EmbedMethod, type EmbedMethodTable } from './methods';

/** The one call of `Window.postMessage` the bridge makes. */
export interface EmbedTarget {
  postMessage(message: unknown, targetOrigin: string): void;
}

/** The fields of `MessageEvent` the bridge reads. */
export interface EmbedMessageEvent {
  readonly data: unknown;
  readonly origin: string;
  readonly source: unknown;
}

/** What the bridge needs of `window`; a real `Window` fits. */
export interface EmbedWindowLike {
  readonly parent: EmbedTarget | null;
  addEventListener(type: 'message', listener: (event: EmbedMessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: EmbedMessageEvent) => void): void;
  readonly location: {
    readonly origin: string;
    readonly search: string;
    /** Chromium and WebKit only: the parent's origin, known before any message arrives. */
    readonly ancestorOrigins?: ArrayLike<string>;
  };
}

/** A note for the app's UI and logs; never sent to the host. */
export type EmbedActivity =
  | { type: 'ignored'; reason: 'source' | 'origin' | 'echo'; origin: string }
  | { type: 'rejected'; origin: string; id: EmbedId | null; method?: string; code: string }
  | { type: 'call'; origin: string; id: EmbedId; method: string }
  | {
      type: 'settled';
      origin: string;
      id: EmbedId;
      method: string;
      ok: boolean;
      code?: string;
      /** The method can change the set of tables: refresh what the UI shows. */
      mutates: boolean;
      elapsedMs: number;
    };

export interface EmbedBridgeOptions {
  window: EmbedWindowLike;
  backend: EmbedBackend;
  /** Normalised origins (see allow-list.ts); default: parsed from `window.location`. */
  allowList?: readonly string[];
  /** The app's version, reported in `ready` and by `hello`. */
  version: string;
  /** Default: the v1 table `EMBED_METHODS`. */
  methods?: EmbedMethodTable;
  onActivity?: (activity: EmbedActivity) => void;
  /** Minimum gap between two progress messages of one call within one phase (default 50). */
  progressIntervalMs?: number;
  /** Clock for elapsed times and throttling (default `Date.now`). */
  now?: () => number;
}

export interface EmbedBridge {
  /** Stops listening; calls still running finish without replying. Idempotent. */
  stop(): void;
  /** Posts a `resize` event when the (rounded-up) height changed. */
  notifyResize(height: number): void;
  /** False when the page is not framed (then the bridge does nothing) or after `stop()`. */
  readonly active: boolean;
  /** Number of calls still running. */
  readonly pending: number;
}

/** Starts answering the host; posts `ready` once, immediately. */
export function startEmbedBridge(options: EmbedBridgeOptions): EmbedBridge {
  const win = options.window;
  const parent = win.parent;
  const backend = options.backend;
  const methods = options.methods ?? EMBED_METHODS;
  const methodNames = Object.keys(methods);
  const allowList = [...(options.allowList ?? parseAllowList(win.location.search, win.location.origin))];
  const now = options.now ?? Date.now;
  const progressInterval = options.progressIntervalMs ?? 50;
  const report = options.onActivity ?? (() => {});
  const context = { version: options.version, methods: methodNames };

  /** Keyed by type and value, so the ids 1 and "1" are different calls. */
  const pending = new Set<string>();
  let stopped = false;
  let lastHeight = -1;
  /** The parent's origin once a message proved it; events go there only. */
  let hostOrigin: string | null = null;

  // Opened unframed (`window.parent === window`): there is no host, and answering our own
  // `ready` would talk to ourselves.
  const framed = parent !== null && (parent as unknown) !== (win as unknown);

  const post = (message: EmbedOutgoing, origin: string): boolean => {
    if (stopped || !parent) return false;
    try {
      parent.postMessage(message, origin);
      return true;
    } catch {
      // DataCloneError (a result that cannot be cloned) or a parent gone away.
      return false;
    }
  };

  /** Where unsolicited events go: the proven host, else the likely parents in the list. */
  const eventOrigins = (): string[] => {
    if (hostOrigin !== null) return [hostOrigin];
    const ancestor = win.location.ancestorOrigins?.[0];
    if (ancestor !== undefined) return isOriginAllowed(ancestor, allowList) ? [ancestor] : [];
    // Without ancestorOrigins (Firefox) post to each allowed origin; the browser delivers
    // only the copy whose target matches the parent's real origin.
    return allowList;
  };

  const postEvent = (message: EmbedOutgoing): void => {
    for (const origin of eventOrigins()) post(message, origin);
  };

  const execute = async (
    id: EmbedId,
    key: string,
    name: string,
    method: EmbedMethod<unknown, unknown>,
    params: unknown,
    origin: string,
  ): Promise<void> => {
    const started = now();
    let lastPhase = '';
    let lastProgressAt = -Infinity;
    const onProgress: ProgressCallback = (event: ProgressEvent) => {
      if (!pending.has(key)) return; // late progress after the reply
      const t = now();
      const final = event.done >= event.total;
      if (event.phase === lastPhase && !final && t - lastProgressAt < progressInterval) return;
      lastPhase = event.phase;
      lastProgressAt = t;
      post(progressMessage(id, event), origin);
    };

    let ok = false;
    let code: string | undefined;
    try {
      const result = await method.run(backend, params, onProgress, context);
      ok = post(okReply(id, result), origin);
      if (!ok && !stopped) {
        code = EMBED_ERROR.internal;
        post(
          errorReply(id, { code, message: `The result of ${name} could not be sent (not structured-cloneable).` }),
          origin,
        );
      }
    } catch (error) {
      const body = toErrorBody(toErrorInfo(error));
      code = body.code;
      post(errorReply(id, body), origin);
    } finally {
      pending.delete(key);
      const settled: EmbedActivity = {
        type: 'settled',
        origin,
        id,
        method: name,
        ok,
        mutates: method.mutates,
        elapsedMs: now() - started,
      };
      if (code !== undefined) settled.code = code;
      report(settled);
    }
  };

  const onMessage = (event: EmbedMessageEvent): void => {
    if (stopped) return;
    const origin = typeof event.origin === 'string' ? event.origin : String(event.origin);
    if (event.source !== parent) {
      report({ type: 'ignored', reason: 'source', origin });
      return;
    }
    if (!isOriginAllowed(origin, allowList)) {
      report({ type: 'ignored', reason: 'origin', origin });
      return;
    }
    hostOrigin = origin;

    const parsed = parseEnvelope(event.data);
    if (parsed.kind === 'echo') {
      report({ type: 'ignored', reason: 'echo', origin });
      return;
    }
    if (parsed.kind === 'invalid') {
      post(errorReply(parsed.id, parsed.error), origin);
      report({ type: 'rejected', origin, id: parsed.id, code: parsed.error.code });
      return;
    }

    const { id, method: name, params } = parsed.request;
    const reject = (code: string, message: string, extra?: Record<string, string | number>): void => {
      post(errorReply(id, extra ? { code, message, params: extra } : { code, message }), origin);
      report({ type: 'rejected', origin, id, method: name, code });
    };

    const key = `${typeof id}:${String(id)}`;
    if (pending.has(key)) {
      reject(
        EMBED_ERROR.badEnvelope,
        `id ${JSON.stringify(id)} is already used by a call that has not been answered yet.`,
      );
      return;
    }
    const method = findMethod(methods, name);
    if (!method) {
      reject(EMBED_ERROR.unknownMethod, `Unknown method ${JSON.stringify(name)}. Methods: ${methodNames.join(', ')}.`, {
        method: name,
      });
      return;
    }
    let validation: ReturnType<typeof method.validate>;
    try {
      validation = method.validate(params);
    } catch (error) {
      const info = toErrorInfo(error);
      reject(EMBED_ERROR.badParams, info.message, { method: name });
      return;
    }
    if (!validation.ok) {
      post(errorReply(id, toErrorBody(validation.error)), origin);
      report({ type: 'rejected', origin, id, method: name, code: validation.error.code });
      return;
    }

    pending.add(key);
    report({ type: 'call', origin, id, method: name });
    void execute(id, key, name, method, validation.value, origin);
  };

  if (framed) {
    win.addEventListener('message', onMessage);
    postEvent(readyEvent(options.version, methodNames));
  } else {
    stopped = true;
  }

  return {
    stop() {
      if (stopped) return;
      stopped = true;
      win.removeEventListener('message', onMessage);
    },
    notifyResize(height: number) {
      if (stopped || !Number.isFinite(height) || height < 0) return;
      const rounded = Math.ceil(height);
      if (rounded === lastHeight) return;
      lastHeight = rounded;
      postEvent(resizeEvent(rounded));
    },
    get active() {
      return !stopped;
    },
    get pending() {
      return pending.size;
    },
  };
}
