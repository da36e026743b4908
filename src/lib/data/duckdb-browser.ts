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

export interface ProgressHooks {
  /** DuckDB's own per-statement percentage (0–100), when it reports one. */
  onQueryProgress?: (percentage: number) => void;
  /** How far DuckDB has read into a registered file: the parse phase's progress. */
  onFileRead?: (fileName: string, position: number, size: number) => void;
}

export async function startBrowserDuckDb(hooks: ProgressHooks = {}): Promise<BrowserDuckDb> {
  const features = await getPlatformFeatures();
  const bundle = features.wasmExceptions ? 'eh' : 'mvp';
  const sizes = new Map<string, number>();
  const { onQueryProgress, onFileRead } = hooks;
  if (onQueryProgress) {
    // DuckDB-WASM reports progress through the runtime; the default posts it to nobody.
    BROWSER_RUNTIME.progressUpdate = (_final: number, percentage: number) => onQueryProgress(percentage);
  }
  if (onFileRead) {
    // Reading a registered file is the bulk of a CSV load: the furthest byte read, over the
    // file's size, is an honest progress measure that needs nothing from DuckDB itself.
    const read = BROWSER_RUNTIME.readFile.bind(BROWSER_RUNTIME);
    BROWSER_RUNTIME.readFile = (mod, fileId, buffer, bytes, location) => {
      const n = read(mod, fileId, buffer, bytes, location);
      const name = BROWSER_RUNTIME.getFileInfo(mod, fileId)?.fileName;
      const size = name === undefined ? undefined : sizes.get(name);
      if (name !== undefined && size) onFileRead(name, location + n, size);
      return n;
    };
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
      sizes.set(name, blob.size);
    },
    drop(name) {
      sizes.delete(name);
      bindings.dropFile(name);
    },
  };
  return { db, bundle, version: bindings.getVersion(), registrar };
}
