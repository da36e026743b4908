import { describe, expect, it } from 'vitest';
import { calibrationOption, gainOption, importanceOption, prOption, rocOption } from './classify-charts';

type Series = { name?: string; data: unknown[] }[];

describe('Classify chart options', () => {
  it('draws the ROC curve as points with the chance diagonal', () => {
    const option = rocOption(
      { fpr: [0, 0.2, 1], tpr: [0, 0.7, 1] },
      { fpr: 'FPR', tpr: 'TPR', model: 'Model', chance: 'Chance' },
    );
    const series = option.series as Series;
    expect(series[0]!.data).toEqual([
      [0, 0],
      [0.2, 0.7],
      [1, 1],
    ]);
    expect(series[1]!.name).toBe('Chance');
  });

  it('puts the positive rate under the PR curve and the diagonal beside calibration', () => {
    const pr = prOption({ recall: [1, 0.5, 0], precision: [0.2, 0.6, 1] }, 0.2, {
      recall: 'R',
      precision: 'P',
      model: 'M',
      chance: 'C',
    });
    expect((pr.series as Series)[1]!.data).toEqual([
      [0, 0.2],
      [1, 0.2],
    ]);
    const cal = calibrationOption(
      { predicted: [0.1, 0.8], observed: [0.05, 0.9], counts: [10, 5] },
      {
        predicted: 'p',
        observed: 'o',
        model: 'M',
        perfect: 'D',
      },
    );
    expect((cal.series as Series)[0]!.data).toEqual([
      [0.1, 0.05],
      [0.8, 0.9],
    ]);
  });

  it('starts the gain curve at the origin and shows the largest importance on top', () => {
    const gain = gainOption(
      [
        { fraction: 0.5, gain: 0.8 },
        { fraction: 1, gain: 1 },
      ],
      { rows: 'rows', positives: 'pos', model: 'M', chance: 'C' },
    );
    expect((gain.series as Series)[0]!.data[0]).toEqual([0, 0]);
    const imp = importanceOption(
      [
        { feature: 'a', permutation: 0.2, permutationStd: 0 },
        { feature: 'b', permutation: 0.05, permutationStd: 0 },
        { feature: 'c', permutation: 0.01, permutationStd: 0 },
      ],
      { importance: 'AUC lost' },
      2,
    );
    expect((imp.yAxis as { data: string[] }).data).toEqual(['b', 'a']);
  });
});
