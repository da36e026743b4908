import { describe, expect, it } from 'vitest';
import {
  classBalanceOption,
  correlationOption,
  featureScoresOption,
  segmentsOption,
  seriesOption,
} from './prepare-charts';

type Series = { name?: string; data: unknown[] }[];

describe('Prepare chart options', () => {
  it('draws segments largest on top with translated names', () => {
    const option = segmentsOption(
      [
        { segment: 'Champions', customers: 30, revenue: 900 },
        { segment: 'Lost', customers: 10, revenue: 50 },
      ],
      { customers: 'Customers', segment: (s) => `«${s}»` },
    );
    expect((option.yAxis as { data: string[] }).data).toEqual(['«Lost»', '«Champions»']);
    expect((option.series as Series)[0]!.data).toEqual([10, 30]);
  });

  it('puts each group on its own line and fills missing periods with gaps', () => {
    const option = seriesOption(
      [
        { period: '2024-01-01', series: 'A', value: 1 },
        { period: '2024-01-08', series: 'A', value: 2 },
        { period: '2024-01-08', series: 'B', value: 5 },
      ],
      { value: 'Revenue', total: 'All' },
    );
    expect((option.xAxis as { data: string[] }).data).toEqual(['2024-01-01', '2024-01-08']);
    expect((option.series as Series).map((s) => [s.name, s.data])).toEqual([
      ['A', [1, 2]],
      ['B', [null, 5]],
    ]);
    const single = seriesOption([{ period: '2024-01-01', series: null, value: 3 }], { value: 'v', total: 'All' });
    expect((single.series as Series)[0]!.name).toBe('All');
    expect(single.legend).toBeUndefined();
  });

  it('shows class balance and scores in data order', () => {
    const balance = classBalanceOption(
      { positives: 3, negatives: 7 },
      { positive: '1', negative: '0', customers: 'n' },
    );
    expect((balance.series as Series)[0]!.data.map((d) => (d as { value: number }).value)).toEqual([7, 3]);
    const scores = featureScoresOption(
      [
        { feature: 'a', score: 9, selected: true },
        { feature: 'b', score: 1, selected: false },
      ],
      { score: 'F' },
    );
    expect((scores.yAxis as { data: string[] }).data).toEqual(['b', 'a']);
  });

  it('lays the correlation matrix out cell by cell', () => {
    const option = correlationOption(
      ['x', 'y'],
      [
        [1, -0.5],
        [-0.5, 1],
      ],
    );
    expect((option.series as Series)[0]!.data).toEqual([
      [0, 0, 1],
      [1, 0, -0.5],
      [0, 1, -0.5],
      [1, 1, 1],
    ]);
  });
});
