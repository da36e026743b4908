/**
 * Pure geometry of the virtualised grid: which rows are visible for a scroll position, and
 * how wide each column is. Tall tables are scaled so the scroll area stays under the height
 * browsers can lay out (~33 million px in Chromium), which a million rows × 30 px would reach.
 */
export const ROW_HEIGHT = 30;
export const MAX_SCROLL_HEIGHT = 8_000_000;

export interface Viewport {
  /** Height of the scroll spacer in px. */
  spacerHeight: number;
  /** Index of the first rendered row. */
  first: number;
  /** Number of rows to render. */
  count: number;
  /** Vertical offset (px, ≤ 0) of the first rendered row relative to the top of the viewport. */
  offset: number;
}

export function computeViewport(total: number, scrollTop: number, viewportHeight: number, overscan = 4): Viewport {
  const rows = Math.max(0, total);
  const visible = Math.ceil(viewportHeight / ROW_HEIGHT) + 1;
  const naturalHeight = rows * ROW_HEIGHT;
  const spacerHeight = Math.min(naturalHeight, MAX_SCROLL_HEIGHT);
  const maxScroll = Math.max(0, spacerHeight - viewportHeight);
  // Position as a fraction of the scrollable range, mapped to a fractional row index in
  // natural pixels, so the bottom of the scroll shows the whole last row (regression: it
  // was cut off when the viewport height was not a multiple of the row height).
  const maxOffset = Math.max(0, naturalHeight - viewportHeight);
  const exact = maxScroll > 0 ? ((Math.min(scrollTop, maxScroll) / maxScroll) * maxOffset) / ROW_HEIGHT : 0;
  const firstVisible = Math.floor(exact);
  const first = Math.max(0, firstVisible - overscan);
  const count = Math.max(0, Math.min(rows - first, visible + 2 * overscan));
  const offset = -((exact - first) * ROW_HEIGHT);
  return { spacerHeight, first, count, offset };
}

/** Width of the row-number column: wide enough for the largest row number. */
export function indexColumnWidth(total: number): number {
  return Math.max(56, String(Math.max(1, total)).length * 8 + 24);
}

/** Column width from its name and type: numbers narrow, text wide, never below the header. */
export function columnWidth(name: string, type: string): number {
  const t = type.toUpperCase();
  let base = 180;
  if (/INT|DOUBLE|FLOAT|DECIMAL|REAL|NUMERIC|BIGINT|SMALLINT/.test(t)) base = 110;
  else if (/TIMESTAMP|DATETIME/.test(t)) base = 170;
  else if (/DATE/.test(t)) base = 110;
  else if (/BOOL/.test(t)) base = 80;
  // Header text: the name (CJK glyphs are about twice as wide), the sort arrow, and the
  // lower-case type label beside it.
  const nameWidth = [...name].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 14 : 8.5), 0);
  const header = nameWidth + Math.min(type.length, 12) * 6 + 44;
  return Math.min(360, Math.max(base, header));
}

export function isNumericType(type: string): boolean {
  return /INT|DOUBLE|FLOAT|DECIMAL|REAL|NUMERIC/i.test(type);
}
