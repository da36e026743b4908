// `npm run test:e2e [-- vitest args]`: checks for Chromium first (one clear line if it is
// missing and cannot be installed), then runs the specs with vitest.e2e.config.ts.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ChromiumNotFoundError, ensureChromium } from './chromium.mjs';
import { repoRoot } from './support/serve.mjs';

try {
  ensureChromium({ log: (line) => console.log(`[e2e] ${line}`) });
} catch (error) {
  console.error(error instanceof ChromiumNotFoundError ? error.message : String(error));
  process.exit(1);
}

const require = createRequire(import.meta.url);
const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const child = spawn(process.execPath, [vitest, 'run', '--config', 'vitest.e2e.config.ts', ...process.argv.slice(2)], {
  cwd: repoRoot,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
