/**
 * A second lock on the data worker's doors, independent of how the app is hosted.
 *
 * DuckDB-WASM can read `http(s)://` paths by itself (its runtime issues XMLHttpRequests from
 * this worker, no extension needed), and a worker started from its own URL only gets a
 * Content-Security-Policy when the server sends one as a header — a plain static host
 * doesn't. So before DuckDB starts, the worker's network APIs are wrapped to refuse any URL
 * outside the page's own origin. Same-origin requests (the wasm binary) pass.
 */
export const OFF_ORIGIN_MESSAGE = 'ShopSight never reads from the internet. Load the file into ShopSight instead.';

type Scope = {
  location: { origin: string; href: string };
  fetch?: typeof fetch;
  XMLHttpRequest?: typeof XMLHttpRequest;
  WebSocket?: unknown;
  EventSource?: unknown;
  importScripts?: (...urls: string[]) => void;
};

/** Whether `url` (absolute or relative to `base`) stays on `origin`; data:/blob: count as local. */
export function isSameOrigin(url: string | URL, origin: string, base: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(String(url), base);
  } catch {
    return false;
  }
  if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return true;
  return parsed.origin === origin;
}

/** Wraps fetch, XMLHttpRequest, WebSocket, EventSource and importScripts of `scope`. */
export function installNetworkGuard(scope: Scope): void {
  const { origin, href } = scope.location;
  // A plain function, so `new WebSocket(…)` reaches it and throws our message.
  function refuse(): never {
    throw new TypeError(OFF_ORIGIN_MESSAGE);
  }
  const originalFetch = scope.fetch;
  if (originalFetch) {
    scope.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const url = typeof input === 'string' || input instanceof URL ? input : input.url;
      if (!isSameOrigin(url, origin, href)) return Promise.reject(new TypeError(OFF_ORIGIN_MESSAGE));
      return originalFetch.call(globalThis, input, init);
    };
  }
  const Xhr = scope.XMLHttpRequest;
  if (Xhr) {
    const open = Xhr.prototype.open;
    Xhr.prototype.open = function guardedOpen(
      this: XMLHttpRequest,
      method: string,
      url: string | URL,
      ...rest: unknown[]
    ) {
      if (!isSameOrigin(url, origin, href)) refuse();
      return (open as (...args: unknown[]) => void).call(this, method, url, ...rest);
    } as typeof open;
  }
  // Nothing in the worker needs these at all.
  if (scope.WebSocket) scope.WebSocket = refuse;
  if (scope.EventSource) scope.EventSource = refuse;
  const importScripts = scope.importScripts;
  if (importScripts) {
    scope.importScripts = (...urls: string[]) => {
      if (urls.some((u) => !isSameOrigin(u, origin, href))) refuse();
      importScripts.apply(globalThis, urls);
    };
  }
}
