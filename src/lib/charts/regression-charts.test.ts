/** The regression chart builders: the data they draw, the reference lines, labels and down-sampling. */
import { describe, expect, it } from 'vitest';
import { predictedActualOption, residualsOption, sampleRows } from './regression-charts';

type Series = { type: string; name: string; data: number[][] };
const seriesOf = (o: Record<string, unknown>) => o.series as Series[];

describe('regression charts', () => {
  const actual = [1, 2, 3, 10];
  const predicted = [1.5, 2, 2.5, 8];

  it('plots predicted against actual with the diagonal spanning both', () => {
    const o = predictedActualOption(actual, predicted, {
      actual: 'Actual',
      predicted: 'Predicted',
      model: 'Model',
      perfect: 'Perfect',
    });
    const [points, diagonal] = seriesOf(o);
    expect(points!.type).toBe('scatter');
    expect(points!.data).toEqual([
      [1, 1.5],
      [2, 2],
      [3, 2.5],
      [10, 8],
    ]);
    expect(diagonal!.data).toEqual([
      [1, 1],
      [10, 10],
    ]);
    expect((o.xAxis as { name: string }).name).toBe('Actual');
    expect((o.yAxis as { name: string }).name).toBe('Predicted');
    expect((o.legend as { data: string[] }).data).toEqual(['Model', 'Perfect']);
  });

  it('plots residuals (actual − predicted) against predicted with the zero line', () => {
    const o = residualsOption(actual, predicted, { predicted: 'P', residual: 'R', model: 'M', zero: 'Z' });
    const [points, zero] = seriesOf(o);
    expect(points!.data).toEqual([
      [1.5, -0.5],
      [2, 0],
      [2.5, 0.5],
      [8, 2],
    ]);
    expect(zero!.data).toEqual([
      [1.5, 0],
      [8, 0],
    ]);
    expect(zero!.name).toBe('Z');
  });

  it('draws at most maxPoints evenly spaced rows, first and last kept', () => {
    expect(sampleRows(3, 10)).toEqual([0, 1, 2]);
    const rows = sampleRows(10_000, 5);
    expect(rows).toEqual([0, 2500, 5000, 7499, 9999]);
    const many = Array.from({ length: 5000 }, (_, i) => i);
    const o = residualsOption(many, many, { predicted: 'P', residual: 'R', model: 'M', zero: 'Z' }, 100);
    expect(seriesOf(o)[0]!.data).toHaveLength(100);
  });

  it('copes with no rows', () => {
    const o = predictedActualOption([], [], { actual: 'A', predicted: 'P', model: 'M', perfect: 'X' });
    expect(seriesOf(o)[0]!.data).toEqual([]);
    expect(seriesOf(o)[1]!.data).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });
});
