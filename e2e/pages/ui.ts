import type { Dialog, Frame, Locator, Page } from 'playwright-core';
import type { AppPage } from './app-page';

/** Escapes a value for use inside a double-quoted CSS attribute selector. */
function cssString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** The main tabs of a table, including "Columns & roles" (AppPage's `Tab` has three). */
export type TableTab = 'data' | 'columns' | 'quality';

/** Filter operators of the data tab (`[data-testid=filter-op]` option values). */
export type FilterOp = 'contains' | 'equals' | 'not_equals' | 'gt' | 'gte' | 'lt' | 'lte' | 'is_null' | 'not_null';

/**
 * The parts of the app's UI that AppPage (owned by the privacy/formats specs) does not
 * cover: tab labels, columns & roles, grid sorting/filtering/scrolling, the sidebar's
 * remove button, notices. Wraps an AppPage.
 */
export class UiPage {
  readonly app: AppPage;

  constructor(app: AppPage) {
    this.app = app;
  }

  get page(): Page {
    return this.app.page;
  }

  tableTab(tab: TableTab): Locator {
    return this.app.byTestId(`tab-${tab}`);
  }

  /** Texts of the table tabs (data, columns, quality), in order. */
  async tableTabLabels(): Promise<string[]> {
    return this.page.locator('[role="tablist"] [role="tab"]').allInnerTexts();
  }

  /**
   * Opens the quality tab and waits for the report the app computes on its own (unlike
   * AppPage.openQuality, never clicks "Check again" while that first run is going).
   */
  async openQualityReport(timeout = 60_000): Promise<void> {
    await this.tableTab('quality').click();
    await this.app.qualityScore.waitFor({ timeout });
    await this.page.locator('[data-testid="quality-run"]:not([disabled])').waitFor({ timeout });
  }

  async openTableTab(tab: TableTab): Promise<void> {
    await this.tableTab(tab).click();
    await this.page.locator(`[data-testid="tab-${tab}"][aria-selected="true"]`).waitFor();
  }

  // --- columns & roles ---------------------------------------------------------------------

  columnRow(column: string): Locator {
    return this.page.locator(`[data-testid="column-row"][data-column="${cssString(column)}"]`);
  }
  roleSelect(column: string): Locator {
    return this.columnRow(column).locator('[data-testid="role-select"]');
  }

  /** The role value (`order_id`, …, `none`) of a column on the Columns & roles tab. */
  roleOf(column: string): Promise<string> {
    return this.roleSelect(column).inputValue();
  }

  /** The visible label of a column's role ("Order ID", "—", …). */
  roleLabelOf(column: string): Promise<string> {
    return this.roleSelect(column).evaluate((select) => {
      const s = select as HTMLSelectElement;
      return (s.selectedOptions[0]?.textContent ?? '').trim();
    });
  }

  /** Every column's role, `{ column: role }`, in table order. */
  async roles(): Promise<Record<string, string>> {
    return this.page
      .locator('[data-testid="column-row"]')
      .evaluateAll((rows) =>
        Object.fromEntries(
          rows.map((row) => [
            row.getAttribute('data-column') ?? '',
            (row.querySelector('[data-testid="role-select"]') as HTMLSelectElement | null)?.value ?? '',
          ]),
        ),
      );
  }

  /** Picks a role and waits until the app shows it (the change goes through the worker). */
  async setRole(column: string, role: string): Promise<void> {
    await this.roleSelect(column).selectOption(role);
    await this.page.waitForFunction(
      ({ column, role }) => {
        const row = Array.from(document.querySelectorAll('[data-testid="column-row"]')).find(
          (r) => r.getAttribute('data-column') === column,
        );
        const select = row?.querySelector('[data-testid="role-select"]') as HTMLSelectElement | null;
        return select?.value === role && row?.querySelector('.by-user') !== null;
      },
      { column, role },
      { timeout: 30_000 },
    );
  }

  // --- grid ----------------------------------------------------------------------------------

  /** The sort button in the visible grid's header for `column`. */
  sortButton(column: string): Locator {
    return this.app.grid
      .locator('[role="columnheader"]', {
        has: this.page.locator('.col-name', {
          hasText: new RegExp(`^${column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
        }),
      })
      .locator('button.sort');
  }

  /** `aria-sort` of a column's header. */
  sortStateOf(column: string): Promise<string | null> {
    return this.sortButton(column).locator('xpath=..').getAttribute('aria-sort');
  }

  /** Column names of the visible grid's header. */
  gridColumns(): Promise<string[]> {
    return this.app.grid.locator('[role="columnheader"] .col-name').allInnerTexts();
  }

  /** Cells of the first rendered grid row once loaded (not a skeleton). */
  async firstRowCells(): Promise<string[]> {
    await this.waitRowLoaded(1);
    return this.rowCells(1);
  }

  /** Cell texts of row number `n` (1-based, as the index column shows it), if rendered. */
  rowCells(n: number): Promise<string[]> {
    return this.app.grid
      .locator(`[data-testid="grid-row"][aria-rowindex="${n + 1}"] [data-testid="grid-cell"]`)
      .evaluateAll((cells) => cells.map((c) => (c.textContent ?? '').trim()));
  }

  /** Waits until row `n` (1-based) is rendered with data (no skeleton cells). */
  async waitRowLoaded(n: number, timeout = 30_000): Promise<void> {
    const row = this.app.grid.locator(`[data-testid="grid-row"][aria-rowindex="${n + 1}"]`);
    await row.waitFor({ timeout });
    await row.locator('.skeleton').first().waitFor({ state: 'detached', timeout });
  }

  /** Row numbers shown in the index column of the rendered rows. */
  renderedRowNumbers(): Promise<number[]> {
    return this.app.grid
      .locator('[data-testid="grid-row"] [role="rowheader"]')
      .evaluateAll((cells) => cells.map((c) => Number((c.textContent ?? '').replace(/[^\d]/g, ''))));
  }

  /** Clicks a column header's sort button and waits for the first row to reload. */
  async sortBy(column: string, expected: 'ascending' | 'descending'): Promise<void> {
    await this.sortButton(column).click();
    await this.page.waitForFunction(
      ({ column, expected }) =>
        Array.from(document.querySelectorAll('[data-testid="grid"] [role="columnheader"]')).some(
          (h) => h.querySelector('.col-name')?.textContent === column && h.getAttribute('aria-sort') === expected,
        ),
      { column, expected },
    );
  }

  /** Adds a filter with the filter bar and waits for the row count to change. */
  async addFilter(column: string, op: FilterOp, value?: string): Promise<void> {
    const before = await this.app.rowCountLabel.innerText();
    await this.app.byTestId('filter-column').selectOption(column);
    await this.app.byTestId('filter-op').selectOption(op);
    if (value !== undefined) await this.app.byTestId('filter-value').fill(value);
    await this.app.byTestId('filter-add').click();
    await this.page.waitForFunction(
      (previous) => {
        const label = document.querySelector('[data-testid="row-count"]')?.textContent ?? '';
        return label !== previous && /\d/.test(label);
      },
      before,
      { timeout: 30_000 },
    );
  }

  /** Scrolls the visible grid to its very end. */
  async scrollGridToBottom(): Promise<void> {
    await this.app.grid.evaluate((grid) => {
      grid.scrollTop = grid.scrollHeight;
      grid.dispatchEvent(new Event('scroll'));
    });
  }

  // --- sidebar -------------------------------------------------------------------------------

  removeButton(table: string): Locator {
    return this.app.tableItem(table).locator('button.remove');
  }

  /** Clicks a table's remove button and accepts (or dismisses) the confirm dialog; returns its message. */
  async removeTable(table: string, accept = true): Promise<string> {
    // confirm() blocks the page until answered: answer it from the handler, not after the click.
    const message = new Promise<string>((resolve, reject) => {
      this.page.once('dialog', (dialog: Dialog) => {
        const text = dialog.message();
        (accept ? dialog.accept() : dialog.dismiss()).then(() => resolve(text), reject);
      });
    });
    await this.removeButton(table).click();
    return message;
  }

  // --- notices -------------------------------------------------------------------------------

  /** Titles of notices with `data-testid=testId`. */
  noticeTitles(testId: string): Promise<string[]> {
    return this.app.byTestId(testId).locator('strong').allInnerTexts();
  }
}

/** What {@link layoutReport} measured in a document (page or frame). */
export interface LayoutReport {
  innerWidth: number;
  innerHeight: number;
  scrollWidth: number;
  /**
   * Controls (by selector) that are missing, hidden, not fully inside the viewport
   * horizontally, or not on screen (less than min(height, 24 px) of them shown after
   * clipping by the viewport and scrolling ancestors), each with the reason.
   */
  controlsOutside: string[];
  /** Header controls not fully inside the viewport (they must never need scrolling). */
  headerOutside: string[];
  /** Pairs of header text runs whose boxes overlap, "a ⟷ b". */
  headerTextOverlaps: string[];
  /** Whether the brand and the tools boxes overlap. */
  brandToolsOverlap: boolean;
}

/**
 * Measures layout sanity in the app's document: horizontal overflow, where `controls`
 * (CSS selectors) are, and whether any two text runs in the header overlap.
 */
export async function layoutReport(target: Page | Frame, controls: readonly string[]): Promise<LayoutReport> {
  return target.evaluate((selectors) => {
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const inside = (r: DOMRect, vertical: boolean) =>
      r.width > 0 &&
      r.height > 0 &&
      r.left >= -0.5 &&
      r.right <= vw + 0.5 &&
      (!vertical || (r.top >= -0.5 && r.bottom <= vh + 0.5));
    const visible = (el: Element) => {
      const style = getComputedStyle(el);
      return style.visibility !== 'hidden' && style.display !== 'none' && el.getClientRects().length > 0;
    };
    /** The part of `el` not clipped away by the viewport or a scrolling/clipping ancestor. */
    const shownBox = (el: Element) => {
      const r = el.getBoundingClientRect();
      let left = Math.max(r.left, 0);
      let top = Math.max(r.top, 0);
      let right = Math.min(r.right, vw);
      let bottom = Math.min(r.bottom, vh);
      for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
        const ar = a.getBoundingClientRect();
        left = Math.max(left, ar.left);
        top = Math.max(top, ar.top);
        right = Math.min(right, ar.right);
        bottom = Math.min(bottom, ar.bottom);
      }
      return { width: Math.max(0, right - left), height: Math.max(0, bottom - top) };
    };
    const controlsOutside: string[] = [];
    for (const selector of selectors) {
      const el = document.querySelector(selector);
      if (!el) {
        controlsOutside.push(`${selector} missing`);
        continue;
      }
      if (!visible(el)) {
        controlsOutside.push(`${selector} hidden`);
        continue;
      }
      const r = el.getBoundingClientRect();
      if (!inside(r, false)) {
        controlsOutside.push(
          `${selector} outside horizontally (${Math.round(r.left)}–${Math.round(r.right)} of ${vw})`,
        );
        continue;
      }
      // On screen: all of it, or at least its first 24 px for something taller or wider.
      const shown = shownBox(el);
      if (shown.height < Math.min(r.height, 24) - 0.5 || shown.width < Math.min(r.width, 24) - 0.5) {
        controlsOutside.push(
          `${selector} not on screen (${Math.round(shown.width)}×${Math.round(shown.height)} of ${Math.round(r.width)}×${Math.round(r.height)} px shown)`,
        );
      }
    }
    const header = document.querySelector('header');
    const headerOutside = header
      ? Array.from(header.querySelectorAll('h1, select, button'))
          .filter((el) => visible(el) && !inside(el.getBoundingClientRect(), true))
          .map(
            (el) =>
              `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''}`,
          )
      : ['header missing'];

    // Every rendered line box of every text node in the header.
    const runs: { label: string; rect: DOMRect }[] = [];
    if (header) {
      const walker = document.createTreeWalker(header, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = (node.textContent ?? '').trim();
        const parent = node.parentElement;
        if (!text || !parent || !visible(parent) || parent.closest('select')) continue;
        // Visually hidden labels (1 × 1 px, clipped) are for screen readers only.
        const box = parent.getBoundingClientRect();
        if (box.width <= 1 || box.height <= 1) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const rect of Array.from(range.getClientRects())) {
          if (rect.width > 0 && rect.height > 0) runs.push({ label: text.slice(0, 30), rect });
        }
      }
      for (const select of Array.from(header.querySelectorAll('select'))) {
        if (visible(select)) runs.push({ label: `select:${select.value}`, rect: select.getBoundingClientRect() });
      }
    }
    const overlap = (a: DOMRect, b: DOMRect) =>
      Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
      Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
    const headerTextOverlaps: string[] = [];
    for (let i = 0; i < runs.length; i++) {
      for (let j = i + 1; j < runs.length; j++) {
        const a = runs[i];
        const b = runs[j];
        if (a && b && overlap(a.rect, b.rect)) headerTextOverlaps.push(`${a.label} ⟷ ${b.label}`);
      }
    }
    const brand = header?.querySelector('.brand')?.getBoundingClientRect();
    const tools = header?.querySelector('.tools')?.getBoundingClientRect();
    return {
      innerWidth: vw,
      innerHeight: vh,
      scrollWidth: document.documentElement.scrollWidth,
      controlsOutside,
      headerOutside,
      headerTextOverlaps,
      brandToolsOverlap: brand && tools ? overlap(brand, tools) : true,
    };
  }, controls);
}

/**
 * How far the element's content sticks out sideways (scrollWidth − clientWidth, px). After a
 * viewport change, poll it: the charts resize on a ResizeObserver callback, not at once.
 */
export function horizontalOverflow(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const element = document.querySelector(sel);
    if (!element) throw new Error(`no element ${sel}`);
    return element.scrollWidth - element.clientWidth;
  }, selector);
}
