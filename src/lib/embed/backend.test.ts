import { describe, expect, it } from 'vitest';
import type { LoadOptions, ProgressCallback } from '../contracts/data-api';
import { createClientBackend, embedJobIds, type EmbedDataClient } from './backend';
import { ipcOf, qualityReport, tableInfo } from './test-fakes';

describe('createClientBackend', () => {
  it('forwards every call to the data client with a fresh embed job id', async () => {
    const seen: unknown[][] = [];
    const client: EmbedDataClient = {
      loadFile: async (...args: [Blob, string, LoadOptions, ProgressCallback?, string?]) => {
        seen.push(['loadFile', ...args]);
        return [tableInfo('orders')];
      },
      listTables: async () => [],
      query: async (...args: [string, number, string?]) => {
        seen.push(['query', ...args]);
        return { ipc: ipcOf({ n: [1] }), rowCount: 1, truncated: false, elapsedMs: 1 };
      },
      profile: async (...args: [string, ProgressCallback?, string?]) => {
        seen.push(['profile', ...args]);
        return qualityReport(args[0]);
      },
      dropTable: async (name: string) => {
        seen.push(['dropTable', name]);
      },
      applyRecipe: async (...args) => {
        seen.push(['applyRecipe', ...args]);
        throw new Error('not needed');
      },
      buildCustomers: async (...args) => {
        seen.push(['buildCustomers', ...args]);
        throw new Error('not needed');
      },
      buildProducts: async (...args) => {
        seen.push(['buildProducts', ...args]);
        throw new Error('not needed');
      },
      buildSeries: async (...args) => {
        seen.push(['buildSeries', ...args]);
        throw new Error('not needed');
      },
      buildLabels: async (...args) => {
        seen.push(['buildLabels', ...args]);
        throw new Error('not needed');
      },
      selectFeatures: async (...args) => {
        seen.push(['selectFeatures', ...args]);
        throw new Error('not needed');
      },
    };
    const backend = createClientBackend(client, embedJobIds('t'));
    const blob = new Blob(['a\n1']);
    const progress: ProgressCallback = () => {};
    await backend.loadFile(blob, 'orders.csv', { encoding: 'utf-8' }, progress);
    await backend.query('SELECT 1', 10);
    await backend.profile('orders', progress);
    await backend.dropTable('orders');
    await expect(backend.buildCustomers({ table: 'orders' }, progress)).rejects.toThrow('not needed');
    expect(seen).toEqual([
      ['loadFile', blob, 'orders.csv', { encoding: 'utf-8' }, progress, 'embed-load-1-t'],
      ['query', 'SELECT 1', 10, 'embed-query-2-t'],
      ['profile', 'orders', progress, 'embed-profile-3-t'],
      ['dropTable', 'orders'],
      ['buildCustomers', { table: 'orders' }, progress, 'embed-build-4-t'],
    ]);
  });

  it('makes job ids unique across generators', () => {
    const a = embedJobIds();
    const b = embedJobIds();
    expect(a('load')).not.toBe(b('load'));
  });
});
