import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ShopSightErrorInfo } from '../contracts/data-api';
import { ShopSightError } from '../data/errors';
import { columnNames } from '../data/ingest/csv-sniff';
import { translateCsvError } from '../data/ingest/csv-errors';
import { detectFormat } from '../data/ingest/detect-format';
import { readJsonTable } from '../data/ingest/json';
import { validateTableName } from '../data/table-names';
import { EMBED_ERROR } from '../embed/protocol';
import { readOnlyQuery } from '../sql/read-only';
import {
  MESSAGE_PLACEHOLDER,
  MESSAGE_TEMPLATES,
  codeOfKey,
  localizedMessage,
  placeholdersOf,
  templateKeyFor,
  type MessageInfo,
} from './messages';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SCANNED_DIRS = ['src', 'workers'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|svelte)$/.test(name) && !/\.test\.ts$/.test(name)) out.push(path);
  }
  return out;
}

/** The `{ … }` object literal around `index` (naive brace matching, good enough for this source). */
function enclosingObject(text: string, index: number): string {
  let start = index;
  for (let depth = 0; start > 0; start--) {
    const c = text[start - 1];
    if (c === '}') depth++;
    else if (c === '{') {
      if (depth === 0) break;
      depth--;
    }
  }
  let end = index;
  for (let depth = 0; end < text.length; end++) {
    const c = text[end];
    if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) break;
      depth--;
    }
  }
  return text.slice(start, end);
}

/**
 * Every error/warning code the source produces, with where it was seen:
 * - `code: '<x>'` in an object literal, except quality findings (they have `severity` and
 *   `dimension`; their sentences live in i18n/findings.ts);
 * - `make('<x>', …)` in files that build ShopSightErrors that way (csv-errors.ts);
 * - string literals passed to `toErrorInfo(…)` as the fallback code (workers/data.worker.ts);
 * - the embed layer's `EMBED_ERROR` constants.
 */
function producedCodes(): Map<string, string[]> {
  const codes = new Map<string, string[]>();
  const add = (code: string, where: string) => codes.set(code, [...(codes.get(code) ?? []), where]);
  for (const dir of SCANNED_DIRS) {
    for (const file of sourceFiles(join(REPO, dir))) {
      const text = readFileSync(file, 'utf8');
      const rel = relative(REPO, file);
      for (const m of text.matchAll(/\bcode:\s*'([A-Za-z0-9_]+)'/g)) {
        const object = enclosingObject(text, m.index);
        if (/\bseverity\b/.test(object) && /\bdimension\b/.test(object)) continue;
        add(m[1]!, rel);
      }
      if (text.includes('ShopSightError')) {
        for (const m of text.matchAll(/\bmake\(\s*'([A-Za-z0-9_]+)'/g)) add(m[1]!, rel);
      }
      for (const m of text.matchAll(/\btoErrorInfo\(([^;\n]*)/g)) {
        for (const lit of m[1]!.matchAll(/'([A-Za-z0-9_]+)'/g)) add(lit[1]!, rel);
      }
    }
  }
  for (const code of Object.values(EMBED_ERROR)) add(code, 'src/lib/embed/protocol.ts');
  return codes;
}

const hasChinese = (s: string) => /[\u4e00-\u9fff]/.test(s);

/** Runs `fn`, expecting it to throw a ShopSightError, and returns its info. */
function thrown(fn: () => unknown): ShopSightErrorInfo {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ShopSightError);
    return (error as ShopSightError).toInfo();
  }
  throw new Error('expected a ShopSightError');
}

function expectChinese(info: MessageInfo): string {
  const text = localizedMessage(info, 'zh-CN');
  expect(hasChinese(text), text).toBe(true);
  expect(text, text).not.toMatch(/[{}]/);
  return text;
}

describe('error and warning messages', () => {
  const produced = producedCodes();

  it('finds the codes in the source (the scan itself works)', () => {
    for (const code of [
      'bad_table_name',
      'read_only',
      'csv_ragged_rows',
      'csv_padded_rows',
      'invalid_utf8',
      'fatal',
      'internal',
      'bad_params',
    ]) {
      expect(produced.has(code), code).toBe(true);
    }
    // Quality findings are not errors or warnings.
    expect(produced.has('outliers')).toBe(false);
    expect(produced.size).toBeGreaterThanOrEqual(50);
  });

  it('has a template in both languages for every code the data layer produces', () => {
    const missing = [...produced.keys()].filter((code) => {
      const t = MESSAGE_TEMPLATES[code];
      return !t || !t.en.trim() || !t['zh-CN'].trim();
    });
    expect(missing.map((code) => `${code} (${produced.get(code)!.join(', ')})`)).toEqual([]);
  });

  it('has no template for a code nothing produces (a renamed code leaves none behind)', () => {
    const orphans = Object.keys(MESSAGE_TEMPLATES).filter((key) => !produced.has(codeOfKey(key)));
    expect(orphans).toEqual([]);
  });

  it('keeps the same placeholders in English and Chinese', () => {
    for (const [key, t] of Object.entries(MESSAGE_TEMPLATES)) {
      expect(placeholdersOf(t['zh-CN']).sort(), key).toEqual(placeholdersOf(t.en).sort());
      expect(hasChinese(t['zh-CN']), key).toBe(true);
      expect(t.en, key).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('never leaves a placeholder unfilled, whatever params are missing', () => {
    for (const key of Object.keys(MESSAGE_TEMPLATES)) {
      const code = codeOfKey(key);
      for (const info of [
        { code, message: 'English detail.' },
        { code, message: '' },
        { code, message: 'English detail.', params: { fileName: '', name: '', line: 3 } },
      ]) {
        for (const locale of ['en', 'zh-CN'] as const) {
          expect(localizedMessage(info, locale), `${key} ${locale}`).not.toMatch(/\{\w+\}/);
        }
      }
    }
  });

  it('keeps the variant names meaningful: each segment is a placeholder or a known tag', () => {
    const tags = new Set(['multiple', 'unclosed', 'nested', 'workbook', 'more', 'fewer']);
    for (const [key, t] of Object.entries(MESSAGE_TEMPLATES)) {
      const [code, ...segments] = key.split('.');
      expect(MESSAGE_TEMPLATES[code!], `${key} needs a base template`).toBeDefined();
      for (const s of segments) {
        expect(tags.has(s) || placeholdersOf(t.en).includes(s), `${key}: ${s}`).toBe(true);
      }
    }
  });

  it('uses the English message as it is, and adds a location it does not mention', () => {
    const info = {
      code: 'csv_parse_error',
      message: 'orders.csv could not be read as CSV.',
      params: { fileName: 'orders.csv' },
    };
    expect(localizedMessage(info, 'en')).toBe('orders.csv could not be read as CSV.');
    expect(localizedMessage({ ...info, line: 12 }, 'en')).toBe('orders.csv could not be read as CSV. (line 12)');
    expect(localizedMessage({ ...info, message: 'Line 12 of orders.csv is bad.', line: 12 }, 'en')).toBe(
      'Line 12 of orders.csv is bad.',
    );
    expect(localizedMessage({ ...info, line: 1234, column: 'Price' }, 'en')).toBe(
      'orders.csv could not be read as CSV. (line 1,234, column "Price")',
    );
    // No message: the English template.
    expect(localizedMessage({ code: 'name_taken', message: '', params: { name: 'orders' } }, 'en')).toBe(
      'A table named "orders" already exists.',
    );
  });

  it('falls back to the English message in Chinese when no template fits', () => {
    expect(localizedMessage({ code: 'some_new_code', message: 'Something new.' }, 'zh-CN')).toBe('Something new.');
    // name_taken needs {name}.
    expect(localizedMessage({ code: 'name_taken', message: 'Taken.' }, 'zh-CN')).toBe('Taken.');
    expect(localizedMessage({ code: 'name_taken', message: 'Taken.', line: 2 }, 'zh-CN')).toBe('Taken. (line 2)');
  });

  it('picks the variant that fits the params present', () => {
    const padded = { code: 'csv_padded_rows', message: 'x', params: { count: 3, expected: 5 } };
    expect(templateKeyFor(padded)).toBe('csv_padded_rows');
    expect(templateKeyFor({ ...padded, params: { ...padded.params, line: 7 } })).toBe('csv_padded_rows.line');
    expect(localizedMessage({ ...padded, params: { ...padded.params, line: 7 } }, 'zh-CN')).toBe(
      '有 3 行的值少于表格的 5 列（第一处在第 7 行），缺少的单元格已留空。',
    );
    expect(templateKeyFor({ code: 'no_columns', message: 'x', params: { fileName: '' } })).toBe('no_columns');
    expect(templateKeyFor({ code: 'not_found', message: 'x', params: { name: 't' } })).toBe('not_found.name');
    expect(templateKeyFor({ code: 'not_found', message: 'x', params: { table: 't', column: 'c' } })).toBe(
      'not_found.column',
    );
    expect(
      templateKeyFor({
        code: 'corrupt_gzip',
        message: 'a.gz is compressed several times over.',
        params: { fileName: 'a.gz' },
      }),
    ).toBe('corrupt_gzip.nested');
    expect(templateKeyFor({ code: 'corrupt_gzip', message: 'Bad gzip.', params: { fileName: 'a.gz' } })).toBe(
      'corrupt_gzip.fileName',
    );
    expect(templateKeyFor({ code: 'sql_error', message: 'Binder Error: no column "x".' })).toBe('sql_error.message');
    expect(localizedMessage({ code: 'sql_error', message: 'Binder Error: no column "x".' }, 'zh-CN')).toBe(
      '查询无法运行：Binder Error: no column "x"。请检查表名、列名和语法。',
    );
  });

  it('shows ids (encodings, kinds, formats) as words', () => {
    expect(
      localizedMessage(
        { code: 'encoding_guessed', message: 'x', params: { fileName: 'orders.csv', encoding: 'gb18030' } },
        'zh-CN',
      ),
    ).toBe('orders.csv 不是 UTF-8 编码，已按 GB18030/GBK 编码读取。如果文字显示为乱码，请手动选择编码后重新加载。');
    expect(
      localizedMessage(
        { code: 'kept_as_text', message: 'x', params: { column: '价格', kind: 'money', share: 93.5 } },
        'zh-CN',
      ),
    ).toBe('“价格”保留为文本：只有 93.5% 的值能识别为金额。');
    expect(
      localizedMessage({ code: 'wrong_extension', message: '', params: { fileName: 'a.csv', actual: 'xlsx' } }, 'en'),
    ).toBe(
      'a.csv is really an Excel workbook (.xlsx); it was read as such. Renaming it would avoid surprises in other tools.',
    );
  });

  describe('real errors in Chinese', () => {
    it('SQL console: a write statement', () => {
      const info = thrown(() => readOnlyQuery('DROP TABLE x', 10));
      expect(info.code).toBe('read_only');
      expect(expectChinese(info)).toBe(
        '这里只能运行只读查询（以 SELECT 或 WITH 等开头），而这条语句以“DROP”开头。ShopSight 不会修改您的数据。',
      );
    });

    it('SQL console: two statements, an unclosed string, an empty query, a URL, a bad limit', () => {
      expect(templateKeyFor(thrown(() => readOnlyQuery('SELECT 1; SELECT 2', 10)))).toBe('read_only.multiple');
      expect(templateKeyFor(thrown(() => readOnlyQuery("SELECT 'abc", 10)))).toBe('read_only.unclosed');
      expect(templateKeyFor(thrown(() => readOnlyQuery('/* x */ /* y */', 10)))).toBe('empty_query');
      for (const sql of ['SELECT 1; SELECT 2', "SELECT 'abc", '', "SELECT * FROM 'https://example.com/a.csv'"]) {
        expectChinese(thrown(() => readOnlyQuery(sql, 10)));
      }
      expect(expectChinese(thrown(() => readOnlyQuery('SELECT 1', 0)))).toBe('行数上限必须是正整数。');
    });

    it('table names', () => {
      const info = thrown(() => validateTableName('__x'));
      expect(info.code).toBe('bad_table_name');
      expect(expectChinese(info)).toContain('“__x”不能用作数据表名称');
      expect(expectChinese(thrown(() => validateTableName('   ')))).toMatch(/^这个名称不能用作数据表名称/);
    });

    it('CSV reader errors, with the line and the sheet', () => {
      const duckdb = new Error(
        'CSV Error on Line: 4\nOriginal Line: 6,7,8,9\nExpected Number of Columns: 3 Found: 4\n\nPossible fixes',
      );
      const ragged = translateCsvError(duckdb, { fileName: '订单.csv', delimiter: ',' }).toInfo();
      expect(ragged.code).toBe('csv_ragged_rows');
      expect(expectChinese(ragged)).toBe(
        '订单.csv 第 4 行有 4 个值，但表格只有 3 列。很可能某个值里含有分隔符，却没有用引号括起来：请给这个值加上引号或修正这一行，然后重新加载文件。',
      );
      const inSheet = translateCsvError(new Error('Value with unterminated quote found.'), {
        fileName: 'report.xlsx',
        sheet: 'Sheet1',
      }).toInfo();
      expect(inSheet.code).toBe('csv_unbalanced_quotes');
      expect(expectChinese(inSheet)).toMatch(/（位置：工作表“Sheet1”）$/);
      const sniff = translateCsvError(new Error('Error when sniffing file "x".'), { fileName: 'x.csv' }).toInfo();
      expect(expectChinese(sniff)).toContain('无法拆分成行和列');
    });

    it('JSON syntax errors name the line and column once', () => {
      const info = thrown(() => readJsonTable('[\n  {"a": 1,}\n]', 'json', 'orders.json'));
      expect(info.code).toBe('invalid_json');
      const text = expectChinese(info);
      expect(text).toMatch(/^orders\.json 不是有效的 JSON：第 2 行第 \d+ 列有语法错误/);
      expect(text).not.toContain('位置');
    });

    it('binary files and column-name warnings', () => {
      const head = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new TextEncoder().encode('word/document.xml')]);
      const binary = thrown(() => detectFormat('report.docx', head));
      expect(expectChinese(binary)).toMatch(/^report\.docx（Word 文档）不是 ShopSight 能读取的表格/);

      const { warnings } = columnNames(['订单号', '', '订单号'], 3);
      expect(warnings.map((w) => w.code)).toEqual(['empty_column_name', 'duplicate_column_name']);
      expect(warnings.map(expectChinese)).toEqual([
        '表头中第 2 列没有名称，已命名为“column1”。',
        '表头中“订单号”出现了不止一次，第 3 列已改名为“订单号_1”。',
      ]);
    });

    it('JSON warnings and cancellation', () => {
      const table = readJsonTable('[{"a": {"b": 1}, "c": 1}, {"a": [2], "c": "x"}]', 'json', 'o.json');
      expect(table.warnings.map((w) => w.code)).toEqual(['json_nested_as_text', 'json_mixed_types']);
      expect(table.warnings.map(expectChinese)).toEqual([
        '以下列包含嵌套的对象或列表，已保留为 JSON 文本：a。',
        '以下列混合了数字、文字或 true/false 值，已按文本加载：c。',
      ]);
      expect(expectChinese(ShopSightError.cancelled().toInfo())).toBe('已取消。');
    });
  });

  it('reserves {message} for the data layer message only', () => {
    for (const [key, t] of Object.entries(MESSAGE_TEMPLATES)) {
      if (placeholdersOf(t.en).includes(MESSAGE_PLACEHOLDER)) {
        expect(['internal', 'fatal', 'sql_error'], key).toContain(codeOfKey(key));
      }
    }
  });
});
