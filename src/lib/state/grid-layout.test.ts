import { describe, expect, it } from 'vitest';
import { MAX_SCROLL_HEIGHT, ROW_HEIGHT, columnWidth, computeViewport } from './grid-layout';

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

  it('handles an empty table', () => {
    expect(computeViewport(0, 0, 500).count).toBe(0);
  });

  it('sizes columns by type and header', () => {
    expect(columnWidth('Qty', 'BIGINT')).toBe(110);
    expect(columnWidth('Description', 'VARCHAR')).toBe(180);
    expect(columnWidth('A very long column header name indeed', 'DOUBLE')).toBeGreaterThan(110);
  });
});
