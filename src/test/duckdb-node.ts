/**
 * Test helper: a real DuckDB-WASM (Node blocking build) behind the same `Db` facade the
 * worker uses. Start-up costs ~1.5 s, so suites share one instance per file.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DuckDBBindings } from 'duckdb-blocking';
import type * as DuckDBNodeBlocking from 'duckdb-node-blocking';
import { Db } from '../lib/data/db';

const require = createRequire(import.meta.url);
/** The CJS-only Node build, loaded with require (it has no ESM entry). */
type DuckDBNodeModule = typeof DuckDBNodeBlocking;

export async function createNodeBindings(): Promise<DuckDBBindings> {
  const entry = require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const dist = path.dirname(entry);
  const duckdb = require(entry) as DuckDBNodeModule;
  const bindings = await duckdb.createDuckDB(
    {
      mvp: {
        mainModule: path.join(dist, 'duckdb-mvp.wasm'),
        mainWorker: path.join(dist, 'duckdb-node-mvp.worker.cjs'),
      },
      eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: path.join(dist, 'duckdb-node-eh.worker.cjs') },
    },
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME,
  );
  await bindings.instantiate(() => {});
  bindings.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true } });
  return bindings as unknown as DuckDBBindings;
}

export async function createNodeDb(): Promise<Db> {
  return new Db(await createNodeBindings());
}

/** Path of the shared public datasets (overridable for CI machines that keep them elsewhere). */
export const DATASETS_DIR = process.env.SHOPSIGHT_DATASETS ?? path.resolve(process.cwd(), '../shared/datasets');
