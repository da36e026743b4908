/** The repository root. */
export declare const repoRoot: string;

/** Runs `vite build` for `root` (default: the repository) in a child process. */
export declare function buildApp(options?: {
  root?: string;
  logLevel?: 'info' | 'warn' | 'error' | 'silent';
}): Promise<void>;

/** A running preview server. */
export interface PreviewHandle {
  /** The base URL, e.g. "http://127.0.0.1:41234/". */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `root`'s build (default: the repository's dist/) on 127.0.0.1 and a free port. */
export declare function startPreview(options?: { root?: string; host?: string; port?: number }): Promise<PreviewHandle>;
