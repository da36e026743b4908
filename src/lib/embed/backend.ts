/**
 * Adapts the UI's `DataClient` to the narrow `EmbedBackend` the embed methods use. Going
 * through the client (rather than the raw worker API) matters: it proxies progress callbacks
 * over Comlink, and its supervisor remembers host-loaded files so they survive a worker
 * restart just like files the user dropped. Each call gets its own job id.
 */
import type { DataClient } from '../clients/data-client';
import type { RecommendClient } from '../clients/recommend-client';
import type { EmbedBackend } from './methods';
import type { RecommendBackend } from './recommend-methods';

/** The part of `RecommendClient` the embed API uses. */
export type EmbedRecommendClient = Pick<RecommendClient, 'recommend' | 'sentiment'>;

/** The Recommend chapter's embed member over its client, with embed job ids. */
export function recommendBackend(client: EmbedRecommendClient, newJobId = embedJobIds()): RecommendBackend {
  return {
    recommend: (request, onProgress) => client.recommend(newJobId('recommend'), request, onProgress),
    sentiment: (request, onProgress) => client.sentiment(newJobId('sentiment'), request, onProgress),
  };
}

/** The part of `DataClient` the embed API uses. */
export type EmbedDataClient = Pick<
  DataClient,
  | 'loadFile'
  | 'listTables'
  | 'query'
  | 'profile'
  | 'dropTable'
  | 'applyRecipe'
  | 'buildCustomers'
  | 'buildProducts'
  | 'buildSeries'
  | 'buildLabels'
  | 'selectFeatures'
>;

/** Job ids for embed calls (`embed-load-3-k2x9qa`), so logs tell them from the UI's own. */
export function embedJobIds(salt = Math.random().toString(36).slice(2, 8)): (kind: string) => string {
  let counter = 0;
  return (kind) => `embed-${kind}-${++counter}-${salt}`;
}

/** The members of `EmbedBackend` that the ML worker serves (start.ts adds them from `AppState`). */
export type EmbedMlMember = 'classify' | 'forecast' | 'segments' | 'recommend';

/** The data part of an `EmbedBackend` over the data client. */
export function createClientBackend(
  client: EmbedDataClient,
  newJobId = embedJobIds(),
): Omit<EmbedBackend, EmbedMlMember> {
  return {
    loadFile: (source, fileName, options, onProgress) =>
      client.loadFile(source, fileName, options, onProgress, newJobId('load')),
    listTables: () => client.listTables(),
    query: (sql, limit) => client.query(sql, limit, newJobId('query')),
    profile: (table, onProgress) => client.profile(table, onProgress, newJobId('profile')),
    dropTable: (name) => client.dropTable(name),
    applyRecipe: (request, onProgress) => client.applyRecipe(request, onProgress, newJobId('recipe')),
    buildCustomers: (request, onProgress) => client.buildCustomers(request, onProgress, newJobId('build')),
    buildProducts: (request, onProgress) => client.buildProducts(request, onProgress, newJobId('build')),
    buildSeries: (request, onProgress) => client.buildSeries(request, onProgress, newJobId('build')),
    buildLabels: (request, onProgress) => client.buildLabels(request, onProgress, newJobId('build')),
    selectFeatures: (request, onProgress) => client.selectFeatures(request, onProgress, newJobId('select')),
  };
}
