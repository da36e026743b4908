import type { Frame, Locator, Page } from 'playwright-core';

/** `{ code, message, params? }` of a failed call (docs/embed-api.md, "Errors"). */
export interface EmbedError {
  code: string;
  message: string;
  params?: Record<string, unknown>;
  line?: number;
  column?: string | number;
}

/** A reply of the app to one call. */
export interface EmbedReply {
  shopsight: 1;
  id: string | number | null;
  ok: boolean;
  result?: unknown;
  error?: EmbedError;
}

/** The `ready` event. */
export interface ReadyEvent {
  shopsight: 1;
  event: 'ready';
  version: string;
  methods: string[];
}

/** One progress event of a call, as the host page recorded it. */
export interface EmbedProgress {
  phase: string;
  done: number;
  total: number;
  detail?: string;
  /** Received before (or with) the call's reply. */
  beforeReply: boolean;
}

/** What `window.host.call` resolves with (e2e/fixtures/embed/host.js). */
export interface CallOutcome {
  id: string | number;
  /** null: no reply within the time-out. */
  reply: EmbedReply | null;
  progress: EmbedProgress[];
  /** For ArrayBuffer data: its byteLength in the host after posting (0 once transferred). */
  byteLengthAfterPost: number | null;
}

/** A message the host window received. */
export interface HostMessage {
  at: number;
  origin: string;
  /** `event.source === frame.contentWindow` */
  fromApp: boolean;
  data: unknown;
}

/** A column as `loadTable` and `listTables` describe it. */
export interface EmbedColumn {
  name: string;
  type: string;
  role: string;
}

/** A table as `loadTable` (with `warnings`) and `listTables` describe it. */
export interface EmbedTable {
  name: string;
  rows: number;
  columns: EmbedColumn[];
  warnings?: { code: string; message: string }[];
}

/** Options of a call. */
export interface CallOptions {
  id?: string | number;
  /** Resolve with `reply: null` after this long (default 60 s). */
  timeoutMs?: number;
  /** Transfer `params.data` when it is an ArrayBuffer. */
  transfer?: boolean;
}

/** `window.host` of host.js, as seen from page.evaluate. */
interface HostApi {
  appUrl: string;
  appOrigin: string;
  received: HostMessage[];
  post(message: unknown): void;
  call(method: string, params?: Record<string, unknown>, options?: CallOptions): Promise<CallOutcome>;
  loadBytes(
    fileName: string,
    text: string,
    extra?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<CallOutcome>;
  ordersCsv(rows: number): string;
  readyEvents(): HostMessage[];
  waitReady(timeoutMs?: number): Promise<ReadyEvent | null>;
}

/** How {@link EmbedHostPage.open} frames the app. */
export interface HostOpenOptions {
  /** The app's `allow=` value: default the host's own origin; null leaves `allow` out. */
  allow?: string | null;
  /** The app's `embed=` value (default "1"). */
  embed?: string;
  /** Frame size in CSS pixels (default: full width × 600). */
  width?: number;
  height?: number;
  /** A URL framed next to the app (a sibling frame of the app). */
  sibling?: string;
}

const DEFAULT_TIMEOUT = 60_000;

/** `window` of the host page (in page.evaluate callbacks, which cannot use closures). */
type HostWindow = Window & { host: HostApi };

/**
 * A host page (e2e/fixtures/embed/host.html, served by e2e/support/host-server.ts) with
 * the app in `#app-frame`, driven through the embed API with `window.host`.
 */
export class EmbedHostPage {
  readonly page: Page;
  /** The host server's base URL, e.g. "http://127.0.0.1:41235/". */
  readonly hostBase: string;
  /** The app's base URL. */
  readonly appBase: string;

  constructor(page: Page, hostBase: string, appBase: string) {
    this.page = page;
    this.hostBase = hostBase;
    this.appBase = appBase;
  }

  get hostOrigin(): string {
    return new URL(this.hostBase).origin;
  }
  get appOrigin(): string {
    return new URL(this.appBase).origin;
  }
  get frameElement(): Locator {
    return this.page.locator('#app-frame');
  }

  /** The URL of host.html for `options`. */
  url(options: HostOpenOptions = {}): string {
    const url = new URL('host.html', this.hostBase);
    url.searchParams.set('app', this.appBase);
    if (options.allow === null) url.searchParams.set('allow', '-');
    else if (options.allow !== undefined) url.searchParams.set('allow', options.allow);
    if (options.embed !== undefined) url.searchParams.set('embed', options.embed);
    if (options.width !== undefined) url.searchParams.set('width', String(options.width));
    if (options.height !== undefined) url.searchParams.set('height', String(options.height));
    if (options.sibling !== undefined) url.searchParams.set('sibling', options.sibling);
    return url.href;
  }

  /** Opens the host page (which frames the app). */
  async open(options: HostOpenOptions = {}): Promise<void> {
    await this.page.goto(this.url(options), { waitUntil: 'domcontentloaded' });
    await this.page.waitForFunction(() => 'host' in window, undefined, { timeout: 10_000 });
  }

  /**
   * The `ready` event, or null if none arrived within `timeout`. Throws at once, with the
   * app's message, if the app in the frame reports a fatal start-up error instead.
   */
  async waitReady(timeout = DEFAULT_TIMEOUT): Promise<ReadyEvent | null> {
    const ready = this.page.evaluate((ms) => (window as unknown as HostWindow).host.waitReady(ms), timeout);
    const failed = this.appFrame()
      .then((frame) =>
        frame
          .waitForFunction(() => document.documentElement.dataset.state === 'error', undefined, {
            timeout,
            polling: 200,
          })
          .then(() => frame.locator('body').innerText()),
      )
      .then(
        (text) => ({ failed: text }),
        () => null,
      );
    const first = await Promise.race([ready.then((event) => ({ event })), failed]);
    if (first && 'failed' in first) {
      throw new Error(`the app in the frame reported data-state="error": ${first.failed.slice(0, 400)}`);
    }
    return first ? first.event : ready;
  }

  /** The app's frame (cross-origin frames too: Playwright reaches into every frame). */
  async appFrame(): Promise<Frame> {
    const handle = await this.frameElement.elementHandle();
    const frame = await handle?.contentFrame();
    if (!frame) throw new Error('the host page has no app frame');
    return frame;
  }

  /** Waits until the app in the frame has started (`<html data-state="ready">`), whatever the host heard. */
  async waitAppStarted(timeout = DEFAULT_TIMEOUT): Promise<void> {
    const frame = await this.appFrame();
    await frame.waitForFunction(() => document.documentElement.dataset.state === 'ready', undefined, {
      timeout,
      polling: 100,
    });
  }

  /** Sidebar table names inside the app frame (read through the frame, not the API). */
  async appTableNames(): Promise<string[]> {
    const frame = await this.appFrame();
    return frame
      .locator('[data-testid="table-item"]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-table') ?? ''));
  }

  /** Calls `method` and waits for the reply (or the time-out). */
  call(method: string, params: Record<string, unknown> = {}, options: CallOptions = {}): Promise<CallOutcome> {
    return this.page.evaluate(
      ({ method, params, options }) => (window as unknown as HostWindow).host.call(method, params, options),
      { method, params, options },
    );
  }

  /** Calls `method` and returns its result; throws with the error if the call failed. */
  async result<T>(method: string, params: Record<string, unknown> = {}, options: CallOptions = {}): Promise<T> {
    const { reply } = await this.call(method, params, options);
    if (!reply) throw new Error(`${method}: no reply`);
    if (!reply.ok) throw new Error(`${method} failed: ${reply.error?.code} ${reply.error?.message}`);
    return reply.result as T;
  }

  /** `loadTable` with the file as text. */
  loadText(fileName: string, text: string, extra: Record<string, unknown> = {}): Promise<CallOutcome> {
    return this.call('loadTable', { fileName, data: text, ...extra });
  }

  /** `loadTable` with the file as an ArrayBuffer built in the page, transferred unless `transfer: false`. */
  loadBytes(
    fileName: string,
    text: string,
    extra: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<CallOutcome> {
    return this.page.evaluate(
      ({ fileName, text, extra, options }) =>
        (window as unknown as HostWindow).host.loadBytes(fileName, text, extra, options),
      { fileName, text, extra, options },
    );
  }

  /** `loadTable` with an orders CSV of `rows` lines generated in the page, as a transferred ArrayBuffer. */
  loadGeneratedOrders(fileName: string, rows: number): Promise<CallOutcome> {
    return this.page.evaluate(
      ({ fileName, rows }) => {
        const host = (window as unknown as HostWindow).host;
        return host.loadBytes(fileName, host.ordersCsv(rows));
      },
      { fileName, rows },
    );
  }

  /** Posts a raw message to the app frame. */
  post(message: unknown): Promise<void> {
    return this.page.evaluate((m) => (window as unknown as HostWindow).host.post(m), message);
  }

  /** Every message the host window received so far. */
  received(): Promise<HostMessage[]> {
    return this.page.evaluate(() => (window as unknown as HostWindow).host.received);
  }

  /** The messages from the app frame other than `ready` and `resize` events. */
  async callMessages(): Promise<HostMessage[]> {
    const all = await this.received();
    return all.filter((m) => {
      const event = (m.data as { event?: string } | null)?.event;
      return event !== 'ready' && event !== 'resize';
    });
  }

  /** The `ready` events the host received. */
  async readyEvents(): Promise<HostMessage[]> {
    return this.page.evaluate(() => (window as unknown as HostWindow).host.readyEvents());
  }
}

/**
 * The bundled example host, `public/embed-example.html` + `embed-example.js`, on the app's
 * own origin: driven through its UI.
 */
export class EmbedExamplePage {
  readonly page: Page;
  readonly appBase: string;

  constructor(page: Page, appBase: string) {
    this.page = page;
    this.appBase = appBase;
  }

  get url(): string {
    return new URL('embed-example.html', this.appBase).href;
  }
  get status(): Locator {
    return this.page.locator('#status');
  }
  get tableEntries(): Locator {
    return this.page.locator('#tables li');
  }
  get result(): Locator {
    return this.page.locator('#result');
  }
  get logLines(): Locator {
    return this.page.locator('#log > div');
  }
  tableEntry(name: string): Locator {
    return this.tableEntries.filter({ hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ·`) });
  }

  /**
   * Makes the app's `postMessage` calls to this page observable: records the targetOrigin
   * of every message the app frame posts to its parent in `window.__appPosts`. Call before
   * {@link open}. The wrapper is created in the app frame's realm (an init script runs in
   * every frame), so `event.source` stays the app frame.
   */
  async recordAppPosts(): Promise<void> {
    await this.page.addInitScript(() => {
      if (window.parent === window || !new URLSearchParams(location.search).has('embed')) return;
      try {
        const parent = window.parent as Window & { __appPosts?: { targetOrigin: string; kind: string }[] };
        const original = parent.postMessage.bind(parent);
        const posts: { targetOrigin: string; kind: string }[] = [];
        parent.__appPosts = posts;
        parent.postMessage = ((
          message: unknown,
          targetOrigin: string | WindowPostMessageOptions,
          transfer?: Transferable[],
        ) => {
          const data = (message ?? {}) as { event?: string; progress?: unknown; ok?: boolean };
          const kind = data.event ?? (data.progress !== undefined ? 'progress' : 'ok' in data ? 'reply' : 'other');
          const target = typeof targetOrigin === 'string' ? targetOrigin : (targetOrigin?.targetOrigin ?? '/');
          posts.push({ targetOrigin: target, kind });
          if (typeof targetOrigin === 'string') original(message, targetOrigin, transfer);
          else original(message, targetOrigin);
        }) as typeof parent.postMessage;
      } catch {
        // A cross-origin parent cannot be instrumented; nothing is recorded then.
      }
    });
  }

  /** What {@link recordAppPosts} recorded. */
  appPosts(): Promise<{ targetOrigin: string; kind: string }[]> {
    return this.page.evaluate(
      () => (window as unknown as { __appPosts?: { targetOrigin: string; kind: string }[] }).__appPosts ?? [],
    );
  }

  async open(): Promise<void> {
    await this.page.goto(this.url, { waitUntil: 'domcontentloaded' });
  }

  /** Waits for the page's status pill to say ready; returns its text. */
  async waitReady(timeout = DEFAULT_TIMEOUT): Promise<string> {
    await this.page.locator('#status[data-state="ready"]').waitFor({ timeout });
    return (await this.status.innerText()).trim();
  }

  async appFrame(): Promise<Frame> {
    const handle = await this.page.locator('#app-frame').elementHandle();
    const frame = await handle?.contentFrame();
    if (!frame) throw new Error('embed-example.html has no app frame');
    return frame;
  }

  /** Fills the CSV text (and the optional table name) and clicks "Load text". */
  async loadText(csv: string, name = ''): Promise<void> {
    await this.page.locator('#table-name').fill(name);
    await this.page.locator('#csv-text').fill(csv);
    await this.page.locator('#load-text').click();
  }

  /** Fills the SQL and limit, clicks "Run query" and waits for the result panel to change. */
  async runQuery(sql: string, limit?: number): Promise<string> {
    await this.page.locator('#sql').fill(sql);
    if (limit !== undefined) await this.page.locator('#limit').fill(String(limit));
    const before = await this.result.innerText();
    await this.page.locator('#run-query').click();
    await this.page.waitForFunction(
      (previous) => (document.getElementById('result')?.innerText ?? '') !== previous,
      before,
      { timeout: DEFAULT_TIMEOUT },
    );
    return (await this.result.innerText()).trim();
  }

  /** The result table as rows of cell texts (header row first). */
  resultTable(): Promise<string[][]> {
    return this.result
      .locator('tr')
      .evaluateAll((rows) =>
        rows.map((row) => Array.from(row.querySelectorAll('th, td'), (cell) => (cell.textContent ?? '').trim())),
      );
  }

  /** Clicks a button ("Preview", "Profile", "Drop") of a table's entry. */
  async tableAction(table: string, action: 'Preview' | 'Profile' | 'Drop'): Promise<void> {
    await this.tableEntry(table).getByRole('button', { name: action }).click();
  }
}
