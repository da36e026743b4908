import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { createNodeDb } from '../../../test/duckdb-node';
import type { Cell } from '../arrow';
import { buildTypedTable, inferColumns, nameSuggestsFlag, type ColumnInference, type InferOptions } from './types';
import { createStage, dropTyped } from './test-stage';

describe('value-type inference on real DuckDB-WASM', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createNodeDb();
  });
  afterAll(() => db?.bindings.reset());

  const token = { cancelled: false };

  /** Infers one column, converts it and returns the inference, the typed values and rejects. */
  async function convert(
    values: (string | null)[],
    name = 'v',
    opts: Partial<InferOptions> = {},
  ): Promise<{ inf: ColumnInference; out: Cell[]; rejects: { row: Cell; value: Cell }[] }> {
    createStage(db, 'stage', { [name]: values });
    const [inf] = inferColumns(db, 'stage', { decimalSeparator: '.', ...opts });
    dropTyped(db, 'typed');
    await buildTypedTable(db, 'stage', 'typed', [inf!], token);
    const out = db.rows('SELECT * FROM typed').map((r) => r[name] ?? null);
    const rejects = db
      .rows('SELECT row, value FROM typed__rejects ORDER BY row')
      .map((r) => ({ row: r.row ?? null, value: r.value ?? null }));
    return { inf: inf!, out, rejects };
  }

  describe('numbers', () => {
    it('reads signed integers as BIGINT', async () => {
      const { inf, out } = await convert(['1', '-3', '+4', '1000', '0']);
      expect(inf).toMatchObject({ kind: 'integer', duckdbType: 'BIGINT', matchShare: 1 });
      expect(out).toEqual([1, -3, 4, 1000, 0]);
    });

    it('reads grouped integers', async () => {
      const { inf, out } = await convert(['1,234', '12', '1,000,000']);
      expect(inf).toMatchObject({ kind: 'integer', format: '1,234' });
      expect(out).toEqual([1234, 12, 1000000]);
    });

    it('reads decimals (integers among them) as DOUBLE', async () => {
      const { inf, out } = await convert(['1.5', '2', '3.25', '-0.5', '1e3', '.5']);
      expect(inf).toMatchObject({ kind: 'decimal', duckdbType: 'DOUBLE' });
      expect(out).toEqual([1.5, 2, 3.25, -0.5, 1000, 0.5]);
    });

    it('reads decimal commas and grouped decimals when the separator is a comma', async () => {
      const { inf, out } = await convert(['12,5', '1.234,50', '3', '-0,25'], 'v', { decimalSeparator: ',' });
      expect(inf).toMatchObject({ kind: 'decimal', duckdbType: 'DOUBLE', format: '1.234,5' });
      expect(out).toEqual([12.5, 1234.5, 3, -0.25]);
    });

    it('keeps 0/1 quantities as integers', async () => {
      const { inf } = await convert(['0', '1', '1', '0'], 'Quantity');
      expect(inf).toMatchObject({ kind: 'integer', duckdbType: 'BIGINT' });
    });

    it('reads percentages as fractions', async () => {
      const { inf, out } = await convert(['12.5%', '3%', '-1.25 %', '100%']);
      expect(inf).toMatchObject({ kind: 'percent', duckdbType: 'DOUBLE', format: '12.5%' });
      expect(out).toEqual([0.125, 0.03, -0.0125, 1]);
    });
  });

  describe('money', () => {
    it('reads dollars with grouping, minus signs and accounting parentheses', async () => {
      const { inf, out } = await convert(['$1,234.50', '-$5.00', '(5.00)', '$0.99', '$12']);
      expect(inf).toMatchObject({ kind: 'money', duckdbType: 'DOUBLE', format: '$1,234.50' });
      expect(out).toEqual([1234.5, -5, -5, 0.99, 12]);
    });

    it('reads yen, both the ASCII-range ¥ and the full-width ￥', async () => {
      const { inf, out } = await convert(['¥1,234', '￥56', '¥0']);
      expect(inf.kind).toBe('money');
      expect(inf.format).toMatch(/^[¥￥]1,234\.50$/);
      expect(out).toEqual([1234, 56, 0]);
    });

    it('reads 1.234,50 € even in a file whose decimal separator is a dot', async () => {
      const { inf, out } = await convert(['1.234,50 €', '12,00 €', '0,99 €']);
      expect(inf).toMatchObject({ kind: 'money', format: '1.234,50 €' });
      expect(out).toEqual([1234.5, 12, 0.99]);
    });

    it.each([
      [['USD 12.00', 'USD 1,000.25'], [12, 1000.25], 'USD 1,234.50'],
      [['12.00 RMB', '3.5 RMB'], [12, 3.5], '1,234.50 RMB'],
      [['12元', '8.5元'], [12, 8.5], '1,234.50元'],
      [['£3.50', '£10'], [3.5, 10], '£1,234.50'],
      [['€3.50', '€10'], [3.5, 10], '€1,234.50'],
    ])('reads %j', async (values, expected, format) => {
      const { inf, out } = await convert(values);
      expect(inf).toMatchObject({ kind: 'money', format });
      expect(out).toEqual(expected);
    });
  });

  describe('booleans', () => {
    it.each([
      [['yes', 'no', 'Yes', 'NO'], 'yes/no', [true, false, true, false]],
      [['Y', 'N', 'y'], 'y/n', [true, false, true]],
      [['TRUE', 'FALSE', 'true'], 'true/false', [true, false, true]],
      [['是', '否', '是'], '是/否', [true, false, true]],
    ])('reads %j', async (values, format, expected) => {
      const { inf, out } = await convert(values);
      expect(inf).toMatchObject({ kind: 'boolean', duckdbType: 'BOOLEAN', format });
      expect(out).toEqual(expected);
    });

    it('reads 0/1 as booleans only for flag-like names', async () => {
      const flag = await convert(['1', '0', '1'], 'Recommended IND');
      expect(flag.inf).toMatchObject({ kind: 'boolean', format: '1/0' });
      expect(flag.out).toEqual([true, false, true]);
      expect((await convert(['1', '0', '1'], 'is_member')).inf.kind).toBe('boolean');
      expect((await convert(['1', '0', '1'], 'Units')).inf.kind).toBe('integer');
    });

    it('recognises flag names', () => {
      expect(nameSuggestsFlag('Recommended IND')).toBe(true);
      expect(nameSuggestsFlag('isReturning')).toBe(true);
      expect(nameSuggestsFlag('是否退款')).toBe(true);
      expect(nameSuggestsFlag('Quantity')).toBe(false);
      expect(nameSuggestsFlag('Island')).toBe(false);
    });
  });

  describe('dates', () => {
    it.each([
      ['yyyy-mm-dd', ['2011-03-10', '2011-12-09', '2010-1-5'], ['2011-03-10', '2011-12-09', '2010-01-05']],
      ['yyyy/mm/dd', ['2011/03/10', '2011/12/09'], ['2011-03-10', '2011-12-09']],
      ['m/d/yyyy', ['11/8/2016', '12/31/2016', '1/5/2017'], ['2016-11-08', '2016-12-31', '2017-01-05']],
      ['d/m/yyyy', ['8/11/2016', '31/12/2016', '5/1/2017'], ['2016-11-08', '2016-12-31', '2017-01-05']],
      ['dd-mm-yyyy', ['30-10-2016', '09-04-2017'], ['2016-10-30', '2017-04-09']],
      ['dd.mm.yyyy', ['30.10.2016', '09.04.2017'], ['2016-10-30', '2017-04-09']],
      ['yyyy年m月d日', ['2016年3月5日', '2016年12月31日'], ['2016-03-05', '2016-12-31']],
      ['m/d/yy', ['11/8/16', '12/31/16'], ['2016-11-08', '2016-12-31']],
    ])('reads %s', async (format, values, expected) => {
      const { inf, out } = await convert(values);
      expect(inf).toMatchObject({ kind: 'date', duckdbType: 'DATE', format, matchShare: 1 });
      expect(inf.ambiguous).toBeUndefined();
      expect(out).toEqual(expected);
    });

    it('assumes month first for ambiguous slashed dates and says so', async () => {
      const { inf, out } = await convert(['1/2/2016', '3/4/2016', '12/11/2016']);
      expect(inf).toMatchObject({ kind: 'date', ambiguous: true, format: 'm/d/yyyy (ambiguous: assumed month first)' });
      expect(out).toEqual(['2016-01-02', '2016-03-04', '2016-12-11']);
    });

    it('assumes day first for ambiguous dashed dates', async () => {
      const { inf, out } = await convert(['01-02-2016', '03-04-2016']);
      expect(inf).toMatchObject({ kind: 'date', ambiguous: true, format: 'dd-mm-yyyy (ambiguous: assumed day first)' });
      expect(out).toEqual(['2016-02-01', '2016-04-03']);
    });

    it('reads yyyymmdd only when the name says date', async () => {
      const dated = await convert(['20160305', '20161231'], 'order_date');
      expect(dated.inf).toMatchObject({ kind: 'date', format: 'yyyymmdd' });
      expect(dated.out).toEqual(['2016-03-05', '2016-12-31']);
      expect((await convert(['20160305', '20161231'], 'amount')).inf.kind).toBe('integer');
    });

    it('rejects impossible calendar dates but keeps them', async () => {
      const values = Array.from({ length: 99 }, (_, i) => `2016-01-${String((i % 28) + 1).padStart(2, '0')}`);
      const { inf, rejects } = await convert([...values, '2016-02-30']);
      expect(inf.kind).toBe('date');
      expect(inf.matchShare).toBeCloseTo(0.99, 5);
      expect(rejects).toEqual([{ row: 100, value: '2016-02-30' }]);
    });
  });

  describe('timestamps', () => {
    it('reads ISO date-times with seconds', async () => {
      const { inf, out } = await convert(['2011-03-10 16:16:00', '2010-12-01 08:26:00']);
      expect(inf).toMatchObject({ kind: 'timestamp', duckdbType: 'TIMESTAMP', format: 'yyyy-mm-dd hh:mm:ss' });
      expect(out).toEqual(['2011-03-10 16:16:00', '2010-12-01 08:26:00']);
    });

    it('reads the T separator, fractions, and drops Z and offsets (no ICU)', async () => {
      const { inf, out } = await convert([
        '2011-03-10T16:16:00Z',
        '2011-03-10T16:16:00.250+02:00',
        '2011-03-10T16:16:05.5-0500',
        '2011-03-10T16:16Z',
      ]);
      expect(inf.kind).toBe('timestamp');
      expect(inf.format).toContain('zone dropped');
      expect(out).toEqual([
        '2011-03-10 16:16:00',
        '2011-03-10 16:16:00.250',
        '2011-03-10 16:16:05.500',
        '2011-03-10 16:16:00',
      ]);
    });

    it('reads US date-times with am/pm and without seconds', async () => {
      const { inf, out } = await convert(['3/10/2011 4:16 PM', '12/13/2010 8:26 AM', '12/1/2010 12:05 AM']);
      expect(inf).toMatchObject({ kind: 'timestamp', format: 'm/d/yyyy hh:mm am/pm' });
      expect(out).toEqual(['2011-03-10 16:16:00', '2010-12-13 08:26:00', '2010-12-01 00:05:00']);
    });

    it('reads a mix of dates and date-times as timestamps', async () => {
      const { inf, out } = await convert(['2011-03-10 16:16', '2011-03-11']);
      expect(inf.kind).toBe('timestamp');
      expect(out).toEqual(['2011-03-10 16:16:00', '2011-03-11 00:00:00']);
    });
  });

  describe('identifiers and text', () => {
    it('keeps zip codes with leading zeros as text ids, never numbers', async () => {
      const values = [...Array.from({ length: 200 }, (_, i) => String(10000 + i * 37)), '05408'];
      const { inf, out, rejects } = await convert(values, 'Postal Code');
      expect(inf).toMatchObject({ kind: 'id', duckdbType: 'VARCHAR', format: 'digits with leading zeros' });
      expect(out.at(-1)).toBe('05408');
      expect(rejects).toEqual([]);
    });

    it('keeps leading zeros as text whatever the column is called', async () => {
      expect((await convert(['00123', '00456', '00789'], 'code')).inf.kind).toBe('id');
    });

    it('reads a lone zero-padded value among quantities as a number', async () => {
      const { inf, out } = await convert(['1', '05', '12', '3'], 'Quantity');
      expect(inf.kind).toBe('integer');
      expect(out).toEqual([1, 5, 12, 3]);
    });

    it('keeps digit strings longer than 15 digits as text ids', async () => {
      const { inf, out } = await convert(['1234567890123456789', '9876543210987654321']);
      expect(inf).toMatchObject({ kind: 'id', format: 'long digit string' });
      expect(out).toEqual(['1234567890123456789', '9876543210987654321']);
    });

    it('keeps invoice numbers with a cancellation prefix as text ids', async () => {
      const values = [...Array.from({ length: 120 }, (_, i) => String(536365 + i)), 'C536379', 'C536383'];
      const { inf, out } = await convert(values, 'InvoiceNo');
      expect(inf).toMatchObject({ kind: 'id', duckdbType: 'VARCHAR' });
      expect(out).toContain('C536379');
    });

    it('does not read version numbers as dates', async () => {
      expect((await convert(['1.2.3', '2.10.1', '3.0.12'], 'version')).inf.kind).toBe('text');
    });

    it('keeps free text as text', async () => {
      const { inf, out } = await convert(['WHITE HANGING HEART', 'REGENCY CAKESTAND 3 TIER', 'NA']);
      expect(inf).toMatchObject({ kind: 'text', duckdbType: 'VARCHAR', matchShare: 1 });
      expect(out).toEqual(['WHITE HANGING HEART', 'REGENCY CAKESTAND 3 TIER', null]);
    });

    it('keeps an entirely empty column as text', async () => {
      const { inf, out } = await convert(['', 'NA', null]);
      expect(inf).toMatchObject({ kind: 'text', sampled: 0 });
      expect(out).toEqual([null, null, null]);
    });
  });

  describe('missing values and type problems', () => {
    it('treats NA, N/A, null, -, NaN, #N/A and blanks as missing, not as problems', async () => {
      const { inf, out, rejects } = await convert([
        '1',
        'NA',
        '',
        'N/A',
        'null',
        'NULL',
        '-',
        'NaN',
        '#N/A',
        '  ',
        '2',
      ]);
      expect(inf).toMatchObject({ kind: 'integer', matchShare: 1, sampled: 2 });
      expect(out).toEqual([1, null, null, null, null, null, null, null, null, null, 2]);
      expect(rejects).toEqual([]);
    });

    it('converts a 99 % numeric column and keeps the 1 % that did not parse in the rejects table', async () => {
      const values = Array.from({ length: 200 }, (_, i) => (i % 2 ? `${i}.5` : String(i)));
      values[17] = 'twelve';
      values[150] = '3 pcs';
      const { inf, out, rejects } = await convert(values, 'UnitPrice');
      expect(inf).toMatchObject({ kind: 'decimal', duckdbType: 'DOUBLE' });
      expect(inf.matchShare).toBeCloseTo(0.99, 10);
      expect(out[17]).toBeNull();
      expect(out[16]).toBe(16);
      expect(rejects).toEqual([
        { row: 18, value: 'twelve' },
        { row: 151, value: '3 pcs' },
      ]);
      expect(db.rows('SELECT DISTINCT "column" FROM typed__rejects')).toEqual([{ column: 'UnitPrice' }]);
    });

    it('keeps a column that is only 97 % numeric as text and says how close it came', async () => {
      const values = Array.from({ length: 100 }, (_, i) => String(i));
      values[1] = 'x';
      values[2] = 'y';
      values[3] = 'z';
      const { inf, rejects } = await convert(values);
      expect(inf.kind).toBe('text');
      expect(inf.nearMiss?.kind).toBe('integer');
      expect(inf.nearMiss?.share).toBeCloseTo(0.97, 10);
      expect(rejects).toEqual([]);
    });
  });

  describe('tables', () => {
    it('keeps column order and awkward names, and copies typed columns as they are', async () => {
      db.exec(`CREATE OR REPLACE TABLE stage AS SELECT * FROM (VALUES
        ('1', 'a', 2.5::DOUBLE, DATE '2020-01-02', '2020-01-02'),
        ('2', 'b', 3.5::DOUBLE, DATE '2020-01-03', '2020-01-03')
      ) t("订单 编号", "it's ""quoted""", "price", "day", "value")`);
      const inferred = inferColumns(db, 'stage', { decimalSeparator: '.' });
      expect(inferred.map((c) => [c.name, c.kind, c.duckdbType])).toEqual([
        ['订单 编号', 'integer', 'BIGINT'],
        ['it\'s "quoted"', 'text', 'VARCHAR'],
        ['price', 'decimal', 'DOUBLE'],
        ['day', 'date', 'DATE'],
        ['value', 'date', 'DATE'],
      ]);
      dropTyped(db, 'typed');
      const { rejects } = await buildTypedTable(db, 'stage', 'typed', inferred, token);
      expect(rejects).toBe(0);
      expect(db.rows('SELECT * FROM typed')).toEqual([
        { '订单 编号': 1, 'it\'s "quoted"': 'a', price: 2.5, day: '2020-01-02', value: '2020-01-02' },
        { '订单 编号': 2, 'it\'s "quoted"': 'b', price: 3.5, day: '2020-01-03', value: '2020-01-03' },
      ]);
    });

    it('samples a column that is empty at the top of a long table on its own', async () => {
      const late = [...Array.from({ length: 30 }, () => ''), ...Array.from({ length: 30 }, (_, i) => String(i))];
      const text = Array.from({ length: 60 }, (_, i) => `row ${i}`);
      createStage(db, 'stage', { late, text });
      const [lateInf] = inferColumns(db, 'stage', { decimalSeparator: '.', sampleRows: 20 });
      expect(lateInf).toMatchObject({ kind: 'integer', sampled: 20 });
    });

    it('decides every column of a wide table in two scans', () => {
      createStage(db, 'stage', { a: ['1'], b: ['x'], c: ['2020-01-01'], d: ['$5'] });
      const statements: string[] = [];
      const spy = db.rows.bind(db);
      db.rows = (sql: string) => {
        statements.push(sql);
        return spy(sql);
      };
      const tableSpy = db.table.bind(db);
      db.table = (sql: string) => {
        statements.push(sql);
        return tableSpy(sql);
      };
      try {
        inferColumns(db, 'stage', { decimalSeparator: '.' });
      } finally {
        db.rows = spy;
        db.table = tableSpy;
      }
      // One catalogue look-up, one sniffing scan, one verification scan (`rows` calls `table`).
      expect(new Set(statements).size).toBe(3);
    });

    it('leaves nothing behind when cancelled', async () => {
      createStage(db, 'stage', { v: ['1', '2'] });
      const inferred = inferColumns(db, 'stage', { decimalSeparator: '.' });
      dropTyped(db, 'typed');
      await expect(buildTypedTable(db, 'stage', 'typed', inferred, { cancelled: true })).rejects.toMatchObject({
        code: 'cancelled',
      });
      expect(db.scalar("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'typed%'")).toBe(0);
    });

    it('does not clobber an existing table or its rejects', async () => {
      createStage(db, 'stage', { v: ['1', '2'] });
      const inferred = inferColumns(db, 'stage', { decimalSeparator: '.' });
      dropTyped(db, 'typed');
      await buildTypedTable(db, 'stage', 'typed', inferred, token);
      db.exec(`INSERT INTO typed__rejects VALUES (1, 'v', 'kept')`);
      await expect(buildTypedTable(db, 'stage', 'typed', inferred, token)).rejects.toThrow(/already exists/);
      expect(db.scalar('SELECT count(*) FROM typed__rejects')).toBe(1);
    });
  });
});
