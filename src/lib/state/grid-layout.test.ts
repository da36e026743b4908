import { describe, expect, it } from 'vitest';
import { MAX_SCROLL_HEIGHT, ROW_HEIGHT, columnWidth, computeViewport, indexColumnWidth } from './grid-layout';

describe('virtual grid geometry', () => {
  it('renders only a screenful of rows plus overscan', () => {
    const v = computeViewport(1_000_000, 0, 600, 4);
    expect(v.first).toBe(0);
    expect(v.count).toBeLessThanOrEqual(600 / ROW_HEIGHT + 1 + 8);
  });

  it('reaches the last row of a million-row table at the bottom of a capped scroll area', () => {
    const v = computeViewport(1_000_000, MAX_SCROLL_HEIGHT, 600, 4);
    expect(v.spacerHeight).toBe(MAX_SCROLL_HEIGHT);
    expect(v.first + v.count).toBe(1_000_000);
  });

  it('scrolls small tables one row per row height', () => {
    const v = computeViewport(100, ROW_HEIGHT * 10, 300, 0);
    expect(v.first).toBe(10);
    expect(v.offset).toBeCloseTo(0);
  });

  it('regression: shows the whole last row when the viewport is not a multiple of the row height', () => {
    for (const [total, height] of [
      [20_000, 753],
      [1_000_000, 601],
      [37, 415],
    ] as const) {
      const spacer = computeViewport(total, 0, height).spacerHeight;
      const v = computeViewport(total, spacer - height, height);
      // Bottom of the last row, relative to the top of the viewport.
      expect((total - v.first) * ROW_HEIGHT + v.offset).toBeCloseTo(height, 3);
    }
  });

  it('widens the row-number column for large tables', () => {
    expect(indexColumnWidth(20_000)).toBeGreaterThanOrEqual(56);
    expect(indexColumnWidth(1_000_000)).toBeGreaterThan(indexColumnWidth(999));
  });

  it('handles an empty table', () => {
    expect(computeViewport(0, 0, 500).count).toBe(0);
  });

  it('sizes columns by type and header', () => {
    expect(columnWidth('Qty', 'BIGINT')).toBe(110);
    expect(columnWidth('Description', 'VARCHAR')).toBe(180);
    expect(columnWidth('A very long column header name indeed', 'DOUBLE')).toBeGreaterThan(110);
  });
});
