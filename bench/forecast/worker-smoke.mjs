// Opens the bench page in headless Chromium and drives the real train worker once through
// TrainClient (init, train, predict, data port, cancel, memory). Not a test suite: a quick
// check that the worker starts in a browser with self-hosted wasm and nothing off-origin.
import { openBenchPage } from './harness.mjs';
import { log } from '../support/common.mjs';

const session = await openBenchPage({ timeoutMs: 300_000 });
try {
  const result = await session.page.evaluate(() => globalThis.shopsightBench.workerSmoke());
  log(JSON.stringify(result, null, 2));
  log(`console errors: ${JSON.stringify(session.consoleErrors)}`);
  log(`CSP violations: ${JSON.stringify(session.cspViolations)}`);
  log(`failed requests: ${JSON.stringify(session.failed)}`);
  log(`off-origin requests: ${JSON.stringify(session.offOrigin)}`);
  if (result.cancelled !== 'cancelled' || session.offOrigin.length || session.cspViolations.length)
    process.exitCode = 1;
} finally {
  await session.close();
}
