import { describe, expect, it } from 'vitest';
import type { Finding } from '../contracts/data-api';
import { FINDING_CODES } from '../sql/findings';
import { ZH_FINDINGS, findingText } from './findings';

describe('finding sentences', () => {
  it('has a Chinese sentence for every finding code', () => {
    expect(Object.keys(ZH_FINDINGS).sort()).toEqual([...FINDING_CODES].sort());
  });

  it('renders counts, shares and columns in both languages', () => {
    const finding: Finding = {
      code: 'missing_values',
      severity: 'problem',
      dimension: 'completeness',
      column: 'CustomerID',
      count: 5078,
      share: 0.2539,
      params: { column: 'CustomerID', role: 'customer_id' },
    };
    expect(findingText(finding, 'en')).toBe('5,078 values in "CustomerID" are missing (25.4%).');
    expect(findingText(finding, 'zh-CN')).toBe('“CustomerID” 中有 5,078 个值缺失（25.4%）。');
  });

  it('never leaves a placeholder or undefined in a Chinese sentence', () => {
    for (const code of FINDING_CODES) {
      const text = findingText(
        {
          code,
          severity: 'warning',
          dimension: 'accuracy',
          column: 'Qty',
          count: 3,
          share: 0.01,
          params: {
            column: 'Qty',
            key: 'InvoiceNo + StockCode',
            value: -1,
            kind: 'integer',
            example: 'n/a',
            row: 7,
            low: 0,
            high: 9,
            now: '2026-01-01',
            days: 9,
            from: '2011-01-01',
            to: '2011-01-09',
            latest: '2011-12-09',
          },
        },
        'zh-CN',
      );
      expect(text, code).not.toMatch(/undefined|\{|\}/);
    }
  });
});
