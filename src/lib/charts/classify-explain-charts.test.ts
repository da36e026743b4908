import { describe, expect, it } from 'vitest';
import { contributionsOption, partialDependenceOption } from './classify-explain-charts';

type Series = { type: string; name?: string; data: unknown[] }[];
type Axis = { type: string; name?: string; data?: unknown[]; min?: number; max?: number };

describe('Classify explanation chart options', () => {
  it('draws a numeric partial dependence as a line over the grid, labelled, with a padded y range', () => {
    const option = partialDependenceOption(
      { feature: 'recency', kind: 'number', grid: [1, 2, 3], average: [0.2, 0.5, 0.4] },
      { y: 'Mean P(yes)' },
    );
    const series = option.series as Series;
    expect(series[0]!.type).toBe('line');
    expect(series[0]!.data).toEqual([
      [1, 0.2],
      [2, 0.5],
      [3, 0.4],
    ]);
    const x = option.xAxis as Axis;
    const y = option.yAxis as Axis;
    // The x axis spans the grid; the y range is padded out to tenths.
    expect(x).toMatchObject({ type: 'value', name: 'recency', min: 1, max: 3 });
    expect(y.name).toBe('Mean P(yes)');
    expect(y.min).toBeCloseTo(0.1, 12);
    expect(y.max).toBeCloseTo(0.6, 12);
    // A flat curve is not zoomed into: it keeps at least a tenth above and below.
    const flat = partialDependenceOption(
      { feature: 'noise', kind: 'number', grid: [0, 1], average: [0.3001, 0.3002] },
      { y: 'P' },
    );
    expect((flat.yAxis as Axis).min).toBeCloseTo(0.2, 12);
    expect((flat.yAxis as Axis).max).toBeCloseTo(0.4, 12);
  });

  it('draws a categorical partial dependence as bars over the levels, clamped to [0, 1]', () => {
    const option = partialDependenceOption(
      { feature: 'seg', kind: 'category', grid: ['a', 'b'], average: [0.001, 0.999] },
      { y: 'P' },
    );
    expect((option.series as Series)[0]!.type).toBe('bar');
    expect((option.xAxis as Axis).data).toEqual(['a', 'b']);
    expect((option.yAxis as Axis).min).toBe(0);
    expect((option.yAxis as Axis).max).toBe(1);
  });

  it('puts the largest push on top, colours up and down apart and folds the rest into one bar', () => {
    const contributions = [
      { feature: 'a', contribution: 0.1 },
      { feature: 'b', contribution: -0.9 },
      { feature: 'c', contribution: 0.5 },
      { feature: 'd', contribution: 0.05 },
      { feature: 'e', contribution: -0.02 },
    ];
    const option = contributionsOption(contributions, { axis: 'Contribution', other: 'Other' }, 3);
    const y = option.yAxis as Axis;
    // ECharts draws category 0 at the bottom: the largest |contribution| comes last.
    expect(y.data).toEqual(['Other', 'a', 'c', 'b']);
    const data = (option.series as Series)[0]!.data as { value: number; itemStyle: { color: string } }[];
    expect(data.map((d) => d.value)).toEqual([0.03, 0.1, 0.5, -0.9]);
    expect(data[3]!.itemStyle.color).not.toBe(data[2]!.itemStyle.color);
    expect(data[1]!.itemStyle.color).toBe(data[2]!.itemStyle.color);
    const all = contributionsOption(contributions.slice(0, 2), { axis: 'C', other: 'O' });
    expect((all.yAxis as Axis).data).toEqual(['a', 'b']);
  });
});
