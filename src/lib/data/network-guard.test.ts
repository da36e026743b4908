import { describe, expect, it } from 'vitest';
import { OFF_ORIGIN_MESSAGE, installNetworkGuard, isSameOrigin } from './network-guard';

describe('network guard of the data worker', () => {
  const origin = 'https://shop.example.com';
  const href = 'https://shop.example.com/assets/data.worker.js';

  it('tells same-origin URLs from the rest', () => {
    expect(isSameOrigin('/assets/duckdb-eh.wasm', origin, href)).toBe(true);
    expect(isSameOrigin('duckdb.wasm', origin, href)).toBe(true);
    expect(isSameOrigin('blob:https://shop.example.com/1', origin, href)).toBe(true);
    expect(isSameOrigin('http://shop.example.com/x', origin, href)).toBe(false);
    expect(isSameOrigin('https://evil.example.org/x.csv', origin, href)).toBe(false);
    expect(isSameOrigin('//evil.example.org/x', origin, href)).toBe(false);
  });

  it('refuses off-origin fetch and XHR, and lets same-origin ones through', async () => {
    const calls: string[] = [];
    class FakeXhr {
      open(_method: string, url: string) {
        calls.push(`xhr ${url}`);
      }
    }
    const scope = {
      location: { origin, href },
      fetch: (async (input: RequestInfo | URL) => {
        calls.push(`fetch ${String(input)}`);
        return new Response('ok');
      }) as typeof fetch,
      XMLHttpRequest: FakeXhr as unknown as typeof XMLHttpRequest,
      WebSocket: class {},
    };
    installNetworkGuard(scope);
    await expect(scope.fetch('https://evil.example.org/x')).rejects.toThrow(OFF_ORIGIN_MESSAGE);
    await scope.fetch('/assets/duckdb-eh.wasm');
    const xhr = new scope.XMLHttpRequest();
    expect(() => xhr.open('GET', 'http://evil.example.org/data.csv')).toThrow(OFF_ORIGIN_MESSAGE);
    xhr.open('HEAD', '/assets/x.wasm');
    expect(() => new (scope.WebSocket as new () => unknown)()).toThrow(OFF_ORIGIN_MESSAGE);
    expect(calls).toEqual(['fetch /assets/duckdb-eh.wasm', 'xhr /assets/x.wasm']);
  });
});
