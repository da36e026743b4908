import { describe, expect, it } from 'vitest';
import type { ColumnInfo, TableInfo } from '../contracts/data-api';
import {
  customerTables,
  defaultFeatures,
  orderTables,
  preferredCustomerTable,
  segmentCandidates,
} from './segments.svelte';
import { preferredAnomalyTable } from './anomalies.svelte';

const col = (name: string, type = 'DOUBLE', role: ColumnInfo['role'] = 'none'): ColumnInfo => ({
  name,
  type,
  role,
  kind: 'native',
});
const table = (name: string, columns: ColumnInfo[], derived?: TableInfo['derived']): TableInfo => ({
  name,
  rows: 10,
  columns,
  warnings: [],
  ...(derived ? { derived } : {}),
});

const lines = table('lines', [
  col('InvoiceNo', 'VARCHAR', 'order_id'),
  col('CustomerID', 'VARCHAR', 'customer_id'),
  col('InvoiceDate', 'TIMESTAMP', 'timestamp'),
  col('Quantity', 'BIGINT', 'quantity'),
]);
const built = table(
  'lines_customers',
  [
    col('customer_id', 'VARCHAR', 'customer_id'),
    col('recency_days', 'BIGINT'),
    col('frequency', 'INTEGER'),
    col('monetary_total'),
    col('r_score', 'INTEGER'),
    col('rfm_segment', 'VARCHAR'),
  ],
  { kind: 'customers', from: 'lines' },
);
const loaded = table('crm', [col('id', 'VARCHAR', 'customer_id'), col('spend'), col('visits', 'INTEGER'), col('age')]);
const result = table('lines_customers_segments', [col('customer_id', 'VARCHAR', 'customer_id'), col('segment')], {
  kind: 'segments',
  from: 'lines_customers',
});

describe('segments view helpers', () => {
  it('offers customer tables only, preferring a built one', () => {
    const all = [lines, loaded, built, result];
    expect(customerTables(all).map((t) => t.name)).toEqual(['crm', 'lines_customers']);
    expect(orderTables(all).map((t) => t.name)).toEqual(['lines']);
    expect(preferredCustomerTable(all)?.name).toBe('lines_customers');
    expect(preferredCustomerTable([lines])).toBeUndefined();
  });

  it('picks R, F and M by default, else the first numeric columns; never ids or scores', () => {
    expect(segmentCandidates(built)).toEqual(['recency_days', 'frequency', 'monetary_total']);
    expect(defaultFeatures(built)).toEqual(['recency_days', 'frequency', 'monetary_total']);
    expect(defaultFeatures(loaded)).toEqual(['spend', 'visits', 'age']);
  });

  it('scores the order lines first for anomalies', () => {
    expect(preferredAnomalyTable([built, result, lines])?.name).toBe('lines');
    expect(preferredAnomalyTable([result, built])?.name).toBe('lines_customers');
  });
});
