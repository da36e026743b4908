/**
 * Excel workbooks (.xlsx, .xls, and the HTML tables some admin panels save as .xls) to CSV text,
 * one entry per sheet that holds data, so they go through the same CSV staging as everything else.
 *
 * Cells are written from their stored values, not Excel's display text: numbers raw (no thousands
 * separators, no rounding to the displayed decimals), dates as ISO `yyyy-mm-dd[ hh:mm:ss]`
 * computed from the serial number (no time-zone shifts), text untouched (so `00123` stays `00123`).
 */
import * as XLSX from '@e965/xlsx';
import type { LoadWarning } from '../../contracts/data-api';
import { ShopSightError } from '../errors';

/** One sheet of a workbook as CSV text. */
export interface WorkbookSheet {
  sheet: string;
  /** RFC 4180 CSV: `,` delimiter, `"` quotes, LF line endings. */
  csv: string;
  /** CSV records written (the header row included). */
  rows: number;
  columns: number;
  warnings: LoadWarning[];
}

/** The part of SheetJS's untyped SSF module used here. */
interface Ssf {
  is_date(format: string | number): boolean;
  get_table(): Record<number, string | undefined>;
}

/** Reads every non-empty sheet of a workbook into CSV text. */
export function readWorkbook(bytes: Uint8Array, fileName = 'The workbook'): WorkbookSheet[] {
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(bytes, {
      type: 'array',
      dense: true,
      cellNF: true,
      cellDates: false,
      cellText: false,
      cellHTML: false,
      cellFormula: false,
      cellStyles: false,
    });
  } catch (error) {
    throw workbookError(error, fileName);
  }
  const date1904 = workbook.Workbook?.WBProps?.date1904 === true;
  const out: WorkbookSheet[] = [];
  for (const name of workbook.SheetNames) {
    const sheet = workbook.Sheets[name];
    if (!sheet) continue;
    const converted = sheetToCsv(sheet, name, date1904);
    if (converted) out.push(converted);
  }
  return out;
}

function sheetToCsv(sheet: XLSX.WorkSheet, name: string, date1904: boolean): WorkbookSheet | null {
  const data = (sheet as XLSX.DenseWorkSheet)['!data'] as (XLSX.CellObject | undefined)[][] | undefined;
  if (!data) return null;

  // Trim empty rows and columns around the table (Excel's used range is often larger).
  let firstCol = Infinity;
  let lastCol = -1;
  const rowsWithData: number[] = [];
  for (let r = 0; r < data.length; r++) {
    const row = data[r];
    if (!row) continue;
    let filled = false;
    for (let c = 0; c < row.length; c++) {
      if (hasValue(row[c])) {
        filled = true;
        if (c < firstCol) firstCol = c;
        if (c > lastCol) lastCol = c;
      }
    }
    if (filled) rowsWithData.push(r);
  }
  if (rowsWithData.length === 0) return null;

  const ssf = XLSX.SSF as Ssf;
  let errorCells = 0;
  const lines: string[] = [];
  for (const r of rowsWithData) {
    const row = data[r]!;
    const fields: string[] = [];
    for (let c = firstCol; c <= lastCol; c++) {
      const cell = row[c];
      if (cell?.t === 'e') errorCells++;
      fields.push(csvField(cellText(cell, ssf, date1904)));
    }
    lines.push(fields.join(','));
  }

  const warnings: LoadWarning[] = [];
  const first = rowsWithData[0]!;
  const last = rowsWithData[rowsWithData.length - 1]!;
  const skipped = last - first + 1 - rowsWithData.length;
  if (skipped > 0) {
    warnings.push({
      code: 'empty_rows_skipped',
      message: `${skipped} empty ${skipped === 1 ? 'row' : 'rows'} inside sheet "${name}" ${skipped === 1 ? 'was' : 'were'} left out.`,
      params: { sheet: name, count: skipped },
    });
  }
  if (errorCells > 0) {
    warnings.push({
      code: 'excel_error_values',
      message: `${errorCells} ${errorCells === 1 ? 'cell' : 'cells'} in sheet "${name}" hold Excel errors such as #N/A or #DIV/0!; they were left empty.`,
      params: { sheet: name, count: errorCells },
    });
  }
  return { sheet: name, csv: lines.join('\n') + '\n', rows: lines.length, columns: lastCol - firstCol + 1, warnings };
}

function hasValue(cell: XLSX.CellObject | undefined): boolean {
  if (!cell || cell.t === 'z' || cell.v === undefined || cell.v === null) return false;
  return !(typeof cell.v === 'string' && cell.v === '');
}

function cellText(cell: XLSX.CellObject | undefined, ssf: Ssf, date1904: boolean): string {
  if (!cell || cell.v === undefined || cell.v === null) return '';
  switch (cell.t) {
    case 's':
      return String(cell.v);
    case 'b':
      return cell.v ? 'TRUE' : 'FALSE';
    case 'e':
    case 'z':
      return '';
    case 'd':
      return cell.v instanceof Date ? isoFromLocalDate(cell.v) : String(cell.v);
    case 'n': {
      const v = Number(cell.v);
      const format = formatOf(cell.z, ssf);
      if (format !== null && isDateFormat(format, ssf)) return isoFromSerial(v, format, date1904);
      return numberText(v);
    }
    default:
      return String(cell.v);
  }
}

function formatOf(z: XLSX.NumberFormat | undefined, ssf: Ssf): string | null {
  if (z === undefined) return null;
  if (typeof z === 'number') return ssf.get_table()[z] ?? null;
  return z;
}

function isDateFormat(format: string, ssf: Ssf): boolean {
  try {
    return ssf.is_date(format);
  } catch {
    return false;
  }
}

/** Excel keeps 15 significant digits; printing more only shows binary noise (0.1 + 0.2). */
export function numberText(v: number): string {
  if (!Number.isFinite(v)) return '';
  if (Object.is(v, -0)) return '0';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return String(Number(v.toPrecision(15)));
}

/**
 * Converts an Excel serial date to ISO text. Serial 1 is 1900-01-01 and serial 60 is Lotus's
 * phantom 1900-02-29, so serials from 61 on count from 1899-12-30 (the 1904 system adds 1,462 days).
 */
export function isoFromSerial(serial: number, format: string, date1904 = false): string {
  const totalSeconds = Math.round(serial * 86400);
  const days = Math.floor(totalSeconds / 86400);
  const seconds = totalSeconds - days * 86400;
  const bare = format.replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
  const hasDate = /[dy]/i.test(bare) || /mmm/i.test(bare);
  const hasTime = /[hs]/i.test(bare) || /AM\/PM|A\/P/i.test(bare);
  const time = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
  if (!hasDate && hasTime && days === 0) return time;
  let epochDays: number;
  if (date1904) epochDays = days + 1462 - 25569;
  else if (days >= 61) epochDays = days - 25569;
  else epochDays = days - 25568; // 1900-01-01 … 1900-02-28 sit one day later before the phantom leap day
  const d = new Date(epochDays * 86400000);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return hasTime || seconds !== 0 ? `${date} ${time}` : date;
}

/** SheetJS builds `Date` cells in local time, so read them back with local getters. */
function isoFromLocalDate(d: Date): string {
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const h = d.getHours();
  const m = d.getMinutes();
  const s = d.getSeconds();
  return h === 0 && m === 0 && s === 0 ? date : `${date} ${pad(h)}:${pad(m)}:${pad(s)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** RFC 4180 quoting: only values with a comma, quote or line break are quoted. */
export function csvField(value: string): string {
  if (!/[",\r\n]/.test(value)) return value;
  return `"${value.replaceAll('"', '""')}"`;
}

function workbookError(error: unknown, fileName: string): ShopSightError {
  const message = error instanceof Error ? error.message : String(error);
  if (/password|encrypt/i.test(message)) {
    return new ShopSightError({
      code: 'encrypted_workbook',
      message: `${fileName} is protected with a password. Open it in Excel, remove the password (or save an unprotected copy), then load it again.`,
      params: { fileName },
    });
  }
  return new ShopSightError({
    code: 'corrupt_workbook',
    message: `${fileName} could not be read as an Excel workbook (${message}). Open it in Excel and save it again as .xlsx, or export the sheet as CSV.`,
    params: { fileName },
  });
}
