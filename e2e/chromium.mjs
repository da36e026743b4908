// Finds (and, as root on Debian, installs) the one browser this project tests with:
// Debian's Chromium. npm cannot download browsers here, so playwright-core drives a
// system binary. Plain ESM so that both vitest (e2e) and plain `node` (bench) can import
// it; the types are in chromium.d.mts.
//
// CLI: `node e2e/chromium.mjs` prints the binary's path, installing it if it can.

import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where we look after $CHROMIUM_PATH, in order. */
export const candidatePaths = Object.freeze([
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
]);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Flags every launch gets. Besides the usual quiet-Chromium flags, the last two make the
 * browser hermetic: every host name except localhost fails to resolve, and every
 * connection that is not to loopback goes to a proxy on 127.0.0.1:9 where nothing
 * listens (Chromium always sends loopback direct, whatever the proxy). So even a request
 * the recorder in e2e/support catches never leaves the machine.
 */
export const launchArgs = Object.freeze([
  ...(isRoot ? ['--no-sandbox'] : []),
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--headless=new',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
  '--proxy-server=http://127.0.0.1:9',
]);

/** Extra flags that give headless Chromium a (SwiftShader, software) WebGPU adapter. */
export const webgpuArgs = Object.freeze([
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
]);

/** The one-line advice printed when no browser can be found or installed. */
export const installHint =
  'Chromium not found: install it (as root: apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium/Chrome binary.';

/** Thrown when no usable Chromium exists; its message is a single line meant for humans. */
export class ChromiumNotFoundError extends Error {
  constructor(message = installHint) {
    super(message);
    this.name = 'ChromiumNotFoundError';
  }
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The path of a Chromium binary, or null. A $CHROMIUM_PATH that is set but not
 * executable is an error rather than silently ignored.
 */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return fromEnv;
    throw new ChromiumNotFoundError(`CHROMIUM_PATH=${fromEnv} is not an executable file; fix it or unset it.`);
  }
  return candidatePaths.find(isExecutable) ?? null;
}

/**
 * The path of a Chromium binary. When there is none and we are root on a machine with
 * apt-get, installs Debian's `chromium` (printing one line; apt's output goes to a log
 * file). Otherwise throws ChromiumNotFoundError.
 */
export function ensureChromium(options = {}) {
  const log = options.log ?? ((line) => console.log(line));
  const found = findChromium();
  if (found) return found;

  if (!isRoot || !existsSync('/usr/bin/apt-get')) throw new ChromiumNotFoundError();

  const logFile = join(tmpdir(), 'shopsight-chromium-install.log');
  log(`Chromium not found; installing Debian's chromium with apt-get (log: ${logFile}) ...`);
  const result = spawnSync('sh', ['-c', `{ apt-get update && apt-get install -y chromium; } >"${logFile}" 2>&1`], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const installed = findChromium();
  if (result.status !== 0 || !installed) {
    throw new ChromiumNotFoundError(
      `apt-get install -y chromium failed (exit ${result.status ?? result.signal}); see ${logFile}, or set CHROMIUM_PATH.`,
    );
  }
  return installed;
}

// `node e2e/chromium.mjs`: print the path (installing if possible) or one line and exit 1.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    console.log(ensureChromium());
  } catch (error) {
    console.error(error instanceof ChromiumNotFoundError ? error.message : String(error));
    process.exit(1);
  }
}
