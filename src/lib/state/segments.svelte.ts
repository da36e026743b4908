/**
 * The Segments view's state: which customer table, which features, the k range, the k-means
 * job and its result, building a customer table from an orders table when there is none, and
 * the customer → segment CSV export.
 */
import type { TableInfo } from '../contracts/data-api';
import type { BuildResult } from '../contracts/prepare-api';
import type { SegmentDistanceEngine, SegmentResult, SegmentScale } from '../contracts/segments-api';
import { SegmentsClient } from '../clients/segments-client';
import { decodeIpc } from '../data/arrow';
import { quoteIdent } from '../sql/ident';
import { toCsv } from '../segments/csv';
import { isFeatureColumn } from './feature-selection.svelte';
import { JobState } from './job.svelte';
import type { AppState } from './app.svelte';

/** Tables that can be segmented: one row per customer (a customer id role, no order id role). */
export function customerTables(tables: readonly TableInfo[]): TableInfo[] {
  return tables.filter(
    (t) =>
      t.columns.some((c) => c.role === 'customer_id') &&
      !t.columns.some((c) => c.role === 'order_id') &&
      t.derived?.kind !== 'segments' &&
      t.derived?.kind !== 'anomalies',
  );
}

/** Tables a customer table can be built from (order lines with order id, customer id and timestamp). */
export function orderTables(tables: readonly TableInfo[]): TableInfo[] {
  return tables.filter((t) =>
    ['order_id', 'customer_id', 'timestamp'].every((r) => t.columns.some((c) => c.role === r)),
  );
}

/** The best customer table: the newest derived 'customers' one, else the first candidate. */
export function preferredCustomerTable(tables: readonly TableInfo[]): TableInfo | undefined {
  const candidates = customerTables(tables);
  return [...candidates].reverse().find((t) => t.derived?.kind === 'customers') ?? candidates[0];
}

/** Numeric feature candidates of a customer table (ids, scores and the segment column excluded). */
export function segmentCandidates(table: TableInfo): string[] {
  return table.columns
    .filter((c) => isFeatureColumn(c.type) && !c.role.endsWith('_id') && !/(_score|^segment|^pca_[xy])$/i.test(c.name))
    .map((c) => c.name);
}

/** The default picks: R, F and M (the customer builder's names), else the first three candidates. */
export function defaultFeatures(table: TableInfo): string[] {
  const candidates = segmentCandidates(table);
  const rfm = ['recency_days', 'frequency', 'monetary_total'].filter((c) => candidates.includes(c));
  return rfm.length >= 2 ? rfm : candidates.slice(0, 3);
}

export class SegmentsState {
  readonly #app: AppState;
  readonly client: SegmentsClient;
  tableName = $state('');
  features = $state<string[]>([]);
  kMin = $state(2);
  kMax = $state(8);
  /** A k the user asked for (null: the best silhouette). */
  k = $state<number | null>(null);
  scale = $state<SegmentScale>('log');
  restarts = $state(10);
  seed = $state(0);
  /** Where the k-means distances run ('auto': TF.js on a GPU backend, else JS). */
  distances = $state<SegmentDistanceEngine>('auto');
  job: JobState<SegmentResult>;
  build: JobState<BuildResult>;
  exporting = $state(false);

  constructor(app: AppState) {
    this.#app = app;
    this.client = new SegmentsClient(app);
    this.job = new JobState((jobId) => this.client.cancel(jobId));
    this.build = new JobState((jobId) => app.client.cancel(jobId));
  }

  get tables(): TableInfo[] {
    return customerTables(this.#app.tables);
  }

  get orderTables(): TableInfo[] {
    return orderTables(this.#app.tables);
  }

  get table(): TableInfo | undefined {
    return this.#app.tables.find((t) => t.name === this.tableName);
  }

  get candidates(): string[] {
    const t = this.table;
    return t ? segmentCandidates(t) : [];
  }

  /** Keeps the choice valid when tables come and go (call from an effect). */
  sync(): void {
    if (!this.table || !this.tables.includes(this.table)) {
      const best = preferredCustomerTable(this.#app.tables);
      this.choose(best?.name ?? '');
    }
  }

  choose(name: string): void {
    if (name === this.tableName) return;
    this.tableName = name;
    const t = this.table;
    this.features = t ? defaultFeatures(t) : [];
    this.k = null;
  }

  toggle(feature: string, on: boolean): void {
    this.features = on
      ? this.candidates.filter((c) => c === feature || this.features.includes(c))
      : this.features.filter((f) => f !== feature);
  }

  /** Builds the customer table from an orders table, then selects it. */
  async buildCustomers(orderTable: string): Promise<void> {
    const result = await this.build.run((jobId, onProgress) =>
      this.#app.client.buildCustomers({ table: orderTable }, onProgress, jobId),
    );
    if (!result) return;
    await this.#app.refreshTables();
    this.choose(result.table.name);
  }

  /** Runs k-means over the k range (with `k` when given: the chosen k). */
  async run(k: number | null = this.k): Promise<void> {
    this.k = k;
    const table = this.tableName;
    if (!table) return;
    const lo = Math.max(2, Math.min(this.kMin, this.kMax));
    const hi = Math.max(lo, this.kMin, this.kMax);
    await this.job.run((jobId, onProgress) =>
      this.client.segment(
        {
          table,
          features: [...this.features],
          kRange: [lo, hi],
          ...(k !== null ? { k } : {}),
          scale: this.scale,
          restarts: this.restarts,
          seed: this.seed,
          distances: this.distances,
        },
        onProgress,
        jobId,
      ),
    );
  }

  /** customer → segment (+ action) of the last result, as CSV text. */
  async csv(): Promise<string> {
    const result = this.job.result;
    if (!result) return '';
    const q = await this.#app.client.query(
      `SELECT * FROM ${quoteIdent(result.table.name)} ORDER BY segment, ${quoteIdent(result.customerColumn)}`,
      1_000_000,
    );
    const decoded = decodeIpc(q.ipc);
    // A local lookup for the export, never rendered.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const actions = new Map(result.profiles.map((p) => [p.segment, p.action]));
    const names = decoded.columns.map((c) => c.name);
    const seg = names.indexOf('segment');
    const rows = Array.from({ length: decoded.rowCount }, (_, r) => {
      const cells = names.map((_n, c) => decoded.cell(r, c));
      return [...cells, actions.get(Number(cells[seg])) ?? ''];
    });
    return toCsv([...names, 'action'], rows);
  }
}
