import { describe, expect, it } from 'vitest';
import { formatScalar, optionalText, parseList, parseScalar, withOperator } from './form-values';

describe('form values', () => {
  it('types a value by its column', () => {
    expect(parseScalar('12', 'DOUBLE')).toBe(12);
    expect(parseScalar('012', 'VARCHAR')).toBe('012');
    expect(parseScalar('yes', 'BOOLEAN')).toBe(true);
    expect(parseScalar('abc', 'DOUBLE')).toBe('abc');
    expect(parseScalar('3.5')).toBe(3.5);
  });

  it('reads comma-separated lists', () => {
    expect(parseList('UK, France,,  Germany ', 'VARCHAR')).toEqual(['UK', 'France', 'Germany']);
    expect(parseList('1, 2', 'INTEGER')).toEqual([1, 2]);
    expect(formatScalar(['UK', 2])).toBe('UK, 2');
  });

  it('reshapes the value when the operator changes', () => {
    const c = { column: 'amount', op: '>' as const, value: 5 };
    expect(withOperator(c, 'between')).toEqual({ column: 'amount', op: 'between', value: [5, 5] });
    expect(withOperator(c, 'in')).toEqual({ column: 'amount', op: 'in', value: [5] });
    expect(withOperator(c, 'is_null')).toEqual({ column: 'amount', op: 'is_null' });
    expect(withOperator({ column: 'x', op: 'in', value: ['a', 'b'] }, 'contains')).toEqual({
      column: 'x',
      op: 'contains',
      value: 'a',
    });
  });

  it('treats an empty optional field as absent', () => {
    expect(optionalText('  ')).toBeUndefined();
    expect(optionalText(' x ')).toBe('x');
  });
});
