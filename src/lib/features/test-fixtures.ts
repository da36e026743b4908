/** Test-only: small hand-made order-line tables whose features are computed by hand in the tests. */
import type { Db } from '../data/db';
import { quoteIdent, sqlLiteral } from '../sql/ident';
import type { OrderRoles } from './roles';

/** One order line: invoice, customer (null = unknown), time, product, category, quantity, price. */
export type Line = [string, number | null, string, string | null, string | null, number, number];

/** Roles of the tables made by {@link createLines}. */
export const LINE_ROLES: OrderRoles = {
  order_id: 'inv',
  customer_id: 'cust',
  timestamp: 'ts',
  product_id: 'sku',
  category: 'cat',
  quantity: 'qty',
  unit_price: 'price',
};

/** (Re)creates `name` with the columns of {@link Line}. */
export function createLines(db: Db, name: string, lines: readonly Line[]): void {
  db.exec(
    `CREATE OR REPLACE TABLE ${quoteIdent(name)} (inv VARCHAR, cust INTEGER, ts TIMESTAMP, sku VARCHAR, cat VARCHAR, qty INTEGER, price DOUBLE)`,
  );
  if (lines.length === 0) return;
  const values = lines.map((l) => `(${l.map((v) => sqlLiteral(v)).join(', ')})`).join(', ');
  db.exec(`INSERT INTO ${quoteIdent(name)} VALUES ${values}`);
}

/**
 * Customers 1–5 and one anonymous line, cutoff 2024-01-31 (see customers.test.ts for the
 * expected values, worked out by hand).
 */
export const SHOP: readonly Line[] = [
  // Customer 1: three orders ten days apart, one cancelled line, one line after the cutoff.
  ['o1', 1, '2024-01-01 10:00:00', 'p1', 'X', 2, 5],
  ['o1', 1, '2024-01-01 10:00:00', 'p2', 'Y', 1, 20],
  ['o2', 1, '2024-01-11 10:00:00', 'p1', 'X', 1, 5],
  ['o3', 1, '2024-01-21 10:00:00', 'p3', 'X', 3, 10],
  ['C100', 1, '2024-01-22 11:00:00', 'p3', 'X', -1, 10],
  ['o9', 1, '2024-02-05 10:00:00', 'p1', 'X', 1, 5],
  // Customer 2: one order the day before the cutoff.
  ['o4', 2, '2024-01-30 15:00:00', 'p2', 'Y', 1, 20],
  // Customer 3: three orders in November.
  ['o5', 3, '2023-11-01 09:00:00', 'p1', 'X', 10, 5],
  ['o6', 3, '2023-11-03 09:00:00', 'p1', 'X', 2, 5],
  ['o7', 3, '2023-11-08 09:00:00', 'p1', 'X', 2, 5],
  // Customer 4: only a cancellation.
  ['C200', 4, '2024-01-15 09:00:00', 'p1', 'X', -1, 5],
  // No customer id.
  ['o8', null, '2024-01-10 09:00:00', 'p2', 'Y', 1, 20],
  // Customer 5: one order long ago.
  ['o10', 5, '2023-06-01 12:00:00', 'p2', 'Y', 1, 20],
];
