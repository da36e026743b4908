import type { Request } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { baseUrl } from './support/browser';
import { useApp } from './support/fixture';

/**
 * Checks the harness itself, independently of the app: the recorders that smoke and
 * the other specs rely on must see off-origin requests (also from workers), worker
 * console errors and uncaught errors, and the browser must not reach the network.
 * The page is synthetic: served by a route on the app's origin, so the app's CSP does
 * not apply.
 */
const PROBE_HTML = `<!doctype html><html><head><title>harness probe</title></head><body><script>
  const worker = new Worker(URL.createObjectURL(new Blob([
    "console.error('from-worker'); fetch('http://worker.example.invalid/w').catch(() => postMessage('w-done'));"
  ], { type: 'text/javascript' })));
  const fromWorker = new Promise((resolve) => { worker.onmessage = resolve; });
  const fromPage = Promise.all([
    fetch('http://page.example.invalid/p').catch(() => {}),
    fetch('http://192.0.2.1/ip-literal').catch(() => {}),
    fetch('data:text/plain,local').then((r) => r.text()),
  ]);
  Promise.all([fromWorker, fromPage]).then(() => {
    document.documentElement.dataset.probe = 'done';
    setTimeout(() => { throw new Error('uncaught-probe'); });
  });
</script></body></html>`;

describe('harness', () => {
  const fx = useApp();

  it('records off-origin requests, worker console errors and uncaught errors; nothing leaves loopback', async () => {
    const probeUrl = new URL('__harness_probe__', baseUrl()).href;
    await fx.page.route(probeUrl, (route) => route.fulfill({ contentType: 'text/html', body: PROBE_HTML }));
    const failures = new Map<string, string>();
    fx.tp.context.on('requestfailed', (request: Request) => {
      failures.set(request.url(), request.failure()?.errorText ?? '');
    });

    await fx.page.goto(probeUrl);
    await fx.page.waitForFunction(() => document.documentElement.dataset.probe === 'done');
    await expect.poll(() => fx.tp.pageErrors.length).toBeGreaterThan(0);

    expect(fx.tp.offOriginRequests).toEqual(
      expect.arrayContaining([
        'GET http://worker.example.invalid/w',
        'GET http://page.example.invalid/p',
        'GET http://192.0.2.1/ip-literal',
      ]),
    );
    expect(fx.tp.offOriginRequests.some((r) => r.includes('data:') || r.includes('blob:'))).toBe(false);
    expect(fx.tp.offOriginRequests.some((r) => r.includes('__harness_probe__'))).toBe(false);
    expect(fx.tp.consoleErrors.some((e) => e.startsWith('[worker] from-worker'))).toBe(true);
    expect(fx.tp.pageErrors.some((e) => e.includes('uncaught-probe'))).toBe(true);

    // The off-origin requests died at the dead loopback proxy / resolver rules, not on the wire.
    await expect.poll(() => failures.size).toBeGreaterThanOrEqual(3);
    for (const url of [
      'http://page.example.invalid/p',
      'http://192.0.2.1/ip-literal',
      'http://worker.example.invalid/w',
    ]) {
      expect(failures.get(url), url).toMatch(/ERR_PROXY_CONNECTION_FAILED|ERR_NAME_NOT_RESOLVED/);
    }
  });
});
