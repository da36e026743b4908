import { describe, expect, it } from 'vitest';
import { screenshot } from './support/artifacts';
import { useApp } from './support/fixture';

describe('smoke', () => {
  const fx = useApp();

  it('starts: reaches data-state="ready", has a title, logs no errors and stays on its origin', async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    // Anything the start-up kicked off late (lazy chunks, wasm) has finished too.
    await fx.page.waitForLoadState('networkidle');

    expect((await fx.page.title()).trim()).not.toBe('');
    expect(fx.tp.offOriginRequests).toEqual([]);
    expect(fx.tp.consoleErrors).toEqual([]);
    expect(fx.tp.pageErrors).toEqual([]);
    expect(fx.tp.failedRequests).toEqual([]);

    await screenshot(fx.page, 'smoke-ready');
  });
});
