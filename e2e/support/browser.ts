import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { findChromium, launchArgs, webgpuArgs } from '../chromium.mjs';

/** Options of {@link launchBrowser}. */
export interface LaunchOptions {
  /** Add the SwiftShader WebGPU flags (slow; only for the WebGPU smoke test). */
  webgpu?: boolean;
  /** More Chromium flags. */
  args?: readonly string[];
}

/** Launches headless Chromium with the project's flags (hermetic: no network beyond loopback). */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const executablePath = inject('chromiumPath') || findChromium();
  if (!executablePath) throw new Error('no Chromium: run the specs through vitest.e2e.config.ts');
  return chromium.launch({
    executablePath,
    args: [...launchArgs, ...(options.webgpu ? webgpuArgs : []), ...(options.args ?? [])],
    timeout: 60_000,
  });
}

/** A page plus everything the specs assert about its side effects. */
export interface TestPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** The origin requests are judged against, e.g. "http://127.0.0.1:41234". */
  readonly origin: string;
  /** "METHOD url" of every request (page, frames, workers) to another origin. */
  readonly offOriginRequests: string[];
  /** "[page|worker] text (url:line)" of every console.error, in page and workers. */
  readonly consoleErrors: string[];
  /** Uncaught exceptions and unhandled rejections. */
  readonly pageErrors: string[];
  /** "status url" of same-origin responses with status >= 400, and failed requests. */
  readonly failedRequests: string[];
  /** Closes the context (and with it the page and its workers). */
  close(): Promise<void>;
}

/** Options of {@link newPage}. */
export interface NewPageOptions {
  /** Defaults to the URL the global setup serves. */
  baseUrl?: string;
  /** Further origins that do not count as off-origin (e.g. an embed host page on localhost). */
  allowedOrigins?: readonly string[];
  /** Default 1280 × 800. */
  viewport?: { width: number; height: number };
  /** Browser locale, default "en-US". */
  locale?: string;
}

/** URL schemes that never leave the page (and so are never off-origin). */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:', 'javascript:']);

/** The base URL the global setup provided. */
export function baseUrl(): string {
  return inject('baseUrl');
}

/**
 * A fresh context and page with recorders attached before the first navigation:
 * off-origin requests (context-wide, so worker fetches count), console errors from the
 * page and its workers, uncaught errors and failed same-origin requests.
 */
export async function newPage(browser: Browser, options: NewPageOptions = {}): Promise<TestPage> {
  const origin = new URL(options.baseUrl ?? baseUrl()).origin;
  const allowed = new Set([origin, ...(options.allowedOrigins ?? []).map((o) => new URL(o).origin)]);
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: options.locale ?? 'en-US',
    acceptDownloads: true,
  });

  const offOriginRequests: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const failedRequests: string[] = [];

  context.on('request', (request) => {
    const url = request.url();
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      offOriginRequests.push(`${request.method()} ${url}`);
      return;
    }
    if (LOCAL_SCHEMES.has(parsed.protocol) || allowed.has(parsed.origin)) return;
    offOriginRequests.push(`${request.method()} ${url}`);
  });
  context.on('response', (response) => {
    if (response.status() >= 400 && allowed.has(new URL(response.url()).origin)) {
      failedRequests.push(`${response.status()} ${response.url()}`);
    }
  });
  context.on('requestfailed', (request) => {
    const url = request.url();
    if (url.startsWith('http') && allowed.has(new URL(url).origin)) {
      failedRequests.push(`${request.failure()?.errorText ?? 'failed'} ${url}`);
    }
  });
  context.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const { url, lineNumber } = message.location();
    const where = url ? ` (${url}:${lineNumber})` : '';
    consoleErrors.push(`[${message.worker() ? 'worker' : 'page'}] ${message.text()}${where}`);
  });
  context.on('weberror', (webError) => {
    const error = webError.error();
    pageErrors.push(error.stack ?? `${error.name}: ${error.message}`);
  });

  const page = await context.newPage();
  page.on('crash', () => pageErrors.push('page crashed'));

  return {
    page,
    context,
    origin,
    offOriginRequests,
    consoleErrors,
    pageErrors,
    failedRequests,
    close: () => context.close(),
  };
}
