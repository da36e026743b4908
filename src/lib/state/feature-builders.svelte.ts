/**
 * The "Build features" tab's state for one orders table: the four builders' forms and jobs,
 * and the small summaries drawn after a build (customers per segment, the series lines, the
 * table's date range for the cutoff the forms suggest).
 */
import type { ProgressCallback, QueryResult, TableInfo } from '../contracts/data-api';
import type {
  BuildCustomersRequest,
  BuildLabelsRequest,
  BuildProductsRequest,
  BuildResult,
  BuildSeriesRequest,
  LabelKind,
  SeriesFrequency,
  SeriesMeasure,
} from '../contracts/prepare-api';
import { decodeIpc, type Cell } from '../data/arrow';
import { addDays, dateRangeSql, segmentCountsSql, seriesPointsSql } from '../sql/prepare-summaries';
import { JobState } from './job.svelte';

/** What the builders need from the app. */
export interface BuilderHost {
  client: {
    buildCustomers(r: BuildCustomersRequest, p?: ProgressCallback, jobId?: string): Promise<BuildResult>;
    buildProducts(r: BuildProductsRequest, p?: ProgressCallback, jobId?: string): Promise<BuildResult>;
    buildSeries(r: BuildSeriesRequest, p?: ProgressCallback, jobId?: string): Promise<BuildResult>;
    buildLabels(r: BuildLabelsRequest, p?: ProgressCallback, jobId?: string): Promise<BuildResult>;
    query(sql: string, limit: number): Promise<QueryResult>;
    cancel(jobId: string): Promise<boolean>;
  };
  refreshTables(): Promise<void>;
}

export interface SegmentRow {
  segment: string;
  customers: number;
  revenue: number;
}

export interface SeriesPoint {
  period: string;
  series: string | null;
  value: number;
}

/** Most series points drawn (a daily series per product can be large). */
const MAX_POINTS = 20_000;

export class FeatureBuilders {
  readonly #host: BuilderHost;
  table = $state.raw<TableInfo>(null as unknown as TableInfo);
  range = $state<{ first: string; last: string } | null>(null);
  customers: JobState<BuildResult>;
  products: JobState<BuildResult>;
  series: JobState<BuildResult>;
  labels: JobState<BuildResult>;
  segments = $state.raw<SegmentRow[] | null>(null);
  seriesPoints = $state.raw<SeriesPoint[] | null>(null);

  customersCutoff = $state('');
  customersInto = $state('');
  productsInto = $state('');
  seriesFreq = $state<SeriesFrequency>('week');
  seriesMeasure = $state<SeriesMeasure>('revenue');
  seriesBy = $state('');
  seriesTopN = $state(5);
  seriesInto = $state('');
  labelsCutoff = $state('');
  labelsHorizon = $state(90);
  labelsKind = $state<LabelKind>('buys_again');
  labelsThreshold = $state('');
  labelsInto = $state('');

  constructor(host: BuilderHost, table: TableInfo) {
    this.#host = host;
    this.table = table;
    const cancel = (jobId: string) => host.client.cancel(jobId);
    this.customers = new JobState(cancel);
    this.products = new JobState(cancel);
    this.series = new JobState(cancel);
    this.labels = new JobState(cancel);
    this.customersInto = `${table.name}_customers`;
    this.productsInto = `${table.name}_products`;
    this.seriesInto = `${table.name}_series`;
    this.labelsInto = `${table.name}_labels`;
    if (table.columns.some((c) => c.role === 'category')) this.seriesBy = 'category';
  }

  sync(table: TableInfo): void {
    if (table !== this.table) this.table = table;
  }

  /** The column with a role, if any. */
  column(role: string): string | undefined {
    return this.table.columns.find((c) => c.role === role)?.name;
  }

  /** Reads the date range once, and suggests a label cutoff that leaves a full horizon of data after it. */
  async loadRange(): Promise<void> {
    const ts = this.column('timestamp');
    if (!ts || this.range) return;
    try {
      const [row] = await this.#rows(dateRangeSql(this.table.name, ts), 1);
      if (typeof row?.first === 'string' && typeof row.last === 'string') {
        this.range = { first: row.first, last: row.last };
        if (!this.labelsCutoff) this.labelsCutoff = addDays(row.last, -this.labelsHorizon);
      }
    } catch {
      // No range means no suggestion; the forms still work.
    }
  }

  async buildCustomers(): Promise<void> {
    const result = await this.customers.run((jobId, onProgress) =>
      this.#host.client.buildCustomers(
        { table: this.table.name, into: this.customersInto.trim(), ...optionalCutoff(this.customersCutoff) },
        onProgress,
        jobId,
      ),
    );
    if (!result) return;
    await this.#host.refreshTables();
    const rows = await this.#rows(segmentCountsSql(result.table.name), 100);
    this.segments = rows.map((r) => ({
      segment: String(r.segment),
      customers: num(r.customers),
      revenue: num(r.revenue),
    }));
  }

  async buildProducts(): Promise<void> {
    const result = await this.products.run((jobId, onProgress) =>
      this.#host.client.buildProducts({ table: this.table.name, into: this.productsInto.trim() }, onProgress, jobId),
    );
    if (result) await this.#host.refreshTables();
  }

  async buildSeries(): Promise<void> {
    const by = this.seriesBy || undefined;
    const result = await this.series.run((jobId, onProgress) =>
      this.#host.client.buildSeries(
        {
          table: this.table.name,
          into: this.seriesInto.trim(),
          freq: this.seriesFreq,
          measure: this.seriesMeasure,
          ...(by ? { by, topN: this.seriesTopN } : {}),
        },
        onProgress,
        jobId,
      ),
    );
    if (!result) return;
    await this.#host.refreshTables();
    const rows = await this.#rows(seriesPointsSql(result.table.name, by !== undefined), MAX_POINTS);
    this.seriesPoints = rows.map((r) => ({
      period: String(r.period),
      series: r.series === null ? null : String(r.series),
      value: num(r.value),
    }));
  }

  async buildLabels(): Promise<void> {
    const threshold = this.labelsThreshold.trim() === '' ? undefined : Number(this.labelsThreshold);
    const result = await this.labels.run((jobId, onProgress) =>
      this.#host.client.buildLabels(
        {
          table: this.table.name,
          into: this.labelsInto.trim(),
          cutoff: this.labelsCutoff,
          horizonDays: this.labelsHorizon,
          kind: this.labelsKind,
          ...(threshold === undefined ? {} : { threshold }),
        },
        onProgress,
        jobId,
      ),
    );
    if (result) await this.#host.refreshTables();
  }

  async #rows(sql: string, limit: number): Promise<Record<string, Cell>[]> {
    const result = await this.#host.client.query(sql, limit);
    const decoded = decodeIpc(result.ipc);
    const out: Record<string, Cell>[] = [];
    for (let r = 0; r < decoded.rowCount; r++) {
      const row: Record<string, Cell> = {};
      decoded.columns.forEach((c, i) => (row[c.name] = decoded.cell(r, i)));
      out.push(row);
    }
    return out;
  }
}

function optionalCutoff(cutoff: string): { cutoff?: string } {
  return cutoff.trim() ? { cutoff: cutoff.trim() } : {};
}

function num(value: Cell | undefined): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}
