/** Task detection from a target column: numbers with many values are regression, two values or text classification. */
import { describe, expect, it } from 'vitest';
import type { FrameColumn } from '../../contracts/frame';
import { detectTask, distinctCount } from './task';

const num = (values: number[]): FrameColumn => ({ name: 't', kind: 'number', values: Float64Array.from(values) });
const text = (values: (string | null)[]): FrameColumn => ({ name: 't', kind: 'string', values });

describe('detectTask', () => {
  it('calls a number column with more than two values a regression target', () => {
    expect(detectTask(num([1.5, 2, 3, NaN, 3]), 'DOUBLE')).toEqual({
      task: 'regression',
      reason: 'numeric_many_values',
      distinct: 3,
      numeric: true,
    });
  });

  it('keeps 0/1 numbers, booleans and text as classification', () => {
    expect(detectTask(num([0, 1, 1, 0]), 'BIGINT')).toMatchObject({ task: 'classification', reason: 'two_values' });
    // DuckDB booleans arrive as 0/1 numbers: never a regression target, even when asked.
    expect(detectTask(num([0, 1, 1]), 'BOOLEAN')).toMatchObject({ task: 'classification', numeric: false });
    expect(() => detectTask(num([0, 1]), 'BOOLEAN', 'regression')).toThrow();
    expect(detectTask(text(['a', 'b', 'c', null]), 'VARCHAR')).toMatchObject({
      task: 'classification',
      reason: 'text_values',
      distinct: 3,
    });
  });

  it('honours the override, and refuses regression on text with a clear code', () => {
    expect(detectTask(num([1, 2, 3]), 'DOUBLE', 'classification')).toMatchObject({
      task: 'classification',
      reason: 'chosen',
    });
    expect(detectTask(num([0, 1]), 'INTEGER', 'regression')).toMatchObject({ task: 'regression', reason: 'chosen' });
    let caught: unknown;
    try {
      detectTask(text(['a', 'b']), 'VARCHAR', 'regression');
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'non_numeric_target', params: { column: 't' } });
  });

  it('counts distinct values without missing ones, up to a cap', () => {
    expect(distinctCount(text(['x', null, 'x', 'y']))).toBe(2);
    expect(distinctCount(num([1, 2, 3, 4, 5]), 3)).toBe(3);
  });
});
