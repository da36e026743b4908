import { describe, expect, it } from 'vitest';
import type { ColumnInfo, ColumnRole } from '../contracts/data-api';
import { hasAmount, resolveOrderRoles } from './roles';

const col = (name: string, role: ColumnRole): ColumnInfo => ({ name, type: 'VARCHAR', role, kind: 'text' });

describe('resolveOrderRoles', () => {
  const columns = [
    col('InvoiceNo', 'order_id'),
    col('StockCode', 'product_id'),
    col('Quantity', 'quantity'),
    col('InvoiceDate', 'timestamp'),
    col('UnitPrice', 'unit_price'),
    col('CustomerID', 'customer_id'),
    col('Country', 'country'),
  ];

  it('maps each role to its first column and lets overrides win', () => {
    expect(resolveOrderRoles(columns)).toEqual({
      order_id: 'InvoiceNo',
      customer_id: 'CustomerID',
      timestamp: 'InvoiceDate',
      product_id: 'StockCode',
      quantity: 'Quantity',
      unit_price: 'UnitPrice',
    });
    expect(resolveOrderRoles(columns, { category: 'Country' }).category).toBe('Country');
    expect(hasAmount(resolveOrderRoles(columns))).toBe(true);
    expect(hasAmount(resolveOrderRoles(columns.filter((c) => c.role !== 'unit_price')))).toBe(false);
  });

  it('names the missing required role', () => {
    expect(() => resolveOrderRoles(columns.filter((c) => c.role !== 'customer_id'))).toThrowError(
      expect.objectContaining({ code: 'missing_role', params: { role: 'customer_id' } }),
    );
  });
});
