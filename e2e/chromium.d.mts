/** Where Chromium is looked for after $CHROMIUM_PATH, in order. */
export declare const candidatePaths: readonly string[];
/** Flags every launch gets: quiet, headless, sandbox off as root, and no network beyond loopback. */
export declare const launchArgs: readonly string[];
/** Extra flags that give headless Chromium a software (SwiftShader) WebGPU adapter. */
export declare const webgpuArgs: readonly string[];
/** The one-line advice shown when no browser can be found or installed. */
export declare const installHint: string;
/** Thrown when no usable Chromium exists; the message is one line. */
export declare class ChromiumNotFoundError extends Error {
  constructor(message?: string);
}
/** The path of a Chromium binary, or null (throws if $CHROMIUM_PATH is set but unusable). */
export declare function findChromium(): string | null;
/** The path of a Chromium binary, installing Debian's chromium with apt-get when root. */
export declare function ensureChromium(options?: { log?: (line: string) => void }): string;
