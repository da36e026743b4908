/**
 * A conservative lexical screen for read-only SQL (the console and the embed `query` method):
 * one statement that starts with SELECT, WITH, FROM (DuckDB's FROM-first form), VALUES, TABLE
 * or DESCRIBE/SUMMARIZE/SHOW.
 *
 * It is one of two gates: `read-only.ts` also wraps the statement as a subquery, which DuckDB's
 * parser accepts only for a query (that is what stops `WITH c AS (…) INSERT …`, which no
 * first-keyword test can catch). This lexer is what stops a second statement smuggled in
 * through a closing parenthesis (`SELECT 1) AS x; CREATE …; SELECT * FROM (SELECT 1`). The lexer follows DuckDB 1.4's rules, checked against the
 * real engine in read-only.test.ts: '' strings, E'' strings with backslash escapes, ""
 * identifiers, -- comments, *nested* block comments and $tag$ dollar quotes. When unsure it
 * rejects: a false "read_only" is an annoyance, a missed second statement is not.
 */
import type { ShopSightErrorInfo } from '../contracts/data-api';

const READ_KEYWORDS = new Set(['select', 'with', 'from', 'values', 'table', 'describe', 'summarize', 'show']);

interface Token {
  kind: 'word' | 'semicolon' | 'other';
  text: string;
  /** Offset of the token in the SQL text. */
  start: number;
}

/** Returns a `read_only` error for anything but one read-only statement, else null. */
export function checkReadOnlySql(sql: string): ShopSightErrorInfo | null {
  return analyseReadOnlySql(sql).error;
}

/**
 * The check, plus the statement's text without trailing semicolons (and whatever follows
 * them, e.g. a closing comment), ready to be wrapped as a subquery.
 */
export function analyseReadOnlySql(sql: string): { error: ShopSightErrorInfo | null; body: string } {
  let tokens: Token[];
  try {
    tokens = lex(sql);
  } catch (error) {
    return { error: { code: 'read_only', message: (error as Error).message }, body: sql };
  }
  // Trailing semicolons are harmless; any other semicolon separates statements.
  let end = sql.length;
  while (tokens.length > 0 && tokens[tokens.length - 1]?.kind === 'semicolon') end = tokens.pop()!.start;
  const body = sql.slice(0, end).trimEnd();
  if (tokens.some((t) => t.kind === 'semicolon')) {
    return { error: { code: 'read_only', message: 'Only one statement can be run at a time.' }, body };
  }
  const first = tokens.find((t) => t.text !== '(');
  if (!first)
    return { error: { code: 'empty_query', message: 'Type a query first, e.g. SELECT * FROM orders LIMIT 10.' }, body };
  const keyword = first.kind === 'word' ? first.text.toLowerCase() : first.text;
  if (!READ_KEYWORDS.has(keyword)) {
    return {
      body,
      error: {
        code: 'read_only',
        message: `Only read-only queries (SELECT or WITH …) are allowed; this one starts with ${JSON.stringify(first.text.slice(0, 20))}.`,
        params: { keyword: first.text.slice(0, 20) },
      },
    };
  }
  return { error: null, body };
}

const WORD_START = /[A-Za-z_\u0080-\uFFFF]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uFFFF]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uFFFF][A-Za-z0-9_\u0080-\uFFFF]*)?\$/;

/** Splits SQL into words, semicolons and other significant characters, skipping the rest. */
function lex(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const at = i;
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? n : end + 1;
    } else if (c === '/' && next === '*') {
      i = skipBlockComment(sql, i);
    } else if (c === "'") {
      i = skipQuoted(sql, i, "'", false);
      tokens.push({ kind: 'other', text: "'", start: at });
    } else if (c === '"') {
      i = skipQuoted(sql, i, '"', false);
      tokens.push({ kind: 'word', text: '"', start: at });
    } else if (c === '$' && DOLLAR_TAG.test(sql.slice(i, i + 130))) {
      const tag = DOLLAR_TAG.exec(sql.slice(i, i + 130))![0];
      const end = sql.indexOf(tag, i + tag.length);
      if (end === -1) throw new Error('A $-quoted string is not closed.');
      i = end + tag.length;
      tokens.push({ kind: 'other', text: "'", start: at });
    } else if (c === ';') {
      tokens.push({ kind: 'semicolon', text: ';', start: at });
      i++;
    } else if (WORD_START.test(c)) {
      let end = i + 1;
      while (end < n && WORD_PART.test(sql[end]!)) end++;
      const word = sql.slice(i, end);
      // E'…' (escape string): backslash escapes the quote, unlike a plain '…' string.
      if ((word === 'E' || word === 'e') && sql[end] === "'") {
        i = skipQuoted(sql, end, "'", true);
        tokens.push({ kind: 'other', text: "'", start: at });
      } else {
        tokens.push({ kind: 'word', text: word, start: at });
        i = end;
      }
    } else {
      tokens.push({ kind: 'other', text: c, start: at });
      i++;
    }
  }
  return tokens;
}

/** Index after the closing quote; a doubled quote is an escaped one. */
function skipQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  throw new Error(quote === "'" ? 'A string literal is not closed.' : 'A quoted name is not closed.');
}

/** DuckDB nests block comments: `/* a /* b *\/ c *\/` is one comment. */
function skipBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  throw new Error('A /* comment */ is not closed.');
}
