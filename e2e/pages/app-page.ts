import type { Locator, Page, Response } from 'playwright-core';

/** What the app publishes after each load (window.__shopsight.lastLoad). */
export interface LastLoad {
  ms: number;
  rows: number;
  bytes: number;
}

/** The main tabs: a table's data, columns & roles and quality tabs, and the SQL console. */
export type Tab = 'data' | 'columns' | 'quality' | 'prepare' | 'features' | 'select' | 'sql';

/** Values of `[data-testid="encoding-select"]` ('' = detect automatically). */
export type EncodingChoice = '' | 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'windows-1252';

/** Filter operators of the data tab (`[data-testid="filter-op"]` option values). */
export type FilterOp = 'contains' | 'equals' | 'not_equals' | 'gt' | 'gte' | 'lt' | 'lte' | 'is_null' | 'not_null';

/** One notice of the notice area, see {@link AppPage.noticeList}. */
export interface NoticeInfo {
  /** `load-error`, `load-warning`, `supervisor` or `notice` (the app's default). */
  testId: string;
  kind: 'error' | 'warning' | 'info' | 'unknown';
  /** The notice's rendered text (title, message, details) on one line, without the "×" button. */
  text: string;
}

/** What a load did, see {@link AppPage.loadFile}. */
export interface LoadOutcome {
  /** Tables that were not in the sidebar before, in sidebar order. */
  added: string[];
  /** Texts of the `load-error` notices. */
  errors: string[];
  /** Texts of the `load-warning` notices. */
  warnings: string[];
  /** Every notice shown after the load. */
  notices: NoticeInfo[];
}

/** One row of the Columns & roles tab (`[data-testid="column-row"]`). */
export interface ColumnRowInfo {
  name: string;
  /** DuckDB type, e.g. "BIGINT". */
  type: string;
  /** "Recognised as", whitespace collapsed, e.g. "Date · dd.mm.yyyy". */
  kind: string;
  /** The role select's value, e.g. "order_id" or "none". */
  role: string;
}

/** Ids of the bundled samples. */
export type SampleId = 'online-retail' | 'online-shoppers';

/** Outcome of {@link AppPage.runSql}. */
export interface SqlOutcome {
  /** Text of [data-testid="sql-error"], or null when the query succeeded. */
  error: string | null;
}

const DEFAULT_TIMEOUT = 60_000;

/** Escapes a value for use inside a double-quoted CSS attribute selector. */
function cssString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/**
 * Page object for ShopSight, written against the app's test contract:
 * - `<html data-state>` is "ready" once DuckDB is up, "error" after a fatal start-up error;
 * - `[data-testid=…]` hooks for the file input, table list, load errors, progress/cancel,
 *   tabs, grid (rows, cells, row count), quality report, SQL console, language, theme
 *   and samples;
 * - `window.__shopsight.lastLoad = { ms, rows, bytes }` after each load;
 * - while a query runs, the app marks it with `aria-busy="true"` (on the run button or the
 *   results) or disables the run button, so that {@link runSql} knows when it is done.
 */
export class AppPage {
  readonly page: Page;
  readonly baseUrl: string;

  constructor(page: Page, baseUrl: string) {
    this.page = page;
    this.baseUrl = baseUrl;
  }

  /** `[data-testid="<id>"]`. */
  byTestId(id: string): Locator {
    return this.page.locator(`[data-testid="${cssString(id)}"]`);
  }

  get fileInput(): Locator {
    return this.page.locator('input[type=file][data-testid="file-input"]');
  }
  get tableItems(): Locator {
    return this.byTestId('table-item');
  }
  tableItem(name: string): Locator {
    return this.page.locator(`[data-testid="table-item"][data-table="${cssString(name)}"]`);
  }
  get loadError(): Locator {
    return this.byTestId('load-error');
  }
  get progress(): Locator {
    return this.byTestId('progress');
  }
  get cancelButton(): Locator {
    return this.byTestId('cancel');
  }
  tab(tab: Tab): Locator {
    return this.byTestId(`tab-${tab}`);
  }
  /** The visible grid (the data tab and the SQL console each have one; only one shows). */
  get grid(): Locator {
    return this.byTestId('grid').filter({ visible: true }).first();
  }
  get gridRows(): Locator {
    return this.grid.locator('[data-testid="grid-row"]');
  }
  get rowCountLabel(): Locator {
    return this.byTestId('row-count').filter({ visible: true }).first();
  }
  get qualityScore(): Locator {
    return this.byTestId('quality-score');
  }
  get findings(): Locator {
    return this.byTestId('finding');
  }
  get sqlInput(): Locator {
    return this.byTestId('sql-input');
  }
  get sqlRunButton(): Locator {
    return this.byTestId('sql-run');
  }
  get sqlError(): Locator {
    return this.byTestId('sql-error');
  }
  get langSelect(): Locator {
    return this.byTestId('lang-select');
  }
  get themeToggle(): Locator {
    return this.byTestId('theme-toggle');
  }
  sample(id: SampleId): Locator {
    return this.byTestId(`sample-${id}`);
  }

  /**
   * Opens the app; `query` is appended as a search string (e.g. "embed=1" or { embed: '1' }).
   * Returns the main document's response (its headers carry the CSP).
   */
  async goto(query?: string | Record<string, string>): Promise<Response | null> {
    const url = new URL(this.baseUrl);
    if (typeof query === 'string') url.search = query;
    else if (query) url.search = new URLSearchParams(query).toString();
    return this.page.goto(url.href, { waitUntil: 'domcontentloaded' });
  }

  /** `<html data-state>`, or null while the app has not set it. */
  async state(): Promise<string | null> {
    return this.page.evaluate(() => document.documentElement.dataset.state ?? null);
  }

  /**
   * Waits until `<html data-state>` is "ready"; throws (with the page's visible text)
   * if it becomes "error" or the timeout passes.
   */
  async waitReady(timeout = DEFAULT_TIMEOUT): Promise<void> {
    await this.page.waitForFunction(
      () => {
        const state = document.documentElement.dataset.state;
        return state === 'ready' || state === 'error';
      },
      undefined,
      { timeout, polling: 100 },
    );
    if ((await this.state()) === 'error') {
      const text = (await this.page.locator('body').innerText()).slice(0, 500);
      throw new Error(`app reported data-state="error" at start-up: ${text}`);
    }
  }

  /** Puts files on the file input by path (Chromium reads them from disk; no copy). */
  async uploadFiles(paths: readonly string[]): Promise<void> {
    await this.fileInput.setInputFiles([...paths]);
  }

  /** Puts one in-memory file on the file input. */
  async uploadBuffer(name: string, bytes: Uint8Array | string, mimeType = 'application/octet-stream'): Promise<void> {
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
    await this.fileInput.setInputFiles({ name, mimeType, buffer });
  }

  /** Waits for the sidebar entry of table `name`; throws early with the text of a load error. */
  async waitForTable(name: string, timeout = DEFAULT_TIMEOUT): Promise<Locator> {
    const item = this.tableItem(name);
    const error = this.loadError.first();
    await item.or(error).first().waitFor({ state: 'visible', timeout });
    if (!(await item.isVisible()) && (await error.isVisible())) {
      throw new Error(`loading "${name}" failed: ${(await error.innerText()).trim()}`);
    }
    return item;
  }

  /** Waits for a load error and returns its text. */
  async waitForLoadError(timeout = DEFAULT_TIMEOUT): Promise<string> {
    const error = this.loadError.first();
    await error.waitFor({ state: 'visible', timeout });
    return (await error.innerText()).trim();
  }

  /** Names of the tables in the sidebar, in order. */
  async tableNames(): Promise<string[]> {
    return this.tableItems.evaluateAll((items) =>
      items.map((item) => item.getAttribute('data-table') ?? '').filter((name) => name !== ''),
    );
  }

  /** Selects table `name` in the sidebar and waits for its grid on the data tab. */
  async openTable(name: string, timeout = DEFAULT_TIMEOUT): Promise<void> {
    const item = await this.waitForTable(name, timeout);
    await item.click();
    await this.openTab('data');
    await this.grid.waitFor({ state: 'visible', timeout });
  }

  /** Clicks a main tab. */
  async openTab(tab: Tab): Promise<void> {
    await this.tab(tab).click();
  }

  /**
   * Runs `sql` in the SQL console and waits until the query is finished: an error is
   * shown, or no element is `aria-busy="true"`, the run button is enabled and a grid is
   * visible.
   */
  async runSql(sql: string, timeout = DEFAULT_TIMEOUT): Promise<SqlOutcome> {
    if (!(await this.sqlInput.isVisible())) await this.openTab('sql');
    await this.sqlInput.fill(sql);
    await this.sqlRunButton.click();
    await this.page.waitForFunction(
      () => {
        const visible = (el: Element | null): boolean =>
          el instanceof HTMLElement && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
        const error = document.querySelector('[data-testid="sql-error"]');
        if (visible(error) && (error?.textContent ?? '').trim() !== '') return true;
        const run = document.querySelector('[data-testid="sql-run"]');
        const busy =
          document.querySelector('[aria-busy="true"]') !== null || (run instanceof HTMLButtonElement && run.disabled);
        if (busy) return false;
        return Array.from(document.querySelectorAll('[data-testid="grid"]')).some(visible);
      },
      undefined,
      { timeout, polling: 50 },
    );
    const error = this.sqlError.filter({ visible: true }).first();
    return { error: (await error.count()) > 0 ? (await error.innerText()).trim() : null };
  }

  /** Texts of the visible grid's cells, row by row (only rendered rows if the grid virtualises). */
  async gridCellTexts(): Promise<string[][]> {
    return this.gridRows.evaluateAll((rows) =>
      rows.map((row) =>
        Array.from(row.querySelectorAll('[data-testid="grid-cell"]'), (cell) => (cell.textContent ?? '').trim()),
      ),
    );
  }

  /**
   * The rows the visible grid shows (after filters): the first number of
   * `[data-testid="row-count"]` ("369 of 20,000 rows" → 369, "3 / 3 行" → 3).
   */
  async rowCount(): Promise<number> {
    return (await this.rowCounts()).shown;
  }

  /**
   * Both numbers of the visible `[data-testid="row-count"]`: `{ shown, total }`
   * ("369 of 20,000 rows" → { shown: 369, total: 20000 }). Waits while it says "Loading rows…".
   */
  async rowCounts(timeout = DEFAULT_TIMEOUT): Promise<{ shown: number; total: number }> {
    const label = this.rowCountLabel;
    await label.filter({ hasText: /\d/ }).waitFor({ state: 'visible', timeout });
    const text = await label.innerText();
    const numbers = (text.match(/\d[\d,]*/g) ?? []).map((n) => Number(n.replace(/,/g, '')));
    if (numbers.length < 2) throw new Error(`row-count does not read "<shown> of <total>": "${text}"`);
    return { shown: numbers[0]!, total: numbers[1]! };
  }

  /**
   * Cell texts of the visible grid once its first `rows` rows are rendered with data (the grid
   * shows empty skeleton cells while a page of rows is on its way).
   */
  async waitForGridRows(rows: number, timeout = DEFAULT_TIMEOUT): Promise<string[][]> {
    await this.page.waitForFunction(
      (n) => {
        const grid = Array.from(document.querySelectorAll('[data-testid="grid"]')).find(
          (g) => g instanceof HTMLElement && g.getClientRects().length > 0,
        );
        if (!grid) return false;
        const rendered = Array.from(grid.querySelectorAll('[data-testid="grid-row"]')).slice(0, n);
        return rendered.length >= n && rendered.every((row) => row.querySelector('.skeleton') === null);
      },
      rows,
      { timeout, polling: 50 },
    );
    return (await this.gridCellTexts()).slice(0, rows);
  }

  /** Column names in the visible grid's header, in order (without the row-number column). */
  async gridColumnNames(): Promise<string[]> {
    return this.grid
      .locator('[role="columnheader"] .col-name')
      .evaluateAll((els) => els.map((el) => el.textContent ?? ''));
  }

  /** Column types in the visible grid's header, in order, as shown (e.g. "BIGINT"). */
  async gridColumnTypes(): Promise<string[]> {
    return this.grid
      .locator('[role="columnheader"] .type')
      .evaluateAll((els) => els.map((el) => (el.textContent ?? '').trim()));
  }

  /** Clicks the sort button in the header of `column` (none → ascending → descending → none). */
  async clickSort(column: string): Promise<void> {
    await this.grid
      .locator('[role="columnheader"]')
      .filter({ has: this.page.getByText(column, { exact: true }) })
      .locator('button.sort')
      .click();
  }

  /** `aria-sort` of the visible grid's header of `column`. */
  async sortState(column: string): Promise<string | null> {
    return this.grid
      .locator('[role="columnheader"]')
      .filter({ has: this.page.getByText(column, { exact: true }) })
      .getAttribute('aria-sort');
  }

  /** Adds a filter on the data tab (column, operator, value) and waits for the new row count. */
  async addFilter(column: string, op: FilterOp, value = ''): Promise<void> {
    await this.byTestId('filter-column').selectOption(column);
    await this.byTestId('filter-op').selectOption(op);
    if (op !== 'is_null' && op !== 'not_null') await this.byTestId('filter-value').fill(value);
    await this.byTestId('filter-add').click();
  }

  /** The line under a table's title: "<rows> rows · <columns> · <file> › <sheet> · <encoding>". */
  async tableMeta(): Promise<string> {
    return (await this.page.locator('.table-view .title-row .meta').innerText()).replace(/\s+/g, ' ').trim();
  }

  /** Rows of the Columns & roles tab (opens it). */
  async columnRows(): Promise<ColumnRowInfo[]> {
    await this.openTab('columns');
    const rows = this.byTestId('column-row');
    await rows.first().waitFor({ state: 'visible' });
    return rows.evaluateAll((els) =>
      els.map((row) => {
        const cells = row.children;
        const text = (i: number) => (cells[i]?.textContent ?? '').replace(/\s+/g, ' ').trim();
        const select = row.querySelector('select');
        return {
          name: row.getAttribute('data-column') ?? text(0),
          type: text(1),
          kind: text(2).replace(/\s*·\s*/g, ' · '),
          role: select instanceof HTMLSelectElement ? select.value : '',
        };
      }),
    );
  }

  /** Picks the text encoding used for the next loads ('' = detect automatically). */
  async setEncoding(encoding: EncodingChoice): Promise<void> {
    await this.byTestId('encoding-select').selectOption(encoding);
  }

  /** The notices currently shown (errors, warnings, info), top to bottom. */
  async noticeList(): Promise<NoticeInfo[]> {
    return this.page.locator('.notices .notice').evaluateAll((els) =>
      els.map((el) => {
        const kind = (['error', 'warning', 'info'] as const).find((k) => el.classList.contains(k)) ?? 'unknown';
        const body = el.querySelector('.text');
        const text = (body instanceof HTMLElement ? body.innerText : (el.textContent ?? ''))
          .replace(/\s+/g, ' ')
          .trim();
        return { testId: el.getAttribute('data-testid') ?? '', kind, text };
      }),
    );
  }

  /** Closes every notice with its × button. */
  async dismissNotices(): Promise<void> {
    const buttons = this.page.locator('.notices .notice > button');
    while ((await buttons.count()) > 0) await buttons.first().click();
  }

  /** Waits until no load is in progress (no `[data-testid="progress"]`). */
  async waitIdle(timeout = DEFAULT_TIMEOUT): Promise<void> {
    await this.page.waitForFunction(() => document.querySelector('[data-testid="progress"]') === null, undefined, {
      timeout,
      polling: 50,
    });
  }

  /**
   * Dismisses all notices, puts one file on the real file input (in memory, or a path on disk)
   * and waits until the load has finished: no progress bar, and a new table or a notice. Returns
   * the new tables and the notices the load produced.
   */
  async loadFile(
    file: { name: string; bytes: Uint8Array | string; mimeType?: string } | { path: string },
    timeout = DEFAULT_TIMEOUT,
  ): Promise<LoadOutcome> {
    await this.dismissNotices();
    const before = await this.tableNames();
    if ('path' in file) await this.uploadFiles([file.path]);
    else await this.uploadBuffer(file.name, file.bytes, file.mimeType ?? 'application/octet-stream');
    await this.page.waitForFunction(
      (count) =>
        document.querySelector('[data-testid="progress"]') === null &&
        (document.querySelectorAll('.notices .notice').length > 0 ||
          document.querySelectorAll('[data-testid="table-item"]').length > count),
      before.length,
      { timeout, polling: 50 },
    );
    const after = await this.tableNames();
    const notices = await this.noticeList();
    return {
      added: after.filter((name) => !before.includes(name)),
      errors: notices.filter((n) => n.testId === 'load-error').map((n) => n.text),
      warnings: notices.filter((n) => n.testId === 'load-warning').map((n) => n.text),
      notices,
    };
  }

  /**
   * Opens the quality tab and waits for the report: the score is shown and
   * `[data-testid="quality-run"]` is enabled again (the app profiles a table by itself the first
   * time its quality tab opens; "Check again" is only clicked if no report ever starts).
   */
  async openQuality(timeout = DEFAULT_TIMEOUT): Promise<void> {
    await this.openTab('quality');
    const run = this.byTestId('quality-run');
    const idleRun = this.page.locator('[data-testid="quality-run"]:not([disabled])');
    const busyRun = this.page.locator('[data-testid="quality-run"][disabled]');
    try {
      await this.qualityScore.or(busyRun).first().waitFor({ timeout: 5_000 });
    } catch {
      if (!(await this.qualityScore.isVisible())) await run.click();
    }
    await this.qualityScore.waitFor({ state: 'visible', timeout });
    await idleRun.waitFor({ state: 'visible', timeout });
  }

  /** Text of the quality score. */
  async qualityScoreText(): Promise<string> {
    return (await this.qualityScore.innerText()).trim();
  }

  /** Switches the UI language. */
  async setLanguage(lang: 'en' | 'zh-CN'): Promise<void> {
    await this.langSelect.selectOption(lang);
  }

  /** Clicks the theme toggle. */
  async toggleTheme(): Promise<void> {
    await this.themeToggle.click();
  }

  /** Clicks a sample button. */
  async loadSample(id: SampleId): Promise<void> {
    await this.sample(id).click();
  }

  /** `window.__shopsight.lastLoad`, or null before the first load. */
  async lastLoad(): Promise<LastLoad | null> {
    return this.page.evaluate(() => {
      const hook = (window as unknown as { __shopsight?: { lastLoad?: LastLoad } }).__shopsight;
      return hook?.lastLoad ?? null;
    });
  }
}
