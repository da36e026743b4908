import { describe, expect, it } from 'vitest';
import type { FrameColumn } from '../contracts/frame';
import { encodedGroups, encodedNames, fitPreprocess, transformColumns } from './preprocess';

const columns: FrameColumn[] = [
  { name: 'amount', kind: 'number', values: Float64Array.from([1, 2, NaN, 4, 1000, NaN]) },
  { name: 'country', kind: 'string', values: ['UK', 'FR', 'UK', null, 'ZZ', 'DE'] },
  { name: 'when', kind: 'date', values: Float64Array.from([0, 1, 2, 3, 4, 5]) },
];

describe('preprocess', () => {
  it('learns medians, scales and categories from the training rows only', () => {
    // Rows 4 and 5 are "test" rows: an outlier amount and two categories the training rows lack.
    const fitted = fitPreprocess(columns, [0, 1, 2, 3], 10);
    const amount = fitted.columns[0]!;
    expect(amount).toMatchObject({ kind: 'number', median: 2 });
    // Imputed training values 1, 2, 2, 4: mean 2.25, population std √1.1875.
    if (amount.kind !== 'number') throw new Error('kind');
    expect(amount.mean).toBeCloseTo(2.25, 12);
    expect(amount.std).toBeCloseTo(Math.sqrt(1.1875), 12);
    expect(fitted.columns[1]).toEqual({ name: 'country', kind: 'category', levels: ['UK', 'FR'] });
    // Dates are not features.
    expect(fitted.columns).toHaveLength(2);
    // Refitting with the test rows included changes the encoding: the fit really ignored them.
    expect(fitPreprocess(columns, [0, 1, 2, 3, 4, 5], 10)).not.toEqual(fitted);
  });

  it('encodes any rows with the fitted encoding: imputed, standardised, one-hot with "other" as zeros', () => {
    const fitted = fitPreprocess(columns, [0, 1, 2, 3], 10);
    expect(encodedNames(fitted)).toEqual(['amount', 'country=UK', 'country=FR']);
    expect(Array.from(encodedGroups(fitted))).toEqual([0, 1, 1]);
    const X = transformColumns(fitted, columns, [4, 5]);
    const s = Math.sqrt(1.1875);
    expect(X.nRows).toBe(2);
    expect(X.data[0]).toBeCloseTo((1000 - 2.25) / s, 9);
    expect(Array.from(X.data.subarray(1, 3))).toEqual([0, 0]);
    expect(X.data[3]).toBeCloseTo((2 - 2.25) / s, 9);
    expect(Array.from(X.data.subarray(4, 6))).toEqual([0, 0]);
  });

  it('keeps the topK most frequent levels and names a missing column', () => {
    const fitted = fitPreprocess(columns, [0, 1, 2, 3, 4, 5], 1);
    expect(fitted.columns[1]).toEqual({ name: 'country', kind: 'category', levels: ['UK'] });
    expect(() => transformColumns(fitted, [columns[0]!])).toThrow();
    try {
      transformColumns(fitted, [columns[0]!]);
    } catch (error) {
      expect(error).toMatchObject({ code: 'unknown_column', params: { column: 'country' } });
    }
  });
});
