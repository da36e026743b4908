import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ChromiumNotFoundError, ensureChromium } from './chromium.mjs';
import { buildApp, repoRoot, startPreview } from './support/serve.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the app under test, ending in "/" (e.g. "http://127.0.0.1:41234/"). */
    baseUrl: string;
    /** The Chromium binary the specs launch. */
    chromiumPath: string;
  }
}

const log = (line: string): void => console.log(`[e2e] ${line}`);

/**
 * Runs once before all e2e specs: makes sure Chromium exists, builds the app (unless
 * SHOPSIGHT_SKIP_BUILD=1), serves dist/ with `vite preview` on 127.0.0.1 and a free port,
 * and hands the URL to the specs through `inject('baseUrl')`. The returned function stops
 * the server.
 *
 * SHOPSIGHT_BASE_URL=http://… skips build and server and tests an app already running;
 * SHOPSIGHT_E2E_ROOT=<dir> builds and serves another Vite root (for harness self-tests).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let chromiumPath: string;
  try {
    chromiumPath = ensureChromium({ log });
  } catch (error) {
    if (error instanceof ChromiumNotFoundError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  project.provide('chromiumPath', chromiumPath);

  const external = process.env.SHOPSIGHT_BASE_URL;
  if (external) {
    const url = external.endsWith('/') ? external : `${external}/`;
    log(`testing the app already running at ${url}`);
    project.provide('baseUrl', url);
    return async () => {};
  }

  const root = resolve(process.env.SHOPSIGHT_E2E_ROOT ?? repoRoot);
  if (process.env.SHOPSIGHT_SKIP_BUILD === '1') {
    log('SHOPSIGHT_SKIP_BUILD=1: serving the existing dist/');
    if (!existsSync(join(root, 'dist', 'index.html'))) {
      throw new Error(`no build at ${join(root, 'dist')}; run \`npm run build\` or unset SHOPSIGHT_SKIP_BUILD`);
    }
  } else {
    const started = performance.now();
    log('vite build ...');
    try {
      await buildApp({ root });
    } catch {
      // vite has printed why; a stack trace from here would only add noise.
      console.error('[e2e] vite build failed (see above); no specs were run');
      process.exit(1);
    }
    log(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  const server = await startPreview({ root });
  log(`serving ${join(root, 'dist')} at ${server.url}`);
  project.provide('baseUrl', server.url);

  return async () => {
    await server.close();
  };
}
