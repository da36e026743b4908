// Host side of the ShopSight embed API v1 (docs/embed-api.md), kept small on purpose:
// copy `createShopSightClient` into your own admin panel and build on it.

/**
 * A promise-based client for one ShopSight iframe.
 * @param {HTMLIFrameElement} frame  The iframe; its `src` is set here, after the listener is in place.
 * @param {URL} appUrl               The app's URL, including ?embed=1 (and &allow=… when cross-origin).
 * @param {{ onReady?: (e: object) => void, onProgress?: (id: string, p: object) => void,
 *           onResize?: (height: number) => void, onLog?: (dir: 'out' | 'in', msg: object) => void }} hooks
 */
function createShopSightClient(frame, appUrl, hooks = {}) {
  const appOrigin = appUrl.origin;
  const pending = new Map();
  let nextId = 1;
  let readyEvent = null;

  function onMessage(event) {
    // Only the app in *this* frame, from the app's origin, is listened to.
    if (event.source !== frame.contentWindow || event.origin !== appOrigin) return;
    const msg = event.data;
    if (!msg || typeof msg !== 'object' || msg.shopsight !== 1) return;
    hooks.onLog?.('in', msg);
    if (msg.event === 'ready') {
      readyEvent = msg;
      hooks.onReady?.(msg);
    } else if (msg.event === 'resize') {
      hooks.onResize?.(msg.height);
    } else if ('progress' in msg) {
      hooks.onProgress?.(msg.id, msg.progress);
    } else if ('ok' in msg) {
      const call = pending.get(msg.id);
      if (!call) return; // e.g. a bad_envelope reply with id null
      pending.delete(msg.id);
      if (msg.ok) call.resolve(msg.result);
      else call.reject(Object.assign(new Error(msg.error.message), msg.error));
    }
  }

  // Listen first, then load the frame, so `ready` cannot be missed.
  window.addEventListener('message', onMessage);
  frame.src = appUrl.href;

  return {
    get ready() {
      return readyEvent !== null;
    },
    /**
     * Calls a method; resolves with its result or rejects with an Error carrying `code`.
     * @param {string} method
     * @param {object} [params]
     * @param {Transferable[]} [transfer]  e.g. [arrayBuffer] to move a file's bytes instead of copying them
     */
    call(method, params = {}, transfer = []) {
      if (!frame.contentWindow) return Promise.reject(new Error('The app frame is gone.'));
      const id = `host-${nextId++}`;
      const message = { shopsight: 1, id, method, params };
      hooks.onLog?.('out', message);
      const promise = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
      // Never '*': the message may carry the user's data.
      frame.contentWindow.postMessage(message, appOrigin, transfer);
      return promise;
    },
    dispose() {
      window.removeEventListener('message', onMessage);
      for (const call of pending.values()) call.reject(new Error('Client disposed.'));
      pending.clear();
    },
  };
}

// ---------------------------------------------------------------------------------------
// The demo page

const $ = (id) => document.getElementById(id);
const statusEl = $('status');
const logEl = $('log');
const resultEl = $('result');
const progressEl = $('progress');

const pageParams = new URLSearchParams(location.search);
const appUrl = new URL(pageParams.get('app') ?? './', location.href);
appUrl.searchParams.set('embed', '1');
// A cross-origin app must be told to accept this page; the same origin is allowed by default.
if (appUrl.origin !== location.origin) appUrl.searchParams.set('allow', location.origin);

const client = createShopSightClient($('app-frame'), appUrl, {
  onReady(event) {
    statusEl.dataset.state = 'ready';
    statusEl.textContent = `ready · app ${event.version}`;
    for (const el of document.querySelectorAll('[data-needs-ready]')) el.disabled = false;
    void listTables();
  },
  onProgress(_id, p) {
    progressEl.hidden = false;
    progressEl.max = Math.max(1, p.total);
    progressEl.value = p.done;
    progressEl.title = `${p.phase}${p.detail ? ` · ${p.detail}` : ''}: ${p.done} / ${p.total}`;
  },
  onLog(direction, message) {
    log(direction === 'out' ? 'out' : message.ok === false ? 'err' : 'in', direction === 'out' ? '→' : '←', message);
  },
});

// --- actions -----------------------------------------------------------------------------

$('load-text').addEventListener('click', () => {
  const name = $('table-name').value.trim();
  const params = { fileName: `${name || 'orders'}.csv`, data: $('csv-text').value };
  if (name) params.name = name;
  void run('loadTable', params).then(() => listTables());
});

$('file-input').addEventListener('change', async (event) => {
  const file = event.target.files?.[0];
  if (!file) return;
  const data = await file.arrayBuffer();
  const name = $('table-name').value.trim();
  const params = { fileName: file.name, data };
  if (name) params.name = name;
  event.target.value = '';
  // Transferring moves the bytes into the frame without a copy (`data` is detached here after).
  void run('loadTable', params, [data]).then(() => listTables());
});

$('list-tables').addEventListener('click', () => void listTables());

$('run-query').addEventListener('click', async () => {
  const limit = Number.parseInt($('limit').value, 10);
  const params = { sql: $('sql').value };
  if (Number.isInteger(limit)) params.limit = limit;
  const result = await run('query', params);
  if (result)
    showRows(
      result.columns,
      result.rows,
      result.truncated
        ? `First ${result.rows.length} rows (truncated).`
        : `${result.rows.length} rows in ${Math.round(result.elapsedMs)} ms.`,
    );
});

$('clear-log').addEventListener('click', () => logEl.replaceChildren());

async function listTables() {
  const tables = await run('listTables');
  if (!tables) return;
  const list = $('tables');
  list.replaceChildren(
    ...tables.map((t) => {
      const item = el('li');
      item.append(el('span', `${t.name} · ${t.rows.toLocaleString()} rows · ${t.columns.length} columns`));
      item.append(
        button('Preview', () => {
          $('sql').value = `SELECT * FROM ${quoteIdent(t.name)} LIMIT 100`;
          $('run-query').click();
        }),
        button('Profile', async () => {
          const report = await run('profile', { table: t.name });
          if (report) showProfile(report);
        }),
        button('Drop', async () => {
          if ((await run('dropTable', { name: t.name })) !== undefined) void listTables();
        }),
      );
      return item;
    }),
  );
  if (tables.length === 0) list.append(el('li', 'No tables yet.'));
}

/** Calls a method, showing errors in the result panel; resolves undefined on failure. */
async function run(method, params, transfer) {
  try {
    return await client.call(method, params, transfer);
  } catch (error) {
    resultEl.replaceChildren(el('p', `${method} failed: ${error.code ?? 'error'} — ${error.message}`, 'error'));
    return undefined;
  } finally {
    progressEl.hidden = true;
  }
}

// --- rendering (textContent only: table data is never parsed as HTML) ---------------------

function showRows(columns, rows, caption) {
  const table = el('table');
  const head = el('tr');
  for (const c of columns) {
    const th = el('th', c.name);
    th.append(' ', el('small', c.type));
    head.append(th);
  }
  table.append(el('thead'), el('tbody'));
  table.tHead.append(head);
  for (const row of rows) {
    const tr = el('tr');
    for (const cell of row) {
      tr.append(
        el('td', cell === null ? 'null' : String(cell), cell === null ? 'null' : typeof cell === 'number' ? 'num' : ''),
      );
    }
    table.tBodies[0].append(tr);
  }
  resultEl.replaceChildren(el('p', caption, 'note'), table);
}

function showProfile(report) {
  const columns = [
    { name: 'column', type: '' },
    { name: 'type', type: '' },
    { name: 'missing', type: '' },
    { name: 'distinct', type: '' },
  ];
  const rows = report.columnProfiles.map((c) => [c.name, c.type, c.missing, c.distinct]);
  showRows(
    columns,
    rows,
    `${report.table}: quality score ${report.score}/100, ${report.rows.toLocaleString()} rows, ${report.findings.length} findings.`,
  );
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function button(label, onClick) {
  const b = el('button', label, 'secondary');
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

function quoteIdent(name) {
  return `"${name.replaceAll('"', '""')}"`;
}

function log(kind, arrow, message) {
  const line = el('div', `${new Date().toLocaleTimeString()} ${arrow} ${JSON.stringify(message, shorten)}`, kind);
  logEl.append(line);
  while (logEl.childElementCount > 500) logEl.firstElementChild.remove();
  logEl.scrollTop = logEl.scrollHeight;
}

/** Keeps the log readable: no megabytes of CSV or thousands of rows. */
function shorten(_key, value) {
  if (value instanceof ArrayBuffer) return `<ArrayBuffer ${value.byteLength.toLocaleString()} bytes>`;
  if (typeof value === 'string' && value.length > 160)
    return `${value.slice(0, 160)}… (${value.length.toLocaleString()} chars)`;
  if (Array.isArray(value) && value.length > 10) return [...value.slice(0, 10), `… ${value.length - 10} more`];
  return value;
}

log('info', '·', { frame: appUrl.href, note: 'waiting for the ready event' });
