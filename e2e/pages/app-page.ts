import type { Locator, Page } from 'playwright-core';

/** What the app publishes after each load (window.__shopsight.lastLoad). */
export interface LastLoad {
  ms: number;
  rows: number;
  bytes: number;
}

/** The three main tabs. */
export type Tab = 'data' | 'quality' | 'sql';

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

  /** Opens the app; `query` is appended as a search string (e.g. "embed=1" or { embed: '1' }). */
  async goto(query?: string | Record<string, string>): Promise<void> {
    const url = new URL(this.baseUrl);
    if (typeof query === 'string') url.search = query;
    else if (query) url.search = new URLSearchParams(query).toString();
    await this.page.goto(url.href, { waitUntil: 'domcontentloaded' });
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

  /** The number in the visible `[data-testid="row-count"]`, digits only ("1,234 rows" → 1234). */
  async rowCount(): Promise<number> {
    const text = await this.rowCountLabel.innerText();
    const digits = text.replace(/[^\d]/g, '');
    if (digits === '') throw new Error(`row-count has no number: "${text}"`);
    return Number(digits);
  }

  /**
   * Opens the quality tab and waits for the score; clicks `[data-testid="quality-run"]`
   * first if the app shows one and there is no score yet.
   */
  async openQuality(timeout = DEFAULT_TIMEOUT): Promise<void> {
    await this.openTab('quality');
    const run = this.byTestId('quality-run');
    if ((await run.isVisible()) && !(await this.qualityScore.isVisible())) await run.click();
    await this.qualityScore.waitFor({ state: 'visible', timeout });
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
