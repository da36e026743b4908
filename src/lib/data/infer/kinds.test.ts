import { describe, expect, it } from 'vitest';
import { isNumericType, isTemporalType, kindForDuckType } from './kinds';

describe('kindForDuckType', () => {
  it.each([
    ['BOOLEAN', 'boolean'],
    ['INTEGER', 'integer'],
    ['BIGINT', 'integer'],
    ['UBIGINT', 'integer'],
    ['HUGEINT', 'integer'],
    ['DOUBLE', 'decimal'],
    ['FLOAT', 'decimal'],
    ['DECIMAL(18,3)', 'decimal'],
    ['DATE', 'date'],
    ['TIMESTAMP', 'timestamp'],
    ['TIMESTAMP WITH TIME ZONE', 'timestamp'],
    ['TIMESTAMP_NS', 'timestamp'],
    ['UUID', 'id'],
    ['VARCHAR', 'text'],
    ['varchar', 'text'],
    ['TIME', 'native'],
    ['INTEGER[]', 'native'],
    ['STRUCT(a INTEGER)', 'native'],
    ['BLOB', 'native'],
  ] as const)('%s → %s', (type, kind) => {
    expect(kindForDuckType(type)).toBe(kind);
  });

  it('tells numbers and dates apart from the rest', () => {
    expect(isNumericType('DECIMAL(4,1)')).toBe(true);
    expect(isNumericType('BOOLEAN')).toBe(false);
    expect(isNumericType('INTERVAL')).toBe(false);
    expect(isTemporalType('TIMESTAMP_MS')).toBe(true);
    expect(isTemporalType('TIME')).toBe(false);
  });
});
