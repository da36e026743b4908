/**
 * Which columns of an order-lines table play which part, for the feature builders. A table is
 * one row per order line (or per order): who bought, which order, when, and optionally what and
 * for how much.
 */
import type { ColumnInfo } from '../contracts/data-api';
import { ShopSightError } from '../data/errors';

/** Column names by role; the first three are required, the rest enrich the features. */
export interface OrderRoles {
  order_id: string;
  customer_id: string;
  timestamp: string;
  product_id?: string;
  product_name?: string;
  category?: string;
  quantity?: string;
  unit_price?: string;
  /** When absent, the line amount is `quantity * unit_price` (when both exist). */
  line_amount?: string;
}

/** Roles without which no feature table can be built. */
export const REQUIRED_ORDER_ROLES = ['order_id', 'customer_id', 'timestamp'] as const;

const OPTIONAL_ORDER_ROLES = [
  'product_id',
  'product_name',
  'category',
  'quantity',
  'unit_price',
  'line_amount',
] as const;

type RoleName = (typeof REQUIRED_ORDER_ROLES)[number] | (typeof OPTIONAL_ORDER_ROLES)[number];

/** The `missing_role` error (params `{ role }`), so every builder words it the same way. */
export function missingRole(role: RoleName): ShopSightError {
  return new ShopSightError({
    code: 'missing_role',
    message: `No column has the role "${role}". Set it on the column that holds it.`,
    params: { role },
  });
}

/**
 * Resolves the roles from a table's columns (the first column with each role wins) plus explicit
 * overrides; throws `missing_role` when order_id, customer_id or timestamp has no column.
 */
export function resolveOrderRoles(columns: readonly ColumnInfo[], overrides: Partial<OrderRoles> = {}): OrderRoles {
  const pick = (role: RoleName): string | undefined => overrides[role] ?? columns.find((c) => c.role === role)?.name;
  const required = {} as Pick<OrderRoles, (typeof REQUIRED_ORDER_ROLES)[number]>;
  for (const role of REQUIRED_ORDER_ROLES) {
    const name = pick(role);
    if (name === undefined) throw missingRole(role);
    required[role] = name;
  }
  const roles: OrderRoles = { ...required };
  for (const role of OPTIONAL_ORDER_ROLES) {
    const name = pick(role);
    if (name !== undefined) roles[role] = name;
  }
  return roles;
}

/** True when a line amount can be computed: a line_amount column, or quantity and unit_price. */
export function hasAmount(roles: OrderRoles): boolean {
  return roles.line_amount !== undefined || (roles.quantity !== undefined && roles.unit_price !== undefined);
}
