import { describe, expect, it } from 'vitest';
import type { ColumnProfile } from '../contracts/data-api';
import { histogramOption, topValuesOption } from './profile-charts';

const base: ColumnProfile = {
  name: 'Quantity',
  type: 'BIGINT',
  kind: 'integer',
  role: 'quantity',
  missing: 0,
  missingShare: 0,
  distinct: 3,
  typeProblems: 0,
};

describe('profile chart options', () => {
  it('builds a histogram with one bar per bin', () => {
    const option = histogramOption(
      {
        ...base,
        histogram: [
          { lo: 0, hi: 10, count: 5 },
          { lo: 10, hi: 20, count: 2 },
        ],
      },
      'Count',
    ) as {
      series: { data: number[] }[];
      xAxis: { data: string[] };
    };
    expect(option.series[0]?.data).toEqual([5, 2]);
    expect(option.xAxis.data).toEqual(['0 – 10', '10 – 20']);
  });

  it('puts the most common value on top of the bar chart', () => {
    const option = topValuesOption(
      {
        ...base,
        topValues: [
          { value: 'UK', count: 9 },
          { value: 'FR', count: 1 },
        ],
      },
      'Count',
    ) as {
      yAxis: { data: string[] };
    };
    expect(option.yAxis.data).toEqual(['FR', 'UK']);
  });

  it('draws no bars for values that never repeat (ids)', () => {
    expect(
      topValuesOption(
        {
          ...base,
          topValues: [
            { value: 'A1', count: 1 },
            { value: 'A2', count: 1 },
          ],
        },
        'Count',
      ),
    ).toBeNull();
  });

  it('returns null when there is nothing to draw', () => {
    expect(histogramOption(base, 'Count')).toBeNull();
    expect(topValuesOption(base, 'Count')).toBeNull();
  });
});
