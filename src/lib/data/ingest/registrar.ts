/**
 * A `FileRegistrar` for Node tests (and small files anywhere): the Blob's bytes are copied into
 * DuckDB as a buffer. The browser worker registers Blobs as zero-copy file handles instead
 * (see `../duckdb-browser.ts`), because Node has no `FileReaderSync` for DuckDB to read slices with.
 */
import type { DuckDBBindings } from 'duckdb-blocking';
import type { FileRegistrar } from './stage';

/** Registers Blobs by copying their bytes into DuckDB's virtual file system. */
export function bufferRegistrar(bindings: DuckDBBindings): FileRegistrar {
  return {
    async register(name, blob) {
      bindings.registerFileBuffer(name, new Uint8Array(await blob.arrayBuffer()));
    },
    drop(name) {
      bindings.dropFile(name);
    },
  };
}
