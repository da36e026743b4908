import { describe, expect, it } from 'vitest';
import type { ShopSightErrorInfo } from '../contracts/data-api';
import {
  EMBED_PROTOCOL_VERSION,
  errorReply,
  okReply,
  parseEnvelope,
  progressMessage,
  readyEvent,
  resizeEvent,
  toErrorBody,
  type ParsedEnvelope,
} from './protocol';

function expectInvalid(parsed: ParsedEnvelope, code: string, id: string | number | null = null): string {
  expect(parsed.kind).toBe('invalid');
  if (parsed.kind !== 'invalid') throw new Error('unreachable');
  expect(parsed.error.code).toBe(code);
  expect(parsed.id).toBe(id);
  return parsed.error.message;
}

describe('parseEnvelope', () => {
  it('accepts a well-formed call', () => {
    expect(parseEnvelope({ shopsight: 1, id: 'a1', method: 'query', params: { sql: 'SELECT 1' } })).toEqual({
      kind: 'request',
      request: { shopsight: 1, id: 'a1', method: 'query', params: { sql: 'SELECT 1' } },
    });
  });

  it('accepts numeric ids and treats absent params as {}', () => {
    expect(parseEnvelope({ shopsight: 1, id: 7, method: 'listTables' })).toEqual({
      kind: 'request',
      request: { shopsight: 1, id: 7, method: 'listTables', params: {} },
    });
  });

  it('accepts objects without a prototype (structured clones may be either)', () => {
    const data = Object.assign(Object.create(null) as Record<string, unknown>, { shopsight: 1, id: 1, method: 'x' });
    expect(parseEnvelope(data).kind).toBe('request');
  });

  it.each([
    ['a string', 'hello'],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an array', [1, 'query', {}]],
    ['a Date', new Date(0)],
  ])('rejects %s as bad_envelope without an id', (_label, data) => {
    expect(expectInvalid(parseEnvelope(data), 'bad_envelope')).toMatch(/must be an object/);
  });

  it('rejects a missing shopsight field, keeping the id for the reply', () => {
    expect(expectInvalid(parseEnvelope({ id: 'x', method: 'query' }), 'bad_envelope', 'x')).toMatch(/no "shopsight"/);
  });

  it('rejects shopsight: 2 as unsupported_version and says which version it speaks', () => {
    const parsed = parseEnvelope({ shopsight: 2, id: 3, method: 'query', params: {} });
    expect(expectInvalid(parsed, 'unsupported_version', 3)).toMatch(/version 1/);
    if (parsed.kind === 'invalid') expect(parsed.error.params).toEqual({ supported: 1, received: '2' });
  });

  it.each([['1'], [true], [1.5], [0], [{}]])('rejects shopsight %j that is not the number 1', (value) => {
    const code = typeof value === 'number' ? 'unsupported_version' : 'bad_envelope';
    expectInvalid(parseEnvelope({ shopsight: value, id: 1, method: 'query' }), code, 1);
  });

  it('rejects a missing id', () => {
    expect(expectInvalid(parseEnvelope({ shopsight: 1, method: 'query' }), 'bad_envelope')).toMatch(/no "id"/);
  });

  it.each([[''], ['x'.repeat(257)], [null], [Number.NaN], [Infinity], [{}], [[1]], [true]])(
    'rejects the id %j',
    (id) => {
      expect(expectInvalid(parseEnvelope({ shopsight: 1, id, method: 'query' }), 'bad_envelope')).toMatch(
        /"id" must be/,
      );
    },
  );

  it('rejects a missing or mistyped method', () => {
    expect(expectInvalid(parseEnvelope({ shopsight: 1, id: 1 }), 'bad_envelope', 1)).toMatch(/no "method"/);
    for (const method of ['', 3, null, 'm'.repeat(65), ['query']]) {
      expect(expectInvalid(parseEnvelope({ shopsight: 1, id: 1, method }), 'bad_envelope', 1)).toMatch(
        /"method" must be/,
      );
    }
  });

  it.each([[[]], ['sql'], [null], [5], [new Map()]])('rejects params %j that are not a plain object', (params) => {
    expect(expectInvalid(parseEnvelope({ shopsight: 1, id: 1, method: 'q', params }), 'bad_envelope', 1)).toMatch(
      /"params" must be an object/,
    );
  });

  it('rejects unknown envelope fields such as a misspelt "param"', () => {
    const message = expectInvalid(parseEnvelope({ shopsight: 1, id: 1, method: 'q', param: {} }), 'bad_envelope', 1);
    expect(message).toMatch(/"param"/);
  });

  it("treats the app's own replies and events as echoes, never answering them", () => {
    expect(parseEnvelope(readyEvent('1.0.0', ['query']))).toEqual({ kind: 'echo' });
    expect(parseEnvelope(okReply(1, 2))).toEqual({ kind: 'echo' });
    expect(parseEnvelope(errorReply(null, { code: 'x', message: 'y' }))).toEqual({ kind: 'echo' });
    expect(parseEnvelope(progressMessage(1, { phase: 'read', done: 1, total: 2 }))).toEqual({ kind: 'echo' });
    expect(parseEnvelope(resizeEvent(10))).toEqual({ kind: 'echo' });
  });

  it('never echoes a long bad value back in the message', () => {
    const message = expectInvalid(parseEnvelope({ shopsight: 1, id: 1, method: 'x'.repeat(500) }), 'bad_envelope', 1);
    expect(message.length).toBeLessThan(200);
  });
});

describe('builders', () => {
  it('stamp the protocol version on everything', () => {
    for (const message of [
      okReply('a', null),
      errorReply('a', { code: 'c', message: 'm' }),
      readyEvent('0.1.0', []),
      resizeEvent(1),
      progressMessage('a', { phase: 'parse', done: 0, total: 1 }),
    ]) {
      expect(message.shopsight).toBe(EMBED_PROTOCOL_VERSION);
    }
  });

  it('copy only wire-safe fields of progress and errors', () => {
    const progress = { phase: 'parse' as const, done: 1, total: 2, detail: 'orders.csv', extra: () => 1 };
    expect(progressMessage(1, progress).progress).toEqual({ phase: 'parse', done: 1, total: 2, detail: 'orders.csv' });

    // What a worker might throw: an Error subclass carrying a function among its params.
    const info = Object.assign(new Error('boom'), {
      code: 'csv_ragged_rows',
      line: 12,
      column: 'Price',
      params: { expected: 5, got: 6, fn: () => 1 },
    }) as unknown as ShopSightErrorInfo;
    expect(toErrorBody(info)).toEqual({
      code: 'csv_ragged_rows',
      message: 'boom',
      line: 12,
      column: 'Price',
      params: { expected: 5, got: 6 },
    });
    expect(() => structuredClone(toErrorBody(info))).not.toThrow();
  });
});
