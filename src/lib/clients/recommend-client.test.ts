import { describe, expect, it } from 'vitest';
import type { TableInfo } from '../contracts/data-api';
import type { RuleRow } from '../contracts/recommend-api';
import { filterRules, pickRecommendTable, recommendScore } from '../state/recommend.svelte';
import { guessTextColumn, pickReviewTable } from '../state/reviews.svelte';
import { toCsv } from './recommend-client';

const table = (name: string, cols: [string, string, string?][], derived = false): TableInfo =>
  ({
    name,
    rows: 1,
    columns: cols.map(([n, role, type]) => ({ name: n, role, type: type ?? 'VARCHAR', kind: 'text' })),
    ...(derived ? { derived: { kind: 'recommendations', from: 'x' } } : {}),
  }) as unknown as TableInfo;

describe('recommend client and view helpers', () => {
  it('writes RFC 4180 CSV', () => {
    const cells = [
      ['a,b', 1],
      ['say "hi"', null],
    ];
    const csv = toCsv({
      columns: [
        { name: 'x', type: 'VARCHAR' },
        { name: 'y', type: 'DOUBLE' },
      ],
      rowCount: 2,
      cell: (r, c) => cells[r]![c]!,
    });
    expect(csv).toBe('x,y\r\n"a,b",1\r\n"say ""hi""",\r\n');
  });

  it('pre-selects the loaded order-lines table with product and order roles', () => {
    const other = table('customers', [['CustomerID', 'customer_id']]);
    const recs = table(
      'orders_rules',
      [
        ['StockCode', 'product_id'],
        ['InvoiceNo', 'order_id'],
      ],
      true,
    );
    const orders = table('orders', [
      ['StockCode', 'product_id'],
      ['InvoiceNo', 'order_id'],
      ['CustomerID', 'customer_id'],
    ]);
    expect(recommendScore(other)).toBe(0);
    expect(pickRecommendTable([other, recs, orders])?.name).toBe('orders');
  });

  it('filters rules by product text (ids or names) and lift', () => {
    const rules: RuleRow[] = [
      { antecedent: ['85123A'], consequent: ['71053'], count: 5, support: 0.1, confidence: 0.5, lift: 3 },
      { antecedent: ['22633'], consequent: ['71053'], count: 5, support: 0.1, confidence: 0.5, lift: 1.1 },
    ];
    expect(filterRules(rules, 'lantern', 1, { '71053': 'WHITE METAL LANTERN' })).toHaveLength(2);
    expect(filterRules(rules, '85123', 1)).toHaveLength(1);
    expect(filterRules(rules, '', 2)).toHaveLength(1);
  });

  it('finds review text and the review table', () => {
    const reviews = table('reviews', [
      ['Clothing ID', 'product_id', 'BIGINT'],
      ['Review Text', 'none'],
      ['Rating', 'rating', 'BIGINT'],
    ]);
    expect(guessTextColumn(reviews)).toBe('Review Text');
    expect(pickReviewTable([table('orders', [['x', 'none']]), reviews])?.name).toBe('reviews');
  });
});
