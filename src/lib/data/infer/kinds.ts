/**
 * How DuckDB types map to ShopSight's semantic kinds, for columns that arrive typed
 * (Parquet, JSON, Arrow) and for deciding which statistics a column gets.
 */
import type { SemanticKind } from '../../contracts/data-api';

const INTEGER_TYPES =
  /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|INT[1248]|SIGNED|LONG|SHORT)$/;
const DECIMAL_TYPES = /^(FLOAT|DOUBLE|REAL|FLOAT[48]|NUMERIC|DECIMAL(\(\s*\d+\s*,\s*\d+\s*\))?)$/;

/** Normalises a DuckDB type name: upper case, single spaces. */
export function normaliseType(type: string): string {
  return type.trim().toUpperCase().replace(/\s+/g, ' ');
}

/** The semantic kind of a natively typed column; `native` when nothing fits (LIST, BLOB, TIME …). */
export function kindForDuckType(type: string): SemanticKind {
  const t = normaliseType(type);
  if (t === 'BOOLEAN' || t === 'BOOL') return 'boolean';
  if (INTEGER_TYPES.test(t)) return 'integer';
  if (DECIMAL_TYPES.test(t)) return 'decimal';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP') || t === 'DATETIME') return 'timestamp';
  if (t === 'UUID') return 'id';
  if (t === 'VARCHAR' || t === 'TEXT' || t === 'STRING' || t.startsWith('VARCHAR(')) return 'text';
  return 'native';
}

/** True for types whose values are numbers (booleans excluded). */
export function isNumericType(type: string): boolean {
  const t = normaliseType(type);
  return INTEGER_TYPES.test(t) || DECIMAL_TYPES.test(t);
}

export function isIntegerType(type: string): boolean {
  return INTEGER_TYPES.test(normaliseType(type));
}

/** True for DATE and every TIMESTAMP flavour. */
export function isTemporalType(type: string): boolean {
  const t = normaliseType(type);
  return t === 'DATE' || t.startsWith('TIMESTAMP') || t === 'DATETIME';
}

export function isTextType(type: string): boolean {
  return kindForDuckType(type) === 'text';
}
