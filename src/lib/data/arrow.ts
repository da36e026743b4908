/**
 * The one module that turns Arrow data into JavaScript values, and so the one BigInt policy:
 * 64-bit integers become `number` when they are exactly representable and a decimal string
 * otherwise (an order id of 2^60 must not silently round). Dates and timestamps become ISO
 * strings, so rows are always JSON-safe and structured-cloneable.
 */
import { DataType, Type, tableFromIPC, type Field, type Table } from 'apache-arrow';

export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

/** Converts one Arrow value of a field to a JSON-safe cell. */
export function toCell(value: unknown, field?: Field): Cell {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
      if (field && isDateLike(field.type)) return formatDateValue(value, field.type);
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    case 'boolean':
    case 'string':
      return value;
    default:
      break;
  }
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (typeof value === 'object' && value !== null && 'toJSON' in value) {
    return JSON.stringify((value as { toJSON(): unknown }).toJSON(), bigintReplacer);
  }
  return String(value);
}

function bigintReplacer(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? toCell(v) : v;
}

function isDateLike(type: DataType): boolean {
  return DataType.isDate(type) || DataType.isTimestamp(type);
}

function formatDateValue(ms: number, type: DataType): string {
  const iso = new Date(ms).toISOString();
  if (type.typeId === Type.Date || DataType.isDate(type)) return iso.slice(0, 10);
  return iso.endsWith('T00:00:00.000Z')
    ? iso.slice(0, 10) + ' 00:00:00'
    : iso.replace('T', ' ').replace(/\.000Z$|Z$/, '');
}

/** All rows of a (small) table as plain objects. */
export function arrowRowsToObjects(table: Table): Row[] {
  const fields = table.schema.fields;
  // By position, not name: a query may return two columns with the same name.
  const columns = fields.map((_f, i) => table.getChildAt(i));
  const out: Row[] = new Array<Row>(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const row: Row = {};
    for (let c = 0; c < fields.length; c++) {
      const field = fields[c]!;
      row[field.name] = toCell(columns[c]?.get(i), field);
    }
    out[i] = row;
  }
  return out;
}

/** DuckDB's name for an Arrow type, so results and tables label columns the same way. */
export function sqlTypeName(type: DataType): string {
  switch (type.typeId) {
    case Type.Utf8:
    case Type.LargeUtf8:
      return 'VARCHAR';
    case Type.Bool:
      return 'BOOLEAN';
    case Type.Float:
      return String(type) === 'Float32' ? 'FLOAT' : 'DOUBLE';
    case Type.Int: {
      const bits = (type as DataType & { bitWidth: number }).bitWidth;
      return (
        ({ 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' } as Record<number, string>)[bits] ?? 'INTEGER'
      );
    }
    case Type.Decimal:
      return 'DECIMAL';
    case Type.Date:
      return 'DATE';
    case Type.Timestamp:
      return 'TIMESTAMP';
    case Type.Time:
      return 'TIME';
    case Type.Binary:
      return 'BLOB';
    default:
      return String(type).toUpperCase();
  }
}

/** Column-oriented view used by grids: names, types and a cell accessor. */
export interface DecodedResult {
  columns: { name: string; type: string }[];
  rowCount: number;
  cell(row: number, column: number): Cell;
}

/** Decodes IPC bytes from the worker (the UI's only entry point to Arrow). */
export function decodeIpc(ipc: Uint8Array): DecodedResult {
  const table = tableFromIPC(ipc);
  const fields = table.schema.fields;
  const vectors = fields.map((_f, i) => table.getChildAt(i));
  return {
    columns: fields.map((f) => ({ name: f.name, type: sqlTypeName(f.type) })),
    rowCount: table.numRows,
    cell: (row, column) => toCell(vectors[column]?.get(row), fields[column]),
  };
}
