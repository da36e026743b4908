import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { csvField, isoFromSerial, numberText, readWorkbook } from './xlsx';

/**
 * Fixtures are written with the same library's writer: a shop export with two data sheets, an
 * empty sheet, dates and times, text ids with leading zeros, and awkward text.
 */
function shopWorkbook(): XLSX.WorkBook {
  const wb = XLSX.utils.book_new();
  const orders = XLSX.utils.aoa_to_sheet(
    [
      ['order_id', 'ordered_at', 'day', 'amount', 'paid', 'note'],
      [
        '00123',
        new Date(Date.UTC(2024, 0, 15, 9, 30, 5)),
        new Date(Date.UTC(2024, 1, 29)),
        1234.5,
        true,
        'Mug, "large"',
      ],
      [
        '00124',
        new Date(Date.UTC(2023, 11, 31, 23, 59, 59)),
        new Date(Date.UTC(1999, 11, 31)),
        0.1 + 0.2,
        false,
        'two\nlines',
      ],
    ],
    { cellDates: true, UTC: true },
  );
  orders['!cols'] = [];
  XLSX.utils.book_append_sheet(wb, orders, 'Orders');
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([]), 'Empty');
  // A table that starts at C3 with an empty row inside and an error cell.
  const products = XLSX.utils.aoa_to_sheet([
    [],
    [],
    [null, null, 'sku', 'price'],
    [null, null, 'A-1', 2],
    [],
    [null, null, 'B-2', 3],
  ]);
  products['D6'] = { t: 'e', v: 7 }; // #DIV/0!
  XLSX.utils.book_append_sheet(wb, products, 'Products');
  return wb;
}

function write(wb: XLSX.WorkBook, bookType: 'xlsx' | 'biff8'): Uint8Array {
  return new Uint8Array(XLSX.write(wb, { type: 'array', bookType }) as ArrayBuffer);
}

describe('readWorkbook', () => {
  for (const bookType of ['xlsx', 'biff8'] as const) {
    it(`converts each non-empty sheet of a ${bookType === 'biff8' ? '.xls' : '.xlsx'} file to RFC 4180 CSV`, () => {
      const sheets = readWorkbook(write(shopWorkbook(), bookType));
      expect(sheets.map((s) => [s.sheet, s.rows, s.columns])).toEqual([
        ['Orders', 3, 6],
        ['Products', 3, 2],
      ]);
      expect(sheets[0]!.csv).toBe(
        'order_id,ordered_at,day,amount,paid,note\n' +
          '00123,2024-01-15 09:30:05,2024-02-29,1234.5,TRUE,"Mug, ""large"""\n' +
          '00124,2023-12-31 23:59:59,1999-12-31,0.3,FALSE,"two\nlines"\n',
      );
      expect(sheets[1]!.csv).toBe('sku,price\nA-1,2\nB-2,\n');
      expect(sheets[1]!.warnings.map((w) => [w.code, w.params])).toEqual([
        ['empty_rows_skipped', { sheet: 'Products', count: 1 }],
        ['excel_error_values', { sheet: 'Products', count: 1 }],
      ]);
    });
  }

  it('returns nothing for a workbook without data', () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([[null, '']]), 'Blank');
    expect(readWorkbook(write(wb, 'xlsx'))).toEqual([]);
  });

  it('reports a damaged file as corrupt_workbook', () => {
    const broken = write(shopWorkbook(), 'xlsx').slice(0, 200);
    expect(() => readWorkbook(broken, 'orders.xlsx')).toThrow(expect.objectContaining({ code: 'corrupt_workbook' }));
  });
});

describe('cell values', () => {
  it('turns Excel serials into ISO dates, including the 1900 leap-year bug and the 1904 system', () => {
    expect(isoFromSerial(1, 'yyyy-mm-dd')).toBe('1900-01-01');
    expect(isoFromSerial(59, 'd/m/yy')).toBe('1900-02-28');
    expect(isoFromSerial(61, 'd/m/yy')).toBe('1900-03-01');
    expect(isoFromSerial(45306, 'm/d/yyyy')).toBe('2024-01-15');
    expect(isoFromSerial(45306.5, 'm/d/yyyy h:mm')).toBe('2024-01-15 12:00:00');
    expect(isoFromSerial(45306.25, 'm/d/yyyy')).toBe('2024-01-15 06:00:00');
    expect(isoFromSerial(0.75, 'h:mm AM/PM')).toBe('18:00:00');
    expect(isoFromSerial(0, 'yyyy-mm-dd', true)).toBe('1904-01-01');
  });

  it('writes numbers raw with Excel’s 15 significant digits', () => {
    expect(numberText(1234567.891)).toBe('1234567.891');
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(-0)).toBe('0');
    expect(numberText(1e21)).toBe('1e+21');
  });

  it('quotes only what needs quoting', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('x\r\ny')).toBe('"x\r\ny"');
  });
});
