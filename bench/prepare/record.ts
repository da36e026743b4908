/**
 * The native half's source of SQL: runs the data worker's own engine (`DataEngine`, the class
 * behind `workers/data.worker.ts`) on DuckDB-WASM's Node build and records every statement it
 * sends to DuckDB, stage by stage: the load of the CSV, `applyRecipe` (fit + apply + per-step
 * stats) and `buildCustomers`. `run.mjs` replays exactly these statements on native DuckDB.
 *
 * Loaded by `run.mjs` through Vite's SSR transform (`tsLoader` in bench/forecast/harness.mjs),
 * so the app's TypeScript runs unchanged in Node.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createNodeDb } from '../../src/test/duckdb-node';
import { DataEngine } from '../../src/lib/data/engine';
import { bufferRegistrar } from '../../src/lib/data/ingest/registrar';
import type { CancelToken, Db } from '../../src/lib/data/db';
import type { Recipe } from '../../src/lib/pipeline/steps';

export type Stage = 'load' | 'recipe' | 'customers';

export interface RecordedStage {
  stage: Stage;
  /** Every statement, in order, as DuckDB got it. */
  sql: string[];
  /** Milliseconds of each statement in the Node WASM engine (a pending query's polling included). */
  statementMs: number[];
  /** Wall time of the stage in the Node WASM engine (milliseconds). */
  wasmMs: number;
}

export interface Recording {
  table: string;
  columns: { name: string; type: string; role: string }[];
  /** DuckDB's name for the file the load registered (`__ingest_1.csv`): the CSV on disk natively. */
  registeredFiles: string[];
  stages: RecordedStage[];
  fittedRecipe: Recipe;
  perStep: { id: string; rows: number; columns: number; failed?: number }[];
  preparedTable: { name: string; rows: number; columns: number };
  customersTable: { name: string; rows: number; columns: number };
  duckdbVersion: string;
}

type DbMethod = 'exec' | 'ipc' | 'table' | 'rows' | 'scalar' | 'runCancellable';
const METHODS: readonly DbMethod[] = ['exec', 'ipc', 'table', 'rows', 'scalar', 'runCancellable'];

/** Wraps the facade's methods so that the outermost call of each statement is recorded once. */
function recordInto(db: Db, sink: Sink): void {
  let depth = 0;
  const target = db as unknown as Record<DbMethod, (sql: string, ...rest: unknown[]) => unknown>;
  for (const name of METHODS) {
    const original = target[name].bind(db);
    target[name] = (sql: string, ...rest: unknown[]) => {
      const outermost = depth === 0;
      const index = sink.sql.length;
      if (outermost) {
        sink.sql.push(sql);
        sink.ms.push(0);
      }
      const started = performance.now();
      const done = () => {
        depth--;
        if (outermost) sink.ms[index] = performance.now() - started;
      };
      depth++;
      try {
        const out = original(sql, ...rest);
        if (out instanceof Promise) return out.finally(done);
        done();
        return out;
      } catch (error) {
        done();
        throw error;
      }
    };
  }
}

interface Sink {
  sql: string[];
  ms: number[];
}

export async function record(csvPath: string, recipe: Recipe, cutoff?: string): Promise<Recording> {
  const db = await createNodeDb();
  const sink: Sink = { sql: [], ms: [] };
  const registeredFiles: string[] = [];
  const registrar = bufferRegistrar(db.bindings);
  const registering = {
    async register(name: string, blob: Blob) {
      registeredFiles.push(name);
      await registrar.register(name, blob);
    },
    drop: (name: string) => registrar.drop(name),
  };
  const duckdbVersion = String(db.scalar('SELECT version()'));
  recordInto(db, sink);
  const engine = new DataEngine(db, registering);
  const stages: RecordedStage[] = [];
  let job = 0;
  const stage = async <T>(name: Stage, work: () => Promise<T>): Promise<T> => {
    sink.sql = [];
    sink.ms = [];
    const started = performance.now();
    const out = await work();
    stages.push({ stage: name, sql: sink.sql, statementMs: sink.ms, wasmMs: performance.now() - started });
    return out;
  };
  try {
    const bytes = readFileSync(csvPath);
    const blob = new Blob([bytes]);
    const [info] = await stage('load', () => engine.loadFile(`load-${++job}`, blob, basename(csvPath), {}));
    if (!info) throw new Error('the engine loaded no table');
    const applied = await stage('recipe', () =>
      engine.applyRecipe(`recipe-${++job}`, { table: info.name, recipe, fit: 'missing' }),
    );
    const customers = await stage('customers', () =>
      engine.buildCustomers(`customers-${++job}`, { table: info.name, ...(cutoff ? { cutoff } : {}) }),
    );
    return {
      table: info.name,
      columns: info.columns.map((c) => ({ name: c.name, type: c.type, role: c.role })),
      registeredFiles,
      stages,
      fittedRecipe: applied.recipe,
      perStep: applied.perStep.map((s) => ({ ...s })),
      preparedTable: {
        name: applied.table.name,
        rows: applied.table.rows,
        columns: applied.table.columns.length,
      },
      customersTable: {
        name: customers.table.name,
        rows: customers.table.rows,
        columns: customers.table.columns.length,
      },
      duckdbVersion,
    };
  } finally {
    db.bindings.reset();
  }
}

/** For a quick look at what the app makes of the file (column names and types) without a recipe. */
export async function describeLoad(csvPath: string): Promise<{ name: string; type: string; role: string }[]> {
  const db = await createNodeDb();
  try {
    const engine = new DataEngine(db, bufferRegistrar(db.bindings));
    const [info] = await engine.loadFile('load', new Blob([readFileSync(csvPath)]), basename(csvPath), {});
    return (info?.columns ?? []).map((c) => ({ name: c.name, type: c.type, role: c.role }));
  } finally {
    db.bindings.reset();
  }
}

export type { CancelToken };
