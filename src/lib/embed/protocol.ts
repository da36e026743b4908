/**
 * The embed protocol's wire format (v1): the envelope a host posts into the iframe, the
 * replies and events the app posts back, and `parseEnvelope`, the one place that decides
 * whether a message is a well-formed call. Pure: no DOM globals, so vitest runs it in Node.
 *
 * Reference for host authors: docs/embed-api.md.
 */
import type { ShopSightErrorInfo } from '../contracts/data-api';

/** The value of `shopsight` in every message; bumped only for breaking changes. */
export const EMBED_PROTOCOL_VERSION = 1;
export type EmbedProtocolVersion = typeof EMBED_PROTOCOL_VERSION;

/** Error codes produced by the embed layer itself (the data layer adds its own). */
export const EMBED_ERROR = {
  /** The message is not a valid v1 call envelope. */
  badEnvelope: 'bad_envelope',
  /** `shopsight` is a number other than 1. */
  unsupportedVersion: 'unsupported_version',
  /** No method of that name. */
  unknownMethod: 'unknown_method',
  /** The method exists but `params` are missing, mistyped, out of range or unknown. */
  badParams: 'bad_params',
  /** `query` was given something other than one read-only statement. */
  readOnly: 'read_only',
  /** A method's result could not be structured-cloned, or something unexpected threw. */
  internal: 'internal',
} as const;

/** Request ids are chosen by the host and echoed back verbatim. */
export type EmbedId = string | number;

/** Longest accepted string id and method name (anything longer is a host bug). */
export const MAX_ID_LENGTH = 256;
export const MAX_METHOD_LENGTH = 64;

/** host → app: a call. `params` defaults to `{}` when absent. */
export interface EmbedRequest {
  shopsight: EmbedProtocolVersion;
  id: EmbedId;
  method: string;
  params: Record<string, unknown>;
}

/** The `error` of a failed reply: always `code` and `message`, the rest when known. */
export interface EmbedErrorBody {
  code: string;
  message: string;
  params?: Record<string, string | number>;
  /** 1-based line (and column) in the loaded file, for parse errors. */
  line?: number;
  column?: number | string;
}

export interface EmbedOkReply<R = unknown> {
  shopsight: EmbedProtocolVersion;
  id: EmbedId;
  ok: true;
  result: R;
}

/** `id` is `null` only when the message was so malformed that no id could be read from it. */
export interface EmbedErrorReply {
  shopsight: EmbedProtocolVersion;
  id: EmbedId | null;
  ok: false;
  error: EmbedErrorBody;
}

export type EmbedReply<R = unknown> = EmbedOkReply<R> | EmbedErrorReply;

export interface EmbedReadyEvent {
  shopsight: EmbedProtocolVersion;
  event: 'ready';
  /** The app's version (not the protocol's, which is `shopsight`). */
  version: string;
  /** Names of the methods this build answers, for feature detection. */
  methods: string[];
}

export interface EmbedResizeEvent {
  shopsight: EmbedProtocolVersion;
  event: 'resize';
  /** Content height in CSS pixels, rounded up. */
  height: number;
}

export interface EmbedProgress {
  phase: string;
  done: number;
  total: number;
  detail?: string;
}

/** Progress of the call `id`; sent zero or more times before its reply. */
export interface EmbedProgressMessage {
  shopsight: EmbedProtocolVersion;
  id: EmbedId;
  progress: EmbedProgress;
}

/** Everything the app ever posts to the host. */
export type EmbedOutgoing = EmbedReply | EmbedReadyEvent | EmbedResizeEvent | EmbedProgressMessage;

/** What `parseEnvelope` made of a message. */
export type ParsedEnvelope =
  | { kind: 'request'; request: EmbedRequest }
  /** Reply with `error` to `id` (null when unreadable). */
  | { kind: 'invalid'; id: EmbedId | null; error: EmbedErrorBody }
  /**
   * Shaped like one of the app's own messages (a reply, event or progress). Ignored without
   * a reply: answering it could start an endless ping-pong with a host that echoes messages,
   * or with the app itself when it is opened unframed (then `window.parent === window`).
   */
  | { kind: 'echo' };

const ENVELOPE_KEYS = new Set(['shopsight', 'id', 'method', 'params']);
const OUTGOING_KEYS = ['ok', 'event', 'progress'] as const;

/** A structured-clone-style plain object (not an array, Blob, Date, class instance …). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isValidId(value: unknown): value is EmbedId {
  if (typeof value === 'string') return value.length > 0 && value.length <= MAX_ID_LENGTH;
  return typeof value === 'number' && Number.isFinite(value);
}

function has(object: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

function invalid(id: EmbedId | null, message: string, code: string = EMBED_ERROR.badEnvelope): ParsedEnvelope {
  return { kind: 'invalid', id, error: { code, message } };
}

const SHAPE = 'Expected { shopsight: 1, id, method, params }.';

/**
 * Validates a host message exhaustively. Never throws; anything that is not a well-formed
 * v1 call comes back as `invalid` with the id when one could be read, so the host can match
 * the error to its call.
 */
export function parseEnvelope(data: unknown): ParsedEnvelope {
  if (!isPlainObject(data)) {
    const what = data === null ? 'null' : Array.isArray(data) ? 'an array' : typeof data;
    return invalid(null, `Message must be an object, got ${what}. ${SHAPE}`);
  }
  const id = has(data, 'id') && isValidId(data.id) ? data.id : null;

  if (!has(data, 'shopsight')) return invalid(id, `Message has no "shopsight" field. ${SHAPE}`);
  const version = data.shopsight;
  if (version !== EMBED_PROTOCOL_VERSION) {
    if (typeof version === 'number') {
      return {
        kind: 'invalid',
        id,
        error: {
          code: EMBED_ERROR.unsupportedVersion,
          message: `Protocol version ${String(version)} is not supported; this app speaks version ${EMBED_PROTOCOL_VERSION}.`,
          params: { supported: EMBED_PROTOCOL_VERSION, received: String(version) },
        },
      };
    }
    return invalid(id, `"shopsight" must be the number ${EMBED_PROTOCOL_VERSION}, got ${describeValue(version)}.`);
  }

  if (!has(data, 'method') && OUTGOING_KEYS.some((key) => has(data, key))) return { kind: 'echo' };

  if (!has(data, 'id')) return invalid(null, `Message has no "id". ${SHAPE}`);
  if (id === null) {
    return invalid(
      null,
      `"id" must be a non-empty string of at most ${MAX_ID_LENGTH} characters or a finite number, got ${describeValue(data.id)}.`,
    );
  }

  if (!has(data, 'method')) return invalid(id, `Message has no "method". ${SHAPE}`);
  const method = data.method;
  if (typeof method !== 'string' || method.length === 0 || method.length > MAX_METHOD_LENGTH) {
    return invalid(
      id,
      `"method" must be a non-empty string of at most ${MAX_METHOD_LENGTH} characters, got ${describeValue(method)}.`,
    );
  }

  let params: Record<string, unknown> = {};
  if (has(data, 'params') && data.params !== undefined) {
    if (!isPlainObject(data.params)) {
      return invalid(id, `"params" must be an object (or absent), got ${describeValue(data.params)}.`);
    }
    params = data.params;
  }

  const unknown = Object.keys(data).filter((key) => !ENVELOPE_KEYS.has(key));
  if (unknown.length > 0) {
    return invalid(id, `Unknown envelope field(s): ${unknown.map((k) => JSON.stringify(k)).join(', ')}. ${SHAPE}`);
  }

  return { kind: 'request', request: { shopsight: EMBED_PROTOCOL_VERSION, id, method, params } };
}

/** Short description of a bad value for error messages (never echoes long strings back). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof name === 'string' && name !== 'Object' ? `a ${name}` : 'an object';
  }
  return `a ${typeof value}`;
}

/**
 * Copies the wire-safe fields of an error (a `ShopSightErrorInfo`, or anything else thrown
 * and already normalised by `toErrorInfo`), so a stray non-cloneable field can never make
 * the reply itself fail.
 */
export function toErrorBody(info: ShopSightErrorInfo): EmbedErrorBody {
  const body: EmbedErrorBody = {
    code: typeof info.code === 'string' && info.code ? info.code : EMBED_ERROR.internal,
    message: typeof info.message === 'string' ? info.message : String(info.message),
  };
  if (isPlainObject(info.params)) {
    const params: Record<string, string | number> = {};
    for (const [key, value] of Object.entries(info.params)) {
      if (typeof value === 'string' || typeof value === 'number') params[key] = value;
    }
    if (Object.keys(params).length > 0) body.params = params;
  }
  if (typeof info.line === 'number') body.line = info.line;
  if (typeof info.column === 'number' || typeof info.column === 'string') body.column = info.column;
  return body;
}

export function okReply<R>(id: EmbedId, result: R): EmbedOkReply<R> {
  return { shopsight: EMBED_PROTOCOL_VERSION, id, ok: true, result };
}

export function errorReply(id: EmbedId | null, error: EmbedErrorBody): EmbedErrorReply {
  return { shopsight: EMBED_PROTOCOL_VERSION, id, ok: false, error };
}

export function readyEvent(version: string, methods: readonly string[]): EmbedReadyEvent {
  return { shopsight: EMBED_PROTOCOL_VERSION, event: 'ready', version, methods: [...methods] };
}

export function resizeEvent(height: number): EmbedResizeEvent {
  return { shopsight: EMBED_PROTOCOL_VERSION, event: 'resize', height };
}

export function progressMessage(id: EmbedId, progress: EmbedProgress): EmbedProgressMessage {
  const copy: EmbedProgress = { phase: progress.phase, done: progress.done, total: progress.total };
  if (typeof progress.detail === 'string') copy.detail = progress.detail;
  return { shopsight: EMBED_PROTOCOL_VERSION, id, progress: copy };
}
