import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { AppPage } from '../pages/app-page';
import { screenshot } from './artifacts';
import { baseUrl, launchBrowser, newPage, type LaunchOptions, type NewPageOptions, type TestPage } from './browser';

/** What {@link useApp} hands each test; read the fields inside tests and hooks only. */
export interface AppFixture {
  readonly browser: Browser;
  readonly tp: TestPage;
  readonly page: TestPage['page'];
  readonly app: AppPage;
}

/**
 * Registers the usual hooks for a spec file: one browser per file, a fresh context and
 * page per test (with the recorders of {@link newPage}), a screenshot in e2e/artifacts/
 * when a test fails, and clean-up. Call at the top of a `describe` or file.
 */
export function useApp(options: { launch?: LaunchOptions; page?: NewPageOptions } = {}): AppFixture {
  let browser: Browser | undefined;
  let current: { tp: TestPage; app: AppPage } | undefined;

  beforeAll(async () => {
    browser = await launchBrowser(options.launch);
  });
  afterAll(async () => {
    await browser?.close();
    browser = undefined;
  });
  beforeEach(async () => {
    if (!browser) throw new Error('browser did not start');
    const tp = await newPage(browser, options.page);
    current = { tp, app: new AppPage(tp.page, options.page?.baseUrl ?? baseUrl()) };
  });
  afterEach(async (context) => {
    if (!current) return;
    // afterEach runs before onTestFailed callbacks, while the page is still open.
    if (context.task.result?.state === 'fail') {
      const name = `${context.task.file.name.replace(/^.*\//, '')}-${context.task.name}`;
      const path = await screenshot(current.tp.page, name).catch(() => null);
      if (path) console.log(`[e2e] screenshot of the failure: ${path}`);
    }
    await current.tp.close();
    current = undefined;
  });

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is only available inside tests and hooks`);
    return value;
  };
  return {
    get browser() {
      return need(browser, 'browser');
    },
    get tp() {
      return need(current, 'tp').tp;
    },
    get page() {
      return need(current, 'page').tp.page;
    },
    get app() {
      return need(current, 'app').app;
    },
  };
}
