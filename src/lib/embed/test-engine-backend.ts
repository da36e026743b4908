/**
 * Test support: the data part of an `EmbedBackend` over a real `DataEngine` (DuckDB's Node
 * build), as `createClientBackend` gives it over the worker client in the app. Spread it over
 * `standInBackend()` and add the ML members a test serves.
 */
import type { DataEngine } from '../data/engine';
import type { EmbedMlMember } from './backend';
import type { EmbedBackend } from './methods';

/** Every data method of the embed backend, run by `engine` with a fresh job id per call. */
export function engineDataBackend(engine: DataEngine): Omit<EmbedBackend, EmbedMlMember> {
  let n = 0;
  const id = () => `embed-${++n}`;
  return {
    loadFile: (source, fileName, options, onProgress) => engine.loadFile(id(), source, fileName, options, onProgress),
    listTables: () => engine.listTables(),
    query: (sql, limit) => engine.query(id(), sql, limit),
    profile: (table, onProgress) => engine.profile(id(), table, onProgress),
    dropTable: (name) => engine.dropTable(name),
    applyRecipe: (request, onProgress) => engine.applyRecipe(id(), request, onProgress),
    buildCustomers: (request, onProgress) => engine.buildCustomers(id(), request, onProgress),
    buildProducts: (request, onProgress) => engine.buildProducts(id(), request, onProgress),
    buildSeries: (request, onProgress) => engine.buildSeries(id(), request, onProgress),
    buildLabels: (request, onProgress) => engine.buildLabels(id(), request, onProgress),
    selectFeatures: (request, onProgress) => engine.selectFeatures(id(), request, onProgress),
  };
}
