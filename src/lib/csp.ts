/**
 * The Content-Security-Policy of ShopSight: everything from the page's own origin, nothing else.
 *
 * `connect-src 'self'` is what keeps data on the machine: no fetch, XHR, WebSocket or
 * beacon can reach another host, whatever a dependency tries. `'wasm-unsafe-eval'` lets
 * DuckDB and TF.js compile their self-hosted WebAssembly; `blob:` workers are how Vite
 * and Comlink start module workers in some browsers.
 */
export function contentSecurityPolicy(options: { meta?: boolean; dataWorker?: boolean } = {}): string {
  // The data worker alone may also evaluate generated code: DuckDB-WASM's embind glue builds
  // small JS trampolines with `new Function` (`__emval_get_method_caller` → `newFunc`), and
  // without 'unsafe-eval' DuckDB sometimes fails to start. The page itself never needs it,
  // and connect-src — what keeps data on the machine — is the same for both.
  const scripts = options.dataWorker ? "'self' 'wasm-unsafe-eval' 'unsafe-eval'" : "'self' 'wasm-unsafe-eval'";
  const directives: string[] = [
    "default-src 'self'",
    `script-src ${scripts}`,
    "worker-src 'self' blob:",
    "connect-src 'self'",
    "img-src 'self' data: blob:",
    // Svelte transitions and ECharts set inline styles.
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ];
  // No frame-ancestors: admin panels on any origin may frame the app; what a host may
  // *ask* is limited by the embed allow-list (src/lib/embed). `options.meta` is kept so a
  // header-only directive can be added without touching callers.
  void options.meta;
  return directives.join('; ');
}
