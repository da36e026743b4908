import { describe, expect, it } from 'vitest';
import { columnNames, extendColumnNames, generatedName, parseSample, sniffDialect } from './csv-sniff';
import { CORPUS } from './fixtures/corpus';

const decode = (b: Uint8Array) => new TextDecoder().decode(b);

describe('parseSample', () => {
  it('handles quotes, doubled quotes, embedded delimiters and newlines, and all line endings', () => {
    const p = parseSample('a,b\r\n"x, ""y""","1\n2"\r3,4\n', { delimiter: ',', quote: '"', escape: '"' });
    expect(p.records.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['x, "y"', '1\n2'],
      ['3', '4'],
    ]);
    expect(p.records.map((r) => r.line)).toEqual([1, 2, 4]);
    expect(p.newlines).toEqual({ crlf: 1, lf: 1, cr: 1 });
  });

  it('supports backslash escapes and reports text after a closing quote', () => {
    const p = parseSample('a,"say \\"hi\\""\nb,"x"y\n', { delimiter: ',', quote: '"', escape: '\\' });
    expect(p.records[0]?.fields).toEqual(['a', 'say "hi"']);
    expect(p.strayQuotes).toBe(1);
  });

  it('drops the last, possibly cut-off record of a partial sample', () => {
    const partial = parseSample('a,b\n1,2\n3,"long', { delimiter: ',', quote: '"', escape: '"' }, false);
    expect(partial.records).toHaveLength(2);
    expect(partial.unterminatedQuoteLine).toBeNull();
    const whole = parseSample('a,b\n1,2\n3,"long\n4,5\n', { delimiter: ',', quote: '"', escape: '"' }, true);
    expect(whole.unterminatedQuoteLine).toBe(3);
  });

  it('marks blank lines', () => {
    const p = parseSample('a\n\n"" \n', { delimiter: ',', quote: '"', escape: '"' });
    expect(p.records.map((r) => r.blank)).toEqual([false, true, false]);
  });
});

describe('sniffDialect', () => {
  it.each([
    ['comma', 'id,name,price\n1,Mug,4.5\n2,Pen,1.2\n', ','],
    ['semicolon', decode(CORPUS.european.bytes), ';'],
    ['tab', decode(CORPUS.tsv.bytes), '\t'],
    ['pipe', decode(CORPUS.pipe.bytes), '|'],
    ['comma with semicolons in text', 'id,note\n1,"a;b;c"\n2,x;y\n3,z\n', ','],
  ])('finds the %s delimiter', (_label, text, delimiter) => {
    expect(sniffDialect(text).dialect.delimiter).toBe(delimiter);
  });

  it('prefers the delimiter the extension suggests for one-column files', () => {
    expect(sniffDialect('sku\nA\nB\n', { preferredDelimiter: '\t' }).dialect.delimiter).toBe('\t');
    expect(sniffDialect('sku\nA\nB\n').dialect.delimiter).toBe(',');
  });

  it('picks single quotes only when they enclose fields', () => {
    expect(sniffDialect("id,name\n1,'Smith, J'\n2,'Doe, A'\n").dialect.quote).toBe("'");
    expect(sniffDialect("id,name\n1,Men's shirt\n2,Kid's cap\n").dialect.quote).toBe('"');
  });

  it('picks a backslash escape when quotes are escaped that way', () => {
    const d = sniffDialect('id,text\n1,"he said \\"hi, there\\""\n2,"plain"\n').dialect;
    expect(d.escape).toBe('\\');
    expect(sniffDialect('id,text\n1,"he said ""hi, there"""\n').dialect.escape).toBe('"');
  });

  it('detects a header above numbers and dates, and its absence', () => {
    expect(sniffDialect('order,date,amount\nA1,2024-01-02,3.5\nA2,2024-01-03,4\n').dialect.header).toBe(true);
    expect(sniffDialect(decode(CORPUS.noHeader.bytes)).dialect.header).toBe(false);
    // Text-only: a header unless the first row's values recur below (categories).
    expect(sniffDialect('name,city\nAnn,Paris\nBob,Rome\n').dialect.header).toBe(true);
    expect(sniffDialect('Yes,Red\nNo,Blue\nYes,Red\nNo,Green\n').dialect.header).toBe(false);
    // A lone row of names is a header (a header-only file); a lone row of numbers is data.
    expect(sniffDialect('a,b,c\n').dialect.header).toBe(true);
    expect(sniffDialect('1,2,3\n').dialect.header).toBe(false);
  });

  it('detects decimal commas in semicolon files only', () => {
    expect(sniffDialect(decode(CORPUS.european.bytes)).dialect.decimalSeparator).toBe(',');
    expect(sniffDialect('a;b\n1.5;2.25\n').dialect.decimalSeparator).toBe('.');
    expect(sniffDialect('a,b\n"1,5","2,25"\n').dialect.decimalSeparator).toBe('.');
  });

  it('reports empty and duplicate header names with DuckDB-style replacements', () => {
    const s = sniffDialect(decode(CORPUS.duplicateAndEmptyNames.bytes));
    expect(s.columns).toEqual(['id', 'name', 'column2', 'Name_1', 'name_2']);
    expect(s.warnings.map((w) => [w.code, w.message])).toEqual([
      ['empty_column_name', 'Column 3 has no name in the header; it was named "column2".'],
      ['duplicate_column_name', 'The header has "Name" more than once; column 4 was renamed "Name_1".'],
      ['duplicate_column_name', 'The header has "name" more than once; column 5 was renamed "name_2".'],
    ]);
  });

  it('notes mixed line endings and ragged rows in the sample', () => {
    expect(sniffDialect(decode(CORPUS.mixedNewlines.bytes)).mixedNewlines).toBe(true);
    expect(sniffDialect('a,b\r\n1,2\r\n').mixedNewlines).toBe(false);
    const s = sniffDialect(decode(CORPUS.ragged.bytes));
    expect(s).toMatchObject({
      fieldCount: 3,
      maxFields: 4,
      shortRows: 1,
      longRows: 1,
      firstShortLine: 3,
      firstLongLine: 5,
    });
    // A trailing delimiter is not a surplus value (DuckDB accepts it).
    expect(sniffDialect('a,b\n1,2,\n3,4,,\n').longRows).toBe(0);
    // Nor is it an unnamed column when every line ends with one.
    expect(sniffDialect('a,b,\n1,2,\n3,4,\n')).toMatchObject({ columns: ['a', 'b'], warnings: [], shortRows: 0 });
    expect(sniffDialect('a,b,\n1,2\n3,4\n')).toMatchObject({ columns: ['a', 'b'], warnings: [], shortRows: 0 });
    expect(sniffDialect('a,b,\n1,2,x\n').columns).toEqual(['a', 'b', 'column2']);
  });

  it('skips title lines above the table', () => {
    const s = sniffDialect(decode(CORPUS.preamble.bytes));
    expect(s.skipRows).toBe(2);
    expect(s.columns).toEqual(['region', 'units', 'revenue']);
    expect(s.warnings[0]).toMatchObject({ code: 'skipped_lines', params: { count: 1, line: 1 } });
    expect(sniffDialect('\n\na,b\n1,2\n')).toMatchObject({ skipRows: 2, warnings: [] });
  });

  it('honours overrides', () => {
    const s = sniffDialect('a;b,c\n1;2,3\n', { override: { delimiter: ';', header: false, decimalSeparator: ',' } });
    expect(s.dialect).toEqual({ delimiter: ';', quote: '"', escape: '"', header: false, decimalSeparator: ',' });
    expect(s.columns).toEqual(['column0', 'column1']);
  });
});

describe('column names', () => {
  it('pads generated names like DuckDB (column0…column9, column00…column10)', () => {
    expect(generatedName(3, 4)).toBe('column3');
    expect(generatedName(3, 11)).toBe('column03');
    expect(columnNames(null, 3).names).toEqual(['column0', 'column1', 'column2']);
  });

  it('never produces a name twice, even against existing generated-looking names', () => {
    expect(columnNames(['column1', '', 'A', 'a', 'a_1'], 5).names).toEqual(['column1', 'column1_1', 'A', 'a_2', 'a_1']);
    expect(extendColumnNames(['a', 'column1'], 3)).toEqual(['a', 'column1', 'column2']);
  });
});
