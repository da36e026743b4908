/**
 * Broken, odd and hostile files, uploaded through the real file input one after the other in a
 * single session that first loaded a good table.
 *
 * Each file must end in exactly one of:
 * - a specific `load-error` notice that names the file, says what is wrong (and where, when the
 *   app knows the line) and what to do, and no new table; or
 * - a new table with the right rows and values, and a `load-warning` notice when something was
 *   repaired or guessed (none when the file was simply unusual but valid).
 * After every case the first table is still listed and browsable, and the SQL console answers.
 *
 * Plus: cancelling a ~60 MB load, and the encoding override changing how an ambiguous file reads.
 * Most text files come from the unit tests' corpus (src/lib/data/ingest/fixtures/corpus.ts).
 */
import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, GBK, utf16 } from '../src/lib/data/ingest/fixtures/corpus';
import type { EncodingChoice } from './pages/app-page';
import { PNG_1PX, bigCsvFile, gzip, storedZip, workbook } from './fixtures/files';
import { useSharedApp } from './fixtures/session';

const BASELINE = 'baseline';
const BASELINE_CSV = 'order_id,customer,amount\n1001,Ann,19.99\n1002,Bob,5.00\n1003,Cid,7.25\n';
const BASELINE_CELLS = [
  ['1001', 'Ann', '19.99'],
  ['1002', 'Bob', '5'],
  ['1003', 'Cid', '7.25'],
];
/** The hint every load error ends with. */
const FAILED_HINT = 'Tables loaded before are unchanged. Fix the file or choose another encoding, then try again.';

interface Case {
  title: string;
  file: { name: string; bytes: Uint8Array | string };
  /** A refused file: substrings of the one load-error notice (besides "Could not load <file>"). */
  error?: string[];
  /** A loaded file: the new table … */
  table?: string;
  rows?: number;
  columns?: string[];
  /** … its first rows as shown in the grid, */
  cells?: string[][];
  /** … and the exact text of its load-warning notice(s); [] = no notice at all. */
  warnings?: string[];
  /** Substrings of the one warning, when its exact text is not the point. */
  warningIncludes?: string[];
  /** More checks on the loaded table (the data tab of `table` is open). */
  extra?: () => Promise<void>;
}

describe('malformed input: a specific error or a visible warning, and the app stays usable', () => {
  const s = useSharedApp();
  let probe = 0;

  beforeAll(async () => {
    const outcome = await s.app.loadFile({ name: 'baseline.csv', bytes: BASELINE_CSV, mimeType: 'text/csv' });
    expect(outcome.added).toEqual([BASELINE]);
  });

  /** The first table is listed first, browses to its three rows, and the SQL console answers. */
  async function expectStillUsable(): Promise<void> {
    expect((await s.app.tableNames())[0]).toBe(BASELINE);
    await s.app.openTable(BASELINE);
    expect(await s.app.rowCounts()).toEqual({ shown: 3, total: 3 });
    expect(await s.app.waitForGridRows(3)).toEqual(BASELINE_CELLS);
    probe += 1;
    const answer = await s.app.runSql(`SELECT ${probe} AS probe, count(*) AS n FROM ${BASELINE}`);
    expect(answer.error).toBeNull();
    expect(await s.app.gridCellTexts()).toEqual([[String(probe), '3']]);
    const since = s.since();
    expect(since.pageErrors).toEqual([]);
    expect(since.consoleErrors).toEqual([]);
    expect(since.offOriginRequests).toEqual([]);
  }

  /** SQL helper: the cells of a query's result. */
  async function sqlCells(sql: string): Promise<string[][]> {
    const outcome = await s.app.runSql(sql);
    expect(outcome.error, sql).toBeNull();
    return s.app.gridCellTexts();
  }

  const mostlyNumbers =
    'sku,qty\n' + Array.from({ length: 100 }, (_, i) => `S${i},${i === 42 ? 'ten' : i}`).join('\n') + '\n';
  const halfXlsx = (() => {
    const book = workbook({
      Data: [
        ['sku', 'qty'],
        ['A', 1],
        ['B', 2],
      ],
    });
    return book.subarray(0, Math.floor(book.length / 2));
  })();

  const cases: Case[] = [
    // ── Refused, with a specific message ────────────────────────────────────────────────────
    {
      title: 'an empty (0-byte) file',
      file: CORPUS.empty,
      error: ['empty.csv is empty. Export the data again and check that the file has rows.'],
    },
    {
      title: 'a file of only a BOM and blank lines',
      file: CORPUS.whitespaceOnly,
      error: ['blank.csv is empty.'],
    },
    {
      title: 'an unbalanced quote (line 3)',
      file: CORPUS.unbalancedQuotes,
      error: [
        'Line 3 of unbalanced.csv opens a quoted value with " that is not closed properly',
        'Look for a stray " on that line: delete it, or write it twice ("")',
      ],
    },
    {
      title: 'text after a closing quote (line 3)',
      file: CORPUS.strayQuote,
      error: ['Line 3 of stray_quote.csv opens a quoted value with " that is not closed properly'],
    },
    {
      title: 'binary junk named .csv',
      file: CORPUS.binaryJunk,
      error: [
        'orders.csv contains binary data, not a table ShopSight can read.',
        'Export your data as CSV (UTF-8), Excel (.xlsx), Parquet or JSON and load that file instead.',
      ],
    },
    {
      title: 'a ZIP archive named .csv',
      file: { name: 'archive.csv', bytes: storedZip({ 'orders.csv': 'id,amount\n1,2\n' }) },
      error: [
        'archive.csv is a ZIP archive, not a table. Unzip it first, then load the CSV, Excel or Parquet file inside.',
      ],
    },
    {
      title: 'a PNG image named .csv',
      file: { name: 'photo.csv', bytes: PNG_1PX },
      error: ['photo.csv is a PNG image, not a table ShopSight can read.'],
    },
    {
      title: 'a truncated .csv.gz',
      file: { name: 'orders.csv.gz', bytes: gzip('id,amount\n'.repeat(1000)).subarray(0, 40) },
      error: ['orders.csv.gz looks like a gzip file but could not be decompressed', 'download or export it again'],
    },
    {
      title: 'a truncated .xlsx',
      file: { name: 'broken.xlsx', bytes: halfXlsx },
      error: [
        'broken.xlsx could not be read as an Excel workbook',
        'save it again as .xlsx, or export the sheet as CSV',
      ],
    },
    {
      title: 'JSON Lines with a trailing comma (line 2, column 8)',
      file: { name: 'events.jsonl', bytes: '{"a":1}\n{"a":2,}\n' },
      error: ['events.jsonl is not valid JSON: Trailing comma before } at line 2, column 8.', 'Fix that spot'],
    },
    // ── Loaded, with a warning that says what was repaired or guessed ─────────────────────────
    {
      title: 'a header without rows',
      file: CORPUS.headerOnly,
      table: 'header_only',
      rows: 0,
      columns: ['order_id', 'amount', 'order_date'],
      cells: [],
      warnings: [
        'header_only: Loaded with 1 warning(s) header_only.csv has a header row but no data rows, so the table is empty.',
      ],
      extra: async () => {
        expect(await s.app.grid.getByText('No rows match.').isVisible()).toBe(true);
      },
    },
    {
      title: 'ragged rows: a short row (line 3) and one with a surplus value (line 5)',
      file: CORPUS.ragged,
      table: 'ragged',
      rows: 5,
      columns: ['order_id', 'customer', 'amount', 'column3'],
      cells: [
        ['1', 'Ann', '10.5', 'empty'],
        ['2', 'Bob', 'empty', 'empty'],
        ['3', 'Cid', '7', 'empty'],
        ['4', 'Smith', 'John', '12'],
        ['5', 'Eve', '3', 'empty'],
      ],
      warnings: [
        'ragged: Loaded with 2 warning(s) ' +
          '1 row has fewer values than the 3 columns of the header (first at line 3); the missing cells were left empty. ' +
          '1 row has more values than the 3 columns of the header (first at line 5); the extra values are in the new column "column3". A value with an unquoted delimiter usually causes this.',
      ],
    },
    {
      title: 'only short rows (lines 3 and 4)',
      file: CORPUS.raggedShortOnly,
      table: 'short_rows',
      rows: 4,
      columns: ['a', 'b', 'c'],
      cells: [
        ['1', '2', '3'],
        ['4', '5', 'empty'],
        ['6', 'empty', 'empty'],
        ['7', '8', '9'],
      ],
      warnings: [
        'short_rows: Loaded with 1 warning(s) 2 rows have fewer values than the 3 columns of the header (first at line 3); the missing cells were left empty.',
      ],
    },
    {
      title: 'invalid UTF-8 (one stray byte on line 3)',
      file: CORPUS.invalidUtf8,
      table: 'invalid_utf8',
      rows: 2,
      columns: ['name', 'city'],
      cells: [
        ['José', 'München'],
        ['Bad\uFFFDByte', '北京'],
      ],
      warnings: [
        'invalid_utf8: Loaded with 1 warning(s) invalid_utf8.csv has 1 byte sequence that is not valid UTF-8 (first at line 3, byte 28); they were replaced with "\uFFFD". If many letters look wrong, choose the file\'s encoding by hand.',
      ],
    },
    {
      title: 'GBK (Chinese Excel) without a BOM: detected, the header 订单编号 reads right',
      file: CORPUS.gbk,
      table: 'gbk_orders',
      rows: 3,
      columns: ['订单编号', '客户', '金额'],
      cells: [
        ['A001', '北京', '12.5'],
        ['A002', '上海', '8'],
        ['A003', '北京', '3.2'],
      ],
      warnings: [
        'gbk_orders: Loaded with 1 warning(s) gbk_orders.csv is not UTF-8; it was read as GB18030 / GBK (Chinese). If letters look wrong, choose the encoding by hand and load it again.',
      ],
      extra: async () => {
        expect(await s.app.tableMeta()).toBe('3 rows · 3 · gbk_orders.csv · gb18030');
      },
    },
    {
      title: 'Windows-1252: curly quotes, é and an en dash survive',
      file: CORPUS.cp1252,
      table: 'cp1252',
      rows: 2,
      columns: ['name', 'note', 'size'],
      cells: [
        ['Café', '\u201cbest\u201d coffee', '5\u201310'],
        ['Tea', 'plain', '1'],
      ],
      warnings: [
        'cp1252: Loaded with 1 warning(s) cp1252.csv is not UTF-8; it was read as Windows-1252 (Western European). If letters look wrong, choose the encoding by hand and load it again.',
      ],
    },
    {
      title: 'an empty and two duplicate column names',
      file: CORPUS.duplicateAndEmptyNames,
      table: 'names',
      rows: 2,
      columns: ['id', 'name', 'column2', 'Name_1', 'name_2'],
      cells: [
        ['1', 'a', 'b', 'c', 'd'],
        ['2', 'e', 'f', 'g', 'h'],
      ],
      warnings: [
        'names: Loaded with 3 warning(s) Column 3 has no name in the header; it was named "column2". ' +
          'The header has "Name" more than once; column 4 was renamed "Name_1". ' +
          'The header has "name" more than once; column 5 was renamed "name_2".',
      ],
    },
    {
      title: 'a column of 99 % numbers and 1 % text: whole numbers, the text kept in the rejects table',
      file: { name: 'qty_mostly.csv', bytes: mostlyNumbers },
      table: 'qty_mostly',
      rows: 100,
      columns: ['sku', 'qty'],
      cells: [
        ['S0', '0'],
        ['S1', '1'],
      ],
      warnings: [
        'qty_mostly: Loaded with 1 warning(s) 1 value in "qty" did not read as whole numbers (e.g. "ten" in row 43); they are empty in the table and kept in the rejects list.',
      ],
      extra: async () => {
        expect(await s.app.gridColumnTypes()).toEqual(['VARCHAR', 'BIGINT']);
        expect(await sqlCells(`SELECT qty FROM qty_mostly WHERE sku = 'S42'`)).toEqual([['empty']]);
        expect(await sqlCells('SELECT "column", value, row FROM qty_mostly__rejects')).toEqual([['qty', 'ten', '43']]);
      },
    },
    {
      title: 'an .xlsx named .csv: read as a workbook, with a wrong-extension warning',
      file: {
        name: 'export.csv',
        bytes: workbook({
          Data: [
            ['sku', 'qty'],
            ['A', 1],
            ['B', 2],
          ],
        }),
      },
      table: 'export',
      rows: 2,
      columns: ['sku', 'qty'],
      cells: [
        ['A', '1'],
        ['B', '2'],
      ],
      warnings: [
        'export: Loaded with 1 warning(s) export.csv is really an Excel workbook (.xlsx); it was read as such. Renaming it would avoid surprises in other tools.',
      ],
    },
    {
      title: 'a title line above the header',
      file: CORPUS.preamble,
      table: 'report',
      rows: 2,
      columns: ['region', 'units', 'revenue'],
      cells: [
        ['North', '10', '99.5'],
        ['South', '7', '70.1'],
      ],
      warningIncludes: ['("Sales report 2024")', 'skipped'],
    },
    // ── Unusual but valid: loaded as they are, no notice ─────────────────────────────────────
    {
      title: 'quoted newlines, delimiters, doubled quotes and CRLF inside quotes',
      file: CORPUS.embedded,
      table: 'embedded',
      rows: 4,
      columns: ['id', 'description', 'price'],
      cells: [
        ['1', 'Line one\nline two, with a comma', '9.99'],
        ['2', 'He said "hello"', '1'],
        ['3', 'a;b|c\tTab', '2.5'],
        ['4', 'Windows\r\nbreak', '3'],
      ],
      warnings: [],
    },
    {
      title: 'mixed CRLF and LF line endings',
      file: CORPUS.mixedNewlines,
      table: 'mixed',
      rows: 4,
      columns: ['id', 'name'],
      cells: [
        ['1', 'Ann'],
        ['2', 'Bob'],
        ['3', 'Cid'],
        ['4', 'Dee'],
      ],
      warnings: [],
    },
    {
      title: 'a 100,000-character field',
      file: CORPUS.longField,
      table: 'long_field',
      rows: 2,
      columns: ['id', 'review', 'stars'],
      warnings: [],
      extra: async () => {
        const lengths = await s.app.gridRows.evaluateAll((rows) =>
          rows.map((row) => row.querySelectorAll('[data-testid="grid-cell"]')[1]?.textContent?.length ?? -1),
        );
        expect(lengths).toEqual([100_000, 5]);
        expect(await sqlCells('SELECT max(length(review)) AS longest, sum(stars) AS stars FROM long_field')).toEqual([
          ['100000', '9'],
        ]);
      },
    },
    {
      title: 'UTF-16 LE without a BOM',
      file: CORPUS.utf16leNoBom,
      table: 'utf16le_nobom',
      rows: 2,
      columns: ['name', 'price'],
      cells: [
        ['Café', '3.5'],
        ['北京', '8'],
      ],
      warnings: [],
      extra: async () => {
        expect(await s.app.tableMeta()).toBe('2 rows · 2 · utf16le_nobom.csv · utf-16le');
      },
    },
    {
      title: 'UTF-16 BE without a BOM',
      file: { name: 'utf16be_nobom.csv', bytes: utf16('name,price\nCafé,3.5\n北京,8\n', 'be', false) },
      table: 'utf16be_nobom',
      rows: 2,
      columns: ['name', 'price'],
      cells: [
        ['Café', '3.5'],
        ['北京', '8'],
      ],
      warnings: [],
      extra: async () => {
        expect(await s.app.tableMeta()).toBe('2 rows · 2 · utf16be_nobom.csv · utf-16be');
      },
    },
    {
      title: 'a UTF-8 BOM before a Chinese header',
      file: CORPUS.utf8Bom,
      table: 'bom',
      rows: 2,
      columns: ['名称', '价格'],
      cells: [
        ['咖啡', '12.5'],
        ['茶', '8'],
      ],
      warnings: [],
    },
    {
      title: '99.9 % numbers and one "N/A" (a missing-value marker, not text)',
      file: CORPUS.mostlyNumbers,
      table: 'mostly_numbers',
      rows: 1000,
      columns: ['sku', 'qty'],
      warnings: [],
      extra: async () => {
        expect(await s.app.gridColumnTypes()).toEqual(['VARCHAR', 'BIGINT']);
        expect(await sqlCells(`SELECT count(qty) AS n, max(qty) AS top FROM mostly_numbers`)).toEqual([['999', '999']]);
      },
    },
  ];

  for (const c of cases) {
    it(`${c.file.name}: ${c.title}`, async () => {
      const before = await s.app.tableNames();
      const outcome = await s.app.loadFile(c.file);

      if (c.error) {
        expect(outcome.added).toEqual([]);
        expect(outcome.warnings).toEqual([]);
        expect(outcome.errors).toHaveLength(1);
        const text = outcome.errors[0] ?? '';
        expect(text).toContain(`Could not load ${c.file.name}`);
        for (const part of c.error) expect(text).toContain(part);
        expect(text).toContain(FAILED_HINT);
        expect(await s.app.tableNames()).toEqual(before);
      } else {
        expect(outcome.errors).toEqual([]);
        expect(outcome.added).toEqual([c.table]);
        if (c.warnings) expect(outcome.warnings).toEqual(c.warnings);
        if (c.warningIncludes) {
          expect(outcome.warnings).toHaveLength(1);
          for (const part of c.warningIncludes) expect(outcome.warnings[0]).toContain(part);
        }
        await s.app.openTable(c.table ?? '');
        expect(await s.app.rowCounts()).toEqual({ shown: c.rows, total: c.rows });
        if (c.columns) expect(await s.app.gridColumnNames()).toEqual(c.columns);
        if (c.cells) expect(await s.app.waitForGridRows(c.cells.length)).toEqual(c.cells);
        await c.extra?.();
      }
      await expectStillUsable();
    });
  }

  it('cancelling a ~60 MB load: an info notice says it was cancelled, no table appears, then a small file loads', async () => {
    const big = await bigCsvFile(60 * 1024 * 1024);
    expect(big.bytes).toBeGreaterThanOrEqual(60 * 1024 * 1024);
    const name = basename(big.path);
    await s.app.dismissNotices();
    const before = await s.app.tableNames();

    await s.app.uploadFiles([big.path]);
    await s.app.progress.first().waitFor({ state: 'visible' });
    expect(await s.app.progress.first().innerText()).toContain(`Loading ${name}…`);
    await s.app.cancelButton.first().click();
    await s.app.waitIdle();

    // Nothing was added, whatever the notice says.
    expect(await s.app.tableNames()).toEqual(before);
    // BUG (see the report): cancelling while DuckDB parses the CSV ends in a load error
    // "file is in use" instead of the "cancelled" notice.
    expect
      .soft(await s.app.noticeList())
      .toEqual([{ testId: 'notice', kind: 'info', text: `Loading ${name} was cancelled. Nothing was changed.` }]);

    const after = await s.app.loadFile({ name: 'after_cancel.csv', bytes: 'sku,qty\nA,1\nB,2\n' });
    expect(after.errors).toEqual([]);
    expect(after.added).toEqual(['after_cancel']);
    await s.app.openTable('after_cancel');
    expect(await s.app.waitForGridRows(2)).toEqual([
      ['A', '1'],
      ['B', '2'],
    ]);
    expect(s.since().pageErrors).toEqual([]);
    await expectStillUsable();
  });

  it('cancelling the same load later, while types are being recognised: the "cancelled" notice, no table', async () => {
    const big = await bigCsvFile(60 * 1024 * 1024);
    const name = basename(big.path);
    await s.app.dismissNotices();
    const before = await s.app.tableNames();

    await s.app.uploadFiles([big.path]);
    // Parsing 60 MB takes about a second here; recognising types and roles about two more.
    await s.app.progress.filter({ hasText: 'Recognising types and roles' }).first().waitFor({ state: 'visible' });
    await s.app.cancelButton.first().click({ timeout: 5_000 });
    await s.app.waitIdle();

    expect(await s.app.tableNames()).toEqual(before);
    expect(await s.app.noticeList()).toEqual([
      { testId: 'notice', kind: 'info', text: `Loading ${name} was cancelled. Nothing was changed.` },
    ]);
    await expectStillUsable();
  });

  it('the encoding override changes how an ambiguous file (GBK bytes, also valid Windows-1252) is read', async () => {
    const windows1252 = (bytes: readonly number[]) => new TextDecoder('windows-1252').decode(Uint8Array.from(bytes));
    const load = async (encoding: EncodingChoice, file: { name: string; bytes: Uint8Array }) => {
      await s.app.setEncoding(encoding);
      const outcome = await s.app.loadFile(file);
      expect(outcome.errors).toEqual([]);
      expect(outcome.added).toHaveLength(1);
      await s.app.openTable(outcome.added[0] ?? '');
      return { ...outcome, table: outcome.added[0] ?? '', meta: await s.app.tableMeta() };
    };
    const ambiguous = { name: 'ambiguous.csv', bytes: CORPUS.gbk.bytes };
    try {
      const latin = await load('windows-1252', ambiguous);
      expect(latin.table).toBe('ambiguous');
      expect(latin.warnings).toEqual([]);
      expect(latin.meta).toBe('3 rows · 3 · ambiguous.csv · windows-1252');
      expect(await s.app.gridColumnNames()).toEqual([
        windows1252(GBK.订单编号),
        windows1252(GBK.客户),
        windows1252(GBK.金额),
      ]);
      expect(await s.app.gridColumnNames()).toEqual(['¶©µ¥±àºÅ', '¿Í»§', '½ð¶î']);
      expect((await s.app.waitForGridRows(1))[0]).toEqual(['A001', '±±¾©', '12.5']);

      const chinese = await load('gb18030', ambiguous);
      expect(chinese.table).toBe('ambiguous_2');
      expect(chinese.warnings).toEqual([]);
      expect(chinese.meta).toBe('3 rows · 3 · ambiguous.csv · gb18030');
      expect(await s.app.gridColumnNames()).toEqual(['订单编号', '客户', '金额']);
      expect((await s.app.waitForGridRows(1))[0]).toEqual(['A001', '北京', '12.5']);

      const forcedUtf8 = await load('utf-8', ambiguous);
      expect(forcedUtf8.meta).toBe('3 rows · 3 · ambiguous.csv · utf-8');
      expect(forcedUtf8.warnings).toEqual([
        'ambiguous_3: Loaded with 1 warning(s) ambiguous.csv has 22 byte sequences that are not valid UTF-8 (first at line 1, byte 0); they were replaced with "\uFFFD". If many letters look wrong, choose the file\'s encoding by hand.',
      ]);

      const automatic = await load('', ambiguous);
      expect(automatic.meta).toBe('3 rows · 3 · ambiguous.csv · gb18030');
      expect(automatic.warnings).toEqual([
        'ambiguous_4: Loaded with 1 warning(s) ambiguous.csv is not UTF-8; it was read as GB18030 / GBK (Chinese). If letters look wrong, choose the encoding by hand and load it again.',
      ]);

      // UTF-16 without a BOM, read with the wrong byte order: one garbled column, no rows.
      const wrongOrder = await load('utf-16be', { name: 'sixteen.csv', bytes: CORPUS.utf16leNoBom.bytes });
      expect(wrongOrder.meta).toBe('0 rows · 1 · sixteen.csv · utf-16be');
      expect(wrongOrder.warnings).toEqual([
        'sixteen: Loaded with 1 warning(s) sixteen.csv has a header row but no data rows, so the table is empty.',
      ]);
      const rightOrder = await load('utf-16le', { name: 'sixteen.csv', bytes: CORPUS.utf16leNoBom.bytes });
      expect(rightOrder.meta).toBe('2 rows · 2 · sixteen.csv · utf-16le');
      expect(await s.app.waitForGridRows(2)).toEqual([
        ['Café', '3.5'],
        ['北京', '8'],
      ]);
    } finally {
      await s.app.setEncoding('');
    }
    await expectStillUsable();
  });

  it('the whole session: the first table is still first, nothing left the origin, nothing threw', async () => {
    expect((await s.app.tableNames())[0]).toBe(BASELINE);
    expect(s.tp.offOriginRequests).toEqual([]);
    expect(s.tp.pageErrors).toEqual([]);
    expect(s.tp.failedRequests).toEqual([]);
  });
});
