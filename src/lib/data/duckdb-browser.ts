/**
 * Starts DuckDB-WASM inside the data worker from self-hosted files: the wasm binaries are
 * emitted by Vite as assets of our own origin (`?url`), nothing comes from a CDN, and the
 * blocking build runs DuckDB in this very worker (no second worker, no extension downloads).
 */
import {
  BROWSER_RUNTIME,
  ConsoleLogger,
  DuckDBDataProtocol,
  LogLevel,
  createDuckDB,
  getPlatformFeatures,
  type DuckDBBindings,
} from 'duckdb-blocking';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import { Db } from './db';
import type { FileRegistrar } from './ingest/stage';

export interface BrowserDuckDb {
  db: Db;
  bundle: 'eh' | 'mvp';
  version: string;
  registrar: FileRegistrar;
}

/** Hook the runtime calls while a query makes progress (0–100), when progress is enabled. */
export type QueryProgressHook = (percentage: number) => void;

export async function startBrowserDuckDb(onQueryProgress?: QueryProgressHook): Promise<BrowserDuckDb> {
  const features = await getPlatformFeatures();
  const bundle = features.wasmExceptions ? 'eh' : 'mvp';
  if (onQueryProgress) {
    // DuckDB-WASM reports progress through the runtime; the default implementation ignores it.
    BROWSER_RUNTIME.progressUpdate = (_final: number, percentage: number) => onQueryProgress(percentage);
  }
  const bindings: DuckDBBindings = await createDuckDB(
    {
      // The blocking build never starts a worker; the field is required by the type only.
      mvp: { mainModule: mvpWasm, mainWorker: '' },
      eh: { mainModule: ehWasm, mainWorker: '' },
    },
    new ConsoleLogger(LogLevel.WARNING),
    BROWSER_RUNTIME,
  );
  await bindings.instantiate(() => {});
  bindings.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true } });
  const db = new Db(bindings);
  const registrar: FileRegistrar = {
    async register(name, blob) {
      // A File/Blob handle: DuckDB reads slices on demand (FileReaderSync), the bytes are not
      // copied into the wasm heap, so files larger than the heap can load.
      bindings.registerFileHandle(name, blob, DuckDBDataProtocol.BROWSER_FILEREADER, true);
    },
    drop(name) {
      bindings.dropFile(name);
    },
  };
  return { db, bundle, version: bindings.getVersion(), registrar };
}
