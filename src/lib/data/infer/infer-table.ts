/**
 * From a stage table to the final typed table with its column descriptions: value types
 * (`types.ts`), the conversion with its rejects table, the small statistics the role guesser
 * needs (one query) and the roles (`roles.ts`).
 */
import type { ColumnInfo, LoadWarning } from '../../contracts/data-api';
import { quoteIdent, sqlLiteral } from '../../sql/ident';
import { checkCancelled, count, num, queryRows, str } from '../../sql/run';
import type { CancelToken, Db } from '../db';
import { rejectsTableName } from '../table-names';
import { isNumericType, normaliseType } from './kinds';
import { guessRoles, type RoleColumn } from './roles';
import { buildTypedTable, inferColumns, nativeInference, type ColumnInference, type InferOptions } from './types';

export interface InferAndConvertOptions extends InferOptions {
  /**
   * Whether the stage is all text (CSV, Excel). `false` for sources that arrive typed
   * (Parquet, JSON): their columns, text ones included, are copied as they are.
   */
  allVarchar?: boolean;
}

export interface InferAndConvertResult {
  columns: ColumnInfo[];
  /** Values kept in `<target>__rejects` because they did not fit their column's type. */
  rejects: number;
  warnings: LoadWarning[];
}

/** Per-column statistics for `guessRoles`, from one aggregate query over the typed table. */
export async function roleStats(
  db: Db,
  table: string,
  columns: { name: string; duckdbType: string }[],
  token: CancelToken,
): Promise<NonNullable<RoleColumn['stats']>[]> {
  if (columns.length === 0) return [];
  const parts: string[] = [];
  columns.forEach((c, i) => {
    const q = quoteIdent(c.name);
    parts.push(`count(${q})::DOUBLE AS "n${i}"`, `approx_count_distinct(${q})::DOUBLE AS "d${i}"`);
    if (normaliseType(c.duckdbType) === 'VARCHAR') parts.push(`avg(length(${q}))::DOUBLE AS "l${i}"`);
    if (isNumericType(c.duckdbType)) parts.push(`min(${q})::DOUBLE AS "lo${i}"`, `max(${q})::DOUBLE AS "hi${i}"`);
  });
  const row = (await queryRows(db, `SELECT ${parts.join(', ')} FROM ${quoteIdent(table)}`, token))[0] ?? {};
  return columns.map((_, i) => {
    const n = count(row[`n${i}`]);
    const stats: NonNullable<RoleColumn['stats']> = {
      distinctShare: n > 0 ? Math.min(1, count(row[`d${i}`]) / n) : 0,
      avgLength: num(row[`l${i}`]) ?? 0,
    };
    const lo = num(row[`lo${i}`]);
    const hi = num(row[`hi${i}`]);
    if (lo !== undefined) stats.min = lo;
    if (hi !== undefined) stats.max = hi;
    return stats;
  });
}

function describe(db: Db, table: string): { name: string; type: string }[] {
  return db
    .rows(
      `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ${sqlLiteral(table)} AND schema_name = 'main' ORDER BY column_index`,
    )
    .map((r) => ({ name: String(r.column_name), type: normaliseType(String(r.data_type)) }));
}

const KIND_NAMES: Record<string, string> = {
  integer: 'whole numbers',
  decimal: 'numbers',
  money: 'amounts of money',
  percent: 'percentages',
  boolean: 'yes/no values',
  date: 'dates',
  timestamp: 'dates with times',
};

/** Warnings for values that did not convert, ambiguous dates, and near-numeric text. */
function conversionWarnings(db: Db, target: string, inferences: ColumnInference[]): LoadWarning[] {
  const warnings: LoadWarning[] = [];
  const position = new Map(inferences.map((inf, i) => [inf.name, i]));
  const rejects = db
    .rows(
      `SELECT "column", count(*)::DOUBLE AS n, arg_min(value, row) AS example, min(row)::DOUBLE AS row
       FROM ${quoteIdent(rejectsTableName(target))} GROUP BY 1`,
    )
    .sort((a, b) => (position.get(String(a.column)) ?? 0) - (position.get(String(b.column)) ?? 0));
  for (const r of rejects) {
    const column = String(r.column);
    const inf = inferences[position.get(column) ?? -1];
    const n = count(r.n);
    const example = str(r.example) ?? '';
    const row = count(r.row);
    const what = KIND_NAMES[inf?.kind ?? ''] ?? inf?.kind ?? 'values';
    warnings.push({
      code: 'type_problems',
      message: `${n.toLocaleString('en-US')} value${n === 1 ? '' : 's'} in "${column}" did not read as ${what} (e.g. "${example}" in row ${row.toLocaleString('en-US')}); they are empty in the table and kept in the rejects list.`,
      params: { column, count: n, example, row },
    });
  }
  for (const inf of inferences) {
    if (inf.ambiguous && inf.format) {
      warnings.push({
        code: 'ambiguous_date_format',
        message: `"${inf.name}" was read as ${inf.format}; no value tells month and day apart.`,
        params: { column: inf.name, format: inf.format },
      });
    }
    if (inf.kind === 'text' && inf.nearMiss && inf.nearMiss.share >= 0.9) {
      const share = Math.floor(inf.nearMiss.share * 1000) / 10;
      warnings.push({
        code: 'kept_as_text',
        message: `"${inf.name}" was kept as text: only ${share}% of its values read as ${KIND_NAMES[inf.nearMiss.kind] ?? inf.nearMiss.kind}.`,
        params: { column: inf.name, kind: inf.nearMiss.kind, share },
      });
    }
  }
  return warnings;
}

/**
 * Turns `stageTable` into the typed table `target` (plus `<target>__rejects`), guessing each
 * column's kind and e-commerce role. Typed stages (`allVarchar: false`) are copied as they are.
 */
export async function inferAndConvert(
  db: Db,
  stageTable: string,
  target: string,
  opts: InferAndConvertOptions,
  token: CancelToken,
): Promise<InferAndConvertResult> {
  checkCancelled(token);
  const inferences =
    opts.allVarchar === false
      ? describe(db, stageTable).map((c) => nativeInference(c.name, c.type))
      : inferColumns(db, stageTable, opts);
  checkCancelled(token);
  const { rejects } = await buildTypedTable(db, stageTable, target, inferences, token);
  try {
    const stats = await roleStats(db, target, inferences, token);
    const roles = guessRoles(
      inferences.map((inf, i) => ({ name: inf.name, kind: inf.kind, duckdbType: inf.duckdbType, stats: stats[i]! })),
    );
    const columns: ColumnInfo[] = inferences.map((inf, i) => {
      const info: ColumnInfo = { name: inf.name, type: inf.duckdbType, role: roles[i] ?? 'none', kind: inf.kind };
      if (inf.format !== undefined) info.format = inf.format;
      return info;
    });
    return { columns, rejects, warnings: conversionWarnings(db, target, inferences) };
  } catch (error) {
    // Nothing is left behind when cancelled or failed.
    db.exec(`DROP TABLE IF EXISTS ${quoteIdent(target)}`);
    db.exec(`DROP TABLE IF EXISTS ${quoteIdent(rejectsTableName(target))}`);
    throw error;
  }
}
