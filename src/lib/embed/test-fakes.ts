/**
 * Test doubles for the embed suites: a window with a parent that records what it is sent,
 * and an `EmbedBackend` whose calls are recorded and can be held open. Not used by the app.
 */
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import type { ProgressCallback, QualityReport, TableInfo } from '../contracts/data-api';
import type { EmbedMessageEvent, EmbedTarget, EmbedWindowLike } from './host-bridge';
import type { EmbedBackend } from './methods';
import type { EmbedOutgoing, EmbedReply } from './protocol';

export const APP_ORIGIN = 'https://shopsight.example';
export const HOST_ORIGIN = 'https://admin.example.com';
export const EVIL_ORIGIN = 'https://evil.example.net';

export interface Posted {
  message: EmbedOutgoing;
  targetOrigin: string;
}

/** The host window: records every message, structured-cloning it as a browser would. */
export class FakeParent implements EmbedTarget {
  readonly posted: Posted[] = [];

  postMessage(message: unknown, targetOrigin: string): void {
    this.posted.push({ message: structuredClone(message) as EmbedOutgoing, targetOrigin });
  }

  /** Replies (not events or progress) for `id`. */
  repliesTo(id: unknown): { message: EmbedReply; targetOrigin: string }[] {
    return this.posted.filter(
      (p): p is { message: EmbedReply; targetOrigin: string } => 'ok' in p.message && p.message.id === id,
    );
  }

  progressOf(id: unknown): Posted[] {
    return this.posted.filter((p) => 'progress' in p.message && p.message.id === id);
  }

  events(name: string): Posted[] {
    return this.posted.filter((p) => 'event' in p.message && p.message.event === name);
  }
}

/** The app's window inside the iframe. */
export class FakeWindow implements EmbedWindowLike {
  readonly parent: FakeParent;
  readonly location: { origin: string; search: string; ancestorOrigins?: string[] };
  readonly #listeners = new Set<(event: EmbedMessageEvent) => void>();

  constructor(options: { search?: string; origin?: string; ancestorOrigins?: string[]; parent?: FakeParent } = {}) {
    this.parent = options.parent ?? new FakeParent();
    this.location = { origin: options.origin ?? APP_ORIGIN, search: options.search ?? '?embed=1' };
    if (options.ancestorOrigins) this.location.ancestorOrigins = options.ancestorOrigins;
  }

  addEventListener(_type: 'message', listener: (event: EmbedMessageEvent) => void): void {
    this.#listeners.add(listener);
  }

  removeEventListener(_type: 'message', listener: (event: EmbedMessageEvent) => void): void {
    this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** Delivers a message as the browser would; `source` defaults to the parent. */
  receive(data: unknown, origin: string = HOST_ORIGIN, source: unknown = this.parent): void {
    for (const listener of this.#listeners) listener({ data, origin, source });
  }

  /** A call envelope from the host. */
  call(id: string | number, method: string, params?: Record<string, unknown>, origin: string = HOST_ORIGIN): void {
    this.receive(params === undefined ? { shopsight: 1, id, method } : { shopsight: 1, id, method, params }, origin);
  }
}

/** Lets pending promise chains run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setTimeout(resolve, 0));
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export function tableInfo(name: string, rows = 3, extra: Partial<TableInfo> = {}): TableInfo {
  return {
    name,
    rows,
    columns: [
      { name: 'order_id', type: 'VARCHAR', role: 'order_id', kind: 'id' },
      { name: 'amount', type: 'DOUBLE', role: 'line_amount', kind: 'money', format: '$1,234.50' },
    ],
    warnings: [],
    ...extra,
  };
}

export function qualityReport(table: string): QualityReport {
  return {
    table,
    rows: 3,
    columns: 2,
    duplicateRows: 0,
    columnProfiles: [],
    findings: [],
    score: 97,
    dimensionScores: { completeness: 100, consistency: 100, accuracy: 90, timeliness: 100, uniqueness: 100 },
    elapsedMs: 4,
  };
}

/** Arrow IPC bytes for a small result. */
export function ipcOf(columns: Record<string, unknown[]>): Uint8Array {
  // tableFromArrays infers Arrow types from the JS arrays (numbers → Float64, strings → Utf8).
  return tableToIPC(tableFromArrays(columns as Parameters<typeof tableFromArrays>[0]), 'stream');
}

/** A backend method that fails loudly when a test calls it without overriding it. */
function notFaked(name: string): () => Promise<never> {
  return async () => {
    throw new Error(`${name} is not faked in this test`);
  };
}

export interface BackendCall {
  method: keyof EmbedBackend;
  args: unknown[];
}

/**
 * A backend every member of which fails with "… is not faked in this test": spread the
 * members a test really serves over it, so a call the test did not plan for fails loudly.
 */
export function standInBackend(): EmbedBackend {
  return {
    loadFile: notFaked('loadFile'),
    listTables: notFaked('listTables'),
    query: notFaked('query'),
    profile: notFaked('profile'),
    dropTable: notFaked('dropTable'),
    applyRecipe: notFaked('applyRecipe'),
    buildCustomers: notFaked('buildCustomers'),
    buildProducts: notFaked('buildProducts'),
    buildSeries: notFaked('buildSeries'),
    buildLabels: notFaked('buildLabels'),
    selectFeatures: notFaked('selectFeatures'),
    forecast: { forecast: notFaked('forecast') },
    segments: { segment: notFaked('segment'), anomalies: notFaked('anomalies') },
    recommend: { recommend: notFaked('recommend'), sentiment: notFaked('sentiment') },
    classify: {
      compare: notFaked('classify.compare'),
      evaluate: notFaked('classify.evaluate'),
      predict: notFaked('classify.predict'),
      listModels: async () => [],
      cancel: async () => false,
      search: notFaked('classify.search'),
    },
  };
}

/** A recording backend; override any method per test. */
export function fakeBackend(overrides: Partial<EmbedBackend> = {}): EmbedBackend & { calls: BackendCall[] } {
  const calls: BackendCall[] = [];
  const base: EmbedBackend = {
    ...standInBackend(),
    loadFile: async (_source: Blob, fileName: string) => [tableInfo(fileName.replace(/\.\w+$/, ''))],
    listTables: async () => [tableInfo('orders')],
    query: async () => ({ ipc: ipcOf({ n: [1, 2] }), rowCount: 2, truncated: false, elapsedMs: 1 }),
    profile: async (table: string, _onProgress: ProgressCallback) => qualityReport(table),
    dropTable: async () => {},
    ...overrides,
  };
  const record =
    <K extends keyof EmbedBackend>(method: K) =>
    (...args: unknown[]): unknown => {
      calls.push({ method, args });
      return (base[method] as (...a: unknown[]) => unknown)(...args);
    };
  return {
    calls,
    loadFile: record('loadFile') as EmbedBackend['loadFile'],
    listTables: record('listTables') as EmbedBackend['listTables'],
    query: record('query') as EmbedBackend['query'],
    profile: record('profile') as EmbedBackend['profile'],
    dropTable: record('dropTable') as EmbedBackend['dropTable'],
    applyRecipe: record('applyRecipe') as EmbedBackend['applyRecipe'],
    buildCustomers: record('buildCustomers') as EmbedBackend['buildCustomers'],
    buildProducts: record('buildProducts') as EmbedBackend['buildProducts'],
    buildSeries: record('buildSeries') as EmbedBackend['buildSeries'],
    buildLabels: record('buildLabels') as EmbedBackend['buildLabels'],
    selectFeatures: record('selectFeatures') as EmbedBackend['selectFeatures'],
    forecast: {
      forecast: (...args: unknown[]) => {
        calls.push({ method: 'forecast', args });
        return (base.forecast.forecast as (...a: unknown[]) => Promise<never>)(...args);
      },
    } as EmbedBackend['forecast'],
    segments: base.segments,
    recommend: base.recommend,
    classify: base.classify,
  };
}
