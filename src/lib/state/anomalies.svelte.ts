/**
 * The Anomalies view's state: which table (orders, order lines or customers), the method and its
 * knobs, the scoring job, the review queue marks (false alarm / confirmed) and the CSV export.
 */
import type { TableInfo } from '../contracts/data-api';
import type { AnomalyMethod, AnomalyResult } from '../contracts/segments-api';
import { SegmentsClient } from '../clients/segments-client';
import { decodeIpc } from '../data/arrow';
import { quoteIdent } from '../sql/ident';
import { toCsv } from '../segments/csv';
import { JobState } from './job.svelte';
import type { AppState } from './app.svelte';

export type ReviewMark = 'false_alarm' | 'confirmed';

/** Tables that can be scored: anything with numbers that is not itself a segments/anomalies result. */
export function anomalyTables(tables: readonly TableInfo[]): TableInfo[] {
  return tables.filter((t) => t.derived?.kind !== 'anomalies' && t.derived?.kind !== 'segments');
}

/** Order lines first (they are aggregated per order), then customer tables, then the rest. */
export function preferredAnomalyTable(tables: readonly TableInfo[]): TableInfo | undefined {
  const has = (t: TableInfo, role: string) => t.columns.some((c) => c.role === role);
  const candidates = anomalyTables(tables);
  return (
    candidates.find((t) => !t.derived && has(t, 'order_id')) ??
    candidates.find((t) => has(t, 'order_id')) ??
    candidates.find((t) => has(t, 'customer_id')) ??
    candidates[0]
  );
}

export class AnomaliesState {
  readonly #app: AppState;
  readonly client: SegmentsClient;
  tableName = $state('');
  method = $state<AnomalyMethod>('both');
  /** Percent of rows the forest flags. */
  contaminationPercent = $state(1);
  threshold = $state(3.5);
  seed = $state(0);
  /** Features of the last result the user unticked for the next run. */
  excluded = $state<string[]>([]);
  job: JobState<AnomalyResult>;
  marks = $state<Record<string, ReviewMark>>({});

  constructor(app: AppState) {
    this.#app = app;
    this.client = new SegmentsClient(app);
    this.job = new JobState((jobId) => this.client.cancel(jobId));
  }

  get tables(): TableInfo[] {
    return anomalyTables(this.#app.tables);
  }

  get table(): TableInfo | undefined {
    return this.#app.tables.find((t) => t.name === this.tableName);
  }

  sync(): void {
    if (!this.table || !this.tables.includes(this.table))
      this.choose(preferredAnomalyTable(this.#app.tables)?.name ?? '');
  }

  choose(name: string): void {
    if (name === this.tableName) return;
    this.tableName = name;
    this.excluded = [];
  }

  /** The features of the last run on this table (toggles for the next run). */
  get lastFeatures(): string[] {
    const r = this.job.result;
    return r && r.source === this.tableName ? r.features : [];
  }

  toggle(feature: string, on: boolean): void {
    this.excluded = on ? this.excluded.filter((f) => f !== feature) : [...this.excluded, feature];
  }

  async run(): Promise<void> {
    const table = this.tableName;
    if (!table) return;
    const features = this.lastFeatures.filter((f) => !this.excluded.includes(f));
    const result = await this.job.run((jobId, onProgress) =>
      this.client.anomalies(
        {
          table,
          ...(features.length ? { features } : {}),
          method: this.method,
          contamination: Math.min(50, Math.max(0.01, this.contaminationPercent)) / 100,
          threshold: this.threshold,
          seed: this.seed,
        },
        onProgress,
        jobId,
      ),
    );
    if (result) this.marks = {};
  }

  mark(key: string, mark: ReviewMark | null): void {
    const next = { ...this.marks };
    if (mark === null || next[key] === mark) delete next[key];
    else next[key] = mark;
    this.marks = next;
  }

  get counts(): { confirmed: number; falseAlarms: number; open: number } {
    const r = this.job.result;
    const values = Object.values(this.marks);
    const confirmed = values.filter((m) => m === 'confirmed').length;
    const falseAlarms = values.filter((m) => m === 'false_alarm').length;
    return { confirmed, falseAlarms, open: Math.max(0, (r?.flaggedCount ?? 0) - confirmed - falseAlarms) };
  }

  /** The flagged rows (all of them, from the result table) with their review mark, as CSV. */
  async csv(): Promise<string> {
    const r = this.job.result;
    if (!r) return '';
    const q = await this.#app.client.query(
      `SELECT * FROM ${quoteIdent(r.table.name)} WHERE flagged = 1 ORDER BY anomaly_rank`,
      1_000_000,
    );
    const decoded = decodeIpc(q.ipc);
    const names = decoded.columns.map((c) => c.name);
    const key = names.indexOf(r.keyColumn);
    const rows = Array.from({ length: decoded.rowCount }, (_, i) => {
      const cells = names.map((_n, c) => decoded.cell(i, c));
      return [...cells, this.marks[String(cells[key])] ?? ''];
    });
    return toCsv([...names, 'review'], rows);
  }
}
