/** CSV text for the segments and anomalies exports (RFC 4180 quoting, header row, `\r\n`). */

export type CsvCell = string | number | boolean | null | undefined;

/** One field: quoted when it holds a comma, quote, line break or leading/trailing space. */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = String(value);
  // A leading =, +, - or @ would make a spreadsheet evaluate the cell; prefix a quote mark.
  const safe = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A whole CSV document. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
