import { describe, expect, it } from 'vitest';
import type { ProgressEvent, QueryResult, TableInfo } from '../contracts/data-api';
import { ShopSightError } from '../data/errors';
import { startEmbedBridge, type EmbedActivity, type EmbedBridgeOptions, type EmbedWindowLike } from './host-bridge';
import { EMBED_METHODS } from './method-table';
import { defineMethod, type EmbedBackend } from './methods';
import {
  APP_ORIGIN,
  EVIL_ORIGIN,
  FakeWindow,
  HOST_ORIGIN,
  deferred,
  fakeBackend,
  ipcOf,
  settle,
  tableInfo,
} from './test-fakes';

// A real Window must satisfy the bridge's window-like type (checked by tsc, not at run time).
type WindowFits = Window extends EmbedWindowLike ? true : false;
const windowFits: WindowFits = true;
void windowFits;

const ALLOW = [APP_ORIGIN, HOST_ORIGIN];

function start(overrides: Partial<EmbedBridgeOptions> & { win?: FakeWindow; backend?: EmbedBackend } = {}) {
  const win = overrides.win ?? new FakeWindow();
  const backend = overrides.backend ?? fakeBackend();
  const activity: EmbedActivity[] = [];
  const bridge = startEmbedBridge({
    window: win,
    backend,
    allowList: ALLOW,
    version: '0.1.0',
    progressIntervalMs: 0,
    onActivity: (a) => activity.push(a),
    ...overrides,
  });
  const parent = win.parent;
  const ready = parent.posted.length;
  /** Messages posted after `ready`. */
  const after = () => parent.posted.slice(ready);
  return { win, backend, bridge, parent, activity, after };
}

describe('start and ready', () => {
  it('posts ready once per candidate origin, never to "*", with version and methods', () => {
    const { parent, win } = start();
    expect(parent.posted.map((p) => p.targetOrigin)).toEqual(ALLOW);
    for (const { message } of parent.posted) {
      expect(message).toEqual({
        shopsight: 1,
        event: 'ready',
        version: '0.1.0',
        methods: [
          'hello',
          'loadTable',
          'listTables',
          'query',
          'profile',
          'dropTable',
          'applyRecipe',
          'buildCustomers',
          'buildProducts',
          'buildSeries',
          'buildLabels',
          'selectFeatures',
          'forecast',
          'segment',
          'anomalies',
          'recommend',
          'sentiment',
          'compareModels',
          'train',
          'evaluate',
          'predict',
          'listModels',
          'cancel',
          'search',
        ],
      });
    }
    expect(win.listenerCount).toBe(1);
  });

  it("posts ready only to the parent's origin when location.ancestorOrigins reveals it", () => {
    const { parent } = start({ win: new FakeWindow({ ancestorOrigins: [HOST_ORIGIN] }) });
    expect(parent.posted.map((p) => p.targetOrigin)).toEqual([HOST_ORIGIN]);
  });

  it('posts nothing at all when the parent is known to be foreign', () => {
    const { parent } = start({ win: new FakeWindow({ ancestorOrigins: [EVIL_ORIGIN] }) });
    expect(parent.posted).toEqual([]);
  });

  it('does nothing when the page is not framed (window.parent === window)', () => {
    const posted: unknown[] = [];
    let listeners = 0;
    const unframed: EmbedWindowLike & { postMessage(message: unknown): void } = {
      get parent() {
        return unframed;
      },
      postMessage: (message) => posted.push(message),
      addEventListener: () => void listeners++,
      removeEventListener: () => void listeners--,
      location: { origin: APP_ORIGIN, search: '?embed=1' },
    };
    const backend = fakeBackend();
    const bridge = startEmbedBridge({ window: unframed, backend, allowList: ALLOW, version: '1' });
    expect(bridge.active).toBe(false);
    expect(listeners).toBe(0);
    expect(posted).toEqual([]);
  });

  it('reads the allow-list from the location when none is given', async () => {
    const win = new FakeWindow({ search: `?embed=1&allow=${encodeURIComponent('https://Admin.Example.com:443/')}` });
    const backend = fakeBackend();
    startEmbedBridge({ window: win, backend, version: '1' });
    win.call(1, 'listTables', {}, HOST_ORIGIN);
    await settle();
    expect(win.parent.repliesTo(1)).toHaveLength(1);
  });
});

describe('who may talk to the app', () => {
  it('ignores a foreign origin silently: no reply, no backend call', async () => {
    const { win, backend, after, activity } = start();
    win.call(1, 'dropTable', { name: 'orders' }, EVIL_ORIGIN);
    win.receive({ garbage: true }, EVIL_ORIGIN);
    win.call(2, 'nope', {}, EVIL_ORIGIN);
    await settle();
    expect(after()).toEqual([]);
    expect(backend).toHaveProperty('calls', []);
    expect(activity).toEqual([
      { type: 'ignored', reason: 'origin', origin: EVIL_ORIGIN },
      { type: 'ignored', reason: 'origin', origin: EVIL_ORIGIN },
      { type: 'ignored', reason: 'origin', origin: EVIL_ORIGIN },
    ]);
  });

  it.each([
    ['a look-alike host', 'https://admin.example.com.evil.net'],
    ['another scheme', 'http://admin.example.com'],
    ['another port', 'https://admin.example.com:8443'],
    ['the opaque origin', 'null'],
  ])('ignores %s', async (_label, origin) => {
    const { win, backend, after } = start();
    win.call(1, 'listTables', {}, origin);
    await settle();
    expect(after()).toEqual([]);
    expect(backend).toHaveProperty('calls', []);
  });

  it('ignores an allowed origin when the message does not come from the parent', async () => {
    const { win, backend, after, activity } = start();
    const popup = { postMessage: () => {} };
    win.receive({ shopsight: 1, id: 1, method: 'dropTable', params: { name: 'orders' } }, HOST_ORIGIN, popup);
    win.receive({ shopsight: 1, id: 2, method: 'dropTable', params: { name: 'orders' } }, HOST_ORIGIN, null);
    await settle();
    expect(after()).toEqual([]);
    expect(backend).toHaveProperty('calls', []);
    expect(activity.every((a) => a.type === 'ignored' && a.reason === 'source')).toBe(true);
  });

  it('replies to the exact origin of the call, never "*"', async () => {
    const { win, after } = start();
    win.call('h', 'listTables', {}, HOST_ORIGIN);
    win.call('s', 'listTables', {}, APP_ORIGIN);
    await settle();
    expect(after().map((p) => [p.message, p.targetOrigin])).toEqual([
      [expect.objectContaining({ id: 'h', ok: true }), HOST_ORIGIN],
      [expect.objectContaining({ id: 's', ok: true }), APP_ORIGIN],
    ]);
  });
});

describe('errors before any work', () => {
  it('answers an unknown method with unknown_method and the list of methods', async () => {
    const { win, backend, after } = start();
    win.call('u1', 'deleteEverything', {});
    win.call('u2', 'toString', {});
    await settle();
    const [first, second] = after();
    expect(first?.message).toEqual({
      shopsight: 1,
      id: 'u1',
      ok: false,
      error: {
        code: 'unknown_method',
        message: expect.stringMatching(/"deleteEverything".*loadTable, listTables, query/),
        params: { method: 'deleteEverything' },
      },
    });
    expect(first?.targetOrigin).toBe(HOST_ORIGIN);
    expect(second?.message).toMatchObject({ id: 'u2', ok: false, error: { code: 'unknown_method' } });
    expect(backend).toHaveProperty('calls', []);
  });

  it('answers bad params with bad_params naming the parameter, and never calls the backend', async () => {
    const { win, backend, after } = start();
    win.call(1, 'query', { sql: 'SELECT 1', limit: 1e9 });
    win.call(2, 'dropTable', {});
    win.call(3, 'loadTable', { fileName: 'x.csv', data: 12 });
    await settle();
    expect(after().map((p) => p.message)).toEqual([
      {
        shopsight: 1,
        id: 1,
        ok: false,
        error: expect.objectContaining({ code: 'bad_params', params: { method: 'query', param: 'limit' } }),
      },
      {
        shopsight: 1,
        id: 2,
        ok: false,
        error: expect.objectContaining({ code: 'bad_params', params: { method: 'dropTable', param: 'name' } }),
      },
      {
        shopsight: 1,
        id: 3,
        ok: false,
        error: expect.objectContaining({ code: 'bad_params', params: { method: 'loadTable', param: 'data' } }),
      },
    ]);
    expect(backend).toHaveProperty('calls', []);
  });

  it('answers a malformed envelope with bad_envelope (id null when unreadable)', async () => {
    const { win, after } = start();
    win.receive('listTables');
    win.receive({ shopsight: 1, id: 5 });
    win.receive({ shopsight: 1, id: { nested: true }, method: 'listTables' });
    await settle();
    expect(after().map((p) => [p.message, p.targetOrigin])).toEqual([
      [
        { shopsight: 1, id: null, ok: false, error: { code: 'bad_envelope', message: expect.any(String) } },
        HOST_ORIGIN,
      ],
      [
        { shopsight: 1, id: 5, ok: false, error: { code: 'bad_envelope', message: expect.stringMatching(/method/) } },
        HOST_ORIGIN,
      ],
      [
        { shopsight: 1, id: null, ok: false, error: { code: 'bad_envelope', message: expect.stringMatching(/"id"/) } },
        HOST_ORIGIN,
      ],
    ]);
  });

  it('answers shopsight: 2 with unsupported_version', async () => {
    const { win, after, backend } = start();
    win.receive({ shopsight: 2, id: 'v2', method: 'listTables', params: {} });
    await settle();
    expect(after()[0]?.message).toMatchObject({ id: 'v2', ok: false, error: { code: 'unsupported_version' } });
    expect(backend).toHaveProperty('calls', []);
  });

  it('does not answer its own messages bounced back (no ping-pong)', async () => {
    const { win, parent, after, activity } = start();
    win.receive(parent.posted[0]!.message);
    win.receive({ shopsight: 1, id: 1, ok: true, result: null });
    await settle();
    expect(after()).toEqual([]);
    expect(activity.map((a) => a.type)).toEqual(['ignored', 'ignored']);
  });

  it('answers a parser that throws unexpectedly with bad_params, not a crash', async () => {
    const methods = {
      odd: defineMethod('odd', {
        params: ['x'],
        parse: () => {
          throw new TypeError('parser bug');
        },
        run: async () => 1,
      }),
    };
    const { win, after } = start({ methods });
    win.call(1, 'odd', { x: 1 });
    await settle();
    expect(after()[0]?.message).toMatchObject({
      id: 1,
      ok: false,
      error: { code: 'bad_params', message: 'parser bug' },
    });
  });
});

describe('calls', () => {
  it('runs concurrent calls and answers each by its id, in completion order', async () => {
    const slow = deferred<QueryResult>();
    const fast = deferred<QueryResult>();
    const backend = fakeBackend({
      query: (sql) => (sql.includes('slow') ? slow.promise : fast.promise),
    });
    const { win, bridge, after } = start({ backend });
    win.call('slow', 'query', { sql: 'SELECT 1 AS slow' });
    win.call('fast', 'query', { sql: 'SELECT 2 AS fast' });
    await settle();
    expect(bridge.pending).toBe(2);
    fast.resolve({ ipc: ipcOf({ v: [2] }), rowCount: 1, truncated: false, elapsedMs: 1 });
    await settle();
    slow.resolve({ ipc: ipcOf({ v: [1] }), rowCount: 1, truncated: false, elapsedMs: 9 });
    await settle();
    expect(after().map((p) => p.message)).toEqual([
      {
        shopsight: 1,
        id: 'fast',
        ok: true,
        result: { columns: [{ name: 'v', type: 'DOUBLE' }], rows: [[2]], truncated: false, elapsedMs: 1 },
      },
      {
        shopsight: 1,
        id: 'slow',
        ok: true,
        result: { columns: [{ name: 'v', type: 'DOUBLE' }], rows: [[1]], truncated: false, elapsedMs: 9 },
      },
    ]);
    expect(bridge.pending).toBe(0);
  });

  it('keeps ids 1 and "1" apart, and refuses an id already in flight', async () => {
    const gate = deferred<TableInfo[]>();
    const backend = fakeBackend({ listTables: () => gate.promise });
    const { win, parent } = start({ backend });
    win.call(1, 'listTables');
    win.call('1', 'listTables');
    win.call(1, 'listTables');
    await settle();
    expect(parent.repliesTo(1)).toEqual([
      expect.objectContaining({
        message: expect.objectContaining({
          ok: false,
          error: expect.objectContaining({ code: 'bad_envelope', message: expect.stringMatching(/already used/) }),
        }),
      }),
    ]);
    gate.resolve([tableInfo('orders')]);
    await settle();
    expect(parent.repliesTo(1).map((p) => p.message.ok)).toEqual([false, true]);
    expect(parent.repliesTo('1').map((p) => p.message.ok)).toEqual([true]);
    expect(backend).toHaveProperty('calls', [
      { method: 'listTables', args: [] },
      { method: 'listTables', args: [] },
    ]);
  });

  it('forwards progress with the call id before the reply, and none after it', async () => {
    let late: ((p: ProgressEvent) => void) | undefined;
    const backend = fakeBackend({
      loadFile: async (_source, _name, _options, onProgress) => {
        onProgress({ phase: 'read', done: 0, total: 100 });
        await settle(1);
        onProgress({ phase: 'parse', done: 50, total: 100, detail: 'orders.csv' });
        late = onProgress;
        return [tableInfo('orders')];
      },
    });
    const { win, after } = start({ backend });
    win.call('load', 'loadTable', { fileName: 'orders.csv', data: 'a\n1' });
    await settle(10);
    late?.({ phase: 'parse', done: 100, total: 100 });
    expect(after().map((p) => [p.message, p.targetOrigin])).toEqual([
      [{ shopsight: 1, id: 'load', progress: { phase: 'read', done: 0, total: 100 } }, HOST_ORIGIN],
      [
        { shopsight: 1, id: 'load', progress: { phase: 'parse', done: 50, total: 100, detail: 'orders.csv' } },
        HOST_ORIGIN,
      ],
      [expect.objectContaining({ id: 'load', ok: true }), HOST_ORIGIN],
    ]);
  });

  it('thins out progress: one per interval within a phase, but always phase changes and the final one', async () => {
    let clock = 0;
    const backend = fakeBackend({
      profile: async (table, onProgress) => {
        for (let done = 0; done <= 10; done++) {
          clock += 10; // 10 ms between events, interval 50 ms
          onProgress({ phase: 'profile', done, total: 10 });
        }
        clock += 1;
        onProgress({ phase: 'query', done: 0, total: 1 });
        return await fakeBackend().profile(table, () => {});
      },
    });
    const { win, parent } = start({ backend, progressIntervalMs: 50, now: () => clock });
    win.call('p', 'profile', { table: 'orders' });
    await settle();
    expect(
      parent
        .progressOf('p')
        .map((p) => ('progress' in p.message ? `${p.message.progress.phase}:${p.message.progress.done}` : '')),
    ).toEqual(['profile:0', 'profile:5', 'profile:10', 'query:0']);
  });

  it('passes data-layer errors through with their code, params and location', async () => {
    const backend = fakeBackend({
      loadFile: async () => {
        throw new ShopSightError({
          code: 'csv_ragged_rows',
          message: 'Line 12 has 6 fields; expected 5.',
          params: { expected: 5, got: 6 },
          line: 12,
        });
      },
      // DataClient rethrows worker errors as plain ShopSightErrorInfo objects.
      dropTable: () => Promise.reject({ code: 'not_found', message: 'No table named "nope".' }),
      listTables: async () => {
        throw new Error('wasm trap');
      },
    });
    const { win, parent } = start({ backend });
    win.call('l', 'loadTable', { fileName: 'bad.csv', data: 'a,b\n1,2,3' });
    win.call('d', 'dropTable', { name: 'nope' });
    win.call('t', 'listTables');
    win.call('q', 'query', { sql: 'DELETE FROM orders' });
    await settle();
    expect(parent.repliesTo('l')[0]?.message).toEqual({
      shopsight: 1,
      id: 'l',
      ok: false,
      error: {
        code: 'csv_ragged_rows',
        message: 'Line 12 has 6 fields; expected 5.',
        params: { expected: 5, got: 6 },
        line: 12,
      },
    });
    expect(parent.repliesTo('d')[0]?.message).toEqual({
      shopsight: 1,
      id: 'd',
      ok: false,
      error: { code: 'not_found', message: 'No table named "nope".' },
    });
    expect(parent.repliesTo('t')[0]?.message).toMatchObject({
      ok: false,
      error: { code: 'internal', message: 'wasm trap' },
    });
    expect(parent.repliesTo('q')[0]?.message).toMatchObject({ ok: false, error: { code: 'read_only' } });
    expect(backend).not.toHaveProperty('calls', expect.arrayContaining([expect.objectContaining({ method: 'query' })]));
  });

  it('answers with internal when a result cannot be structured-cloned', async () => {
    const methods = {
      ...EMBED_METHODS,
      leaky: defineMethod('leaky', { params: [], parse: () => ({}), run: async () => ({ callback: () => 1 }) }),
    };
    const { win, parent } = start({ methods });
    win.call('x', 'leaky');
    await settle();
    expect(parent.repliesTo('x').map((p) => p.message)).toEqual([
      {
        shopsight: 1,
        id: 'x',
        ok: false,
        error: { code: 'internal', message: expect.stringMatching(/could not be sent/) },
      },
    ]);
  });

  it('reports calls and their outcome to onActivity, flagging table changes', async () => {
    let clock = 100;
    const backend = fakeBackend({
      loadFile: async () => {
        clock += 25;
        return [tableInfo('orders')];
      },
    });
    const { win, activity } = start({ backend, now: () => clock });
    win.call(1, 'loadTable', { fileName: 'orders.csv', data: 'a\n1' });
    win.call(2, 'query', { sql: 'DROP TABLE orders' });
    await settle();
    expect(activity).toEqual([
      { type: 'call', origin: HOST_ORIGIN, id: 1, method: 'loadTable' },
      { type: 'call', origin: HOST_ORIGIN, id: 2, method: 'query' },
      {
        type: 'settled',
        origin: HOST_ORIGIN,
        id: 2,
        method: 'query',
        ok: false,
        code: 'read_only',
        mutates: false,
        elapsedMs: 0,
      },
      { type: 'settled', origin: HOST_ORIGIN, id: 1, method: 'loadTable', ok: true, mutates: true, elapsedMs: 25 },
    ]);
  });

  it('adding a method is one table entry', async () => {
    const methods = {
      ...EMBED_METHODS,
      countTables: defineMethod('countTables', {
        params: [],
        parse: () => ({}),
        run: async (backend) => ({ count: (await backend.listTables()).length }),
      }),
    };
    const { win, parent } = start({ methods });
    expect(parent.posted[0]?.message).toMatchObject({ methods: expect.arrayContaining(['countTables']) });
    win.call(1, 'countTables');
    await settle();
    expect(parent.repliesTo(1)[0]?.message).toEqual({ shopsight: 1, id: 1, ok: true, result: { count: 1 } });
  });
});

describe('resize and stop', () => {
  it('posts resize rounded up, only on change, to the host once it has spoken', async () => {
    const { win, bridge, after } = start();
    win.call(1, 'hello');
    await settle();
    bridge.notifyResize(480.2);
    bridge.notifyResize(481);
    bridge.notifyResize(640);
    bridge.notifyResize(Number.NaN);
    bridge.notifyResize(-5);
    const resizes = after().filter((p) => 'event' in p.message);
    expect(resizes.map((p) => [p.message, p.targetOrigin])).toEqual([
      [{ shopsight: 1, event: 'resize', height: 481 }, HOST_ORIGIN],
      [{ shopsight: 1, event: 'resize', height: 640 }, HOST_ORIGIN],
    ]);
  });

  it('stop() detaches the listener and silences calls still running', async () => {
    const gate = deferred<TableInfo[]>();
    const backend = fakeBackend({ listTables: () => gate.promise });
    const { win, bridge, after } = start({ backend });
    win.call(1, 'listTables');
    await settle();
    bridge.stop();
    bridge.stop();
    expect(bridge.active).toBe(false);
    expect(win.listenerCount).toBe(0);
    gate.resolve([]);
    win.call(2, 'listTables');
    bridge.notifyResize(100);
    await settle();
    expect(after()).toEqual([]);
  });
});
