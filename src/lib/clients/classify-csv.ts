/**
 * CSV text of a (small) scored table, for the "Download CSV" button: the rows come from the
 * data engine as Arrow IPC and are written with RFC 4180 quoting. Cells that a spreadsheet would
 * run as a formula (=, +, -, @ first) are prefixed with an apostrophe.
 */
import { tableFromIPC } from 'apache-arrow';

/** One CSV field. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Arrow IPC bytes → CSV text with a header line. */
export function ipcToCsv(ipc: Uint8Array): string {
  const table = tableFromIPC(ipc);
  const names = table.schema.fields.map((f) => f.name);
  const lines = [names.map(csvField).join(',')];
  for (const row of table) {
    const r = row as unknown as Record<string, unknown>;
    lines.push(names.map((n) => csvField(typeof r[n] === 'bigint' ? Number(r[n]) : r[n])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
