/**
 * The Recommendations view's state: the input table and its columns (from roles), the model
 * settings, the job, the rules filter, the "also bought" lookup and the CSV exports.
 */
import type { ColumnRole, TableInfo } from '../contracts/data-api';
import type { RecommendResult, RecommendSimilarity, RuleRow } from '../contracts/recommend-api';
import type { RecommendClient } from '../clients/recommend-client';
import { downloadText, safeFileName } from '../download';
import { JobState } from './job.svelte';

const roleOf = (table: TableInfo, ...roles: ColumnRole[]): string =>
  roles.map((r) => table.columns.find((c) => c.role === r)?.name).find((n) => n !== undefined) ?? '';

/** How well a table suits recommendations: product plus order / customer roles, loaded tables first. */
export function recommendScore(table: TableInfo): number {
  const has = (role: ColumnRole) => table.columns.some((c) => c.role === role);
  if (!has('product_id') && !has('product_name')) return 0;
  if (!has('order_id') && !has('customer_id')) return 0;
  return (
    1 + (has('product_id') ? 2 : 0) + (has('order_id') ? 2 : 0) + (has('customer_id') ? 1 : 0) + (table.derived ? 0 : 4)
  );
}

/** The best candidate table (or the first table). */
export function pickRecommendTable(tables: readonly TableInfo[]): TableInfo | undefined {
  let best: TableInfo | undefined;
  for (const t of tables) if (recommendScore(t) > (best ? recommendScore(best) : 0)) best = t;
  return best ?? tables[0];
}

/** Rules whose items contain `text` (case-insensitive, ids or names) with lift ≥ minLift. */
export function filterRules(
  rules: readonly RuleRow[],
  text: string,
  minLift: number,
  names: Record<string, string> = {},
): RuleRow[] {
  const needle = text.trim().toLowerCase();
  return rules.filter(
    (r) =>
      r.lift >= minLift &&
      (!needle ||
        [...r.antecedent, ...r.consequent].some(
          (i) => i.toLowerCase().includes(needle) || (names[i] ?? '').toLowerCase().includes(needle),
        )),
  );
}

export interface RecommendStateHost {
  tables: TableInfo[];
}

export class RecommendState {
  readonly #client: RecommendClient;
  readonly #host: RecommendStateHost;
  table = $state('');
  customer = $state('');
  product = $state('');
  basket = $state('');
  timestamp = $state('');
  similarity = $state<RecommendSimilarity>('cosine');
  /** Item-item alone, or blended with recent best sellers (tuned in the evaluation). */
  recommender = $state<'itemitem' | 'blend'>('itemitem');
  k = $state(5);
  minSupport = $state(0.01);
  minConfidence = $state(0.3);
  job: JobState<RecommendResult>;
  ruleText = $state('');
  minLift = $state(1);
  lookup = $state('');
  exportError = $state<unknown>(null);

  constructor(host: RecommendStateHost, client: RecommendClient) {
    this.#host = host;
    this.#client = client;
    this.job = new JobState((jobId) => client.cancel(jobId));
    const best = pickRecommendTable(host.tables);
    if (best) this.setTable(best.name);
  }

  get info(): TableInfo | undefined {
    return this.#host.tables.find((t) => t.name === this.table);
  }

  /** Picks a table and fills the columns from its roles. */
  setTable(name: string): void {
    this.table = name;
    const t = this.info;
    if (!t) return;
    this.customer = roleOf(t, 'customer_id');
    this.product = roleOf(t, 'product_id', 'product_name');
    this.basket = roleOf(t, 'order_id');
    this.timestamp = roleOf(t, 'timestamp');
  }

  /** Keeps a valid table selected when tables come and go. */
  sync(): void {
    if (!this.info) {
      const best = pickRecommendTable(this.#host.tables);
      if (best) this.setTable(best.name);
    }
  }

  get canRun(): boolean {
    return !!this.info && !!this.product && !!(this.customer || this.basket) && !this.job.running;
  }

  get rules(): RuleRow[] {
    const r = this.job.result;
    return r ? filterRules(r.rules, this.ruleText, this.minLift, r.names) : [];
  }

  name(id: string): string {
    const n = this.job.result?.names[id];
    return n && n !== id ? `${n} (${id})` : id;
  }

  async run(): Promise<void> {
    const result = await this.job.run((jobId, onProgress) =>
      this.#client.recommend(
        jobId,
        {
          table: this.table,
          ...(this.customer ? { customer: this.customer } : {}),
          product: this.product,
          ...(this.basket ? { basket: this.basket } : {}),
          ...(this.timestamp ? { timestamp: this.timestamp } : {}),
          similarity: this.similarity,
          recommender: this.recommender,
          k: Number(this.k),
          minSupport: Number(this.minSupport),
          minConfidence: Number(this.minConfidence),
        },
        onProgress,
      ),
    );
    if (result && !this.lookup) this.lookup = result.neighbours?.product ?? '';
  }

  async exportCsv(which: 'rules' | 'recommendations'): Promise<void> {
    const r = this.job.result;
    if (!r) return;
    const table = which === 'rules' ? r.rulesTable : r.recommendationsTable;
    this.exportError = null;
    try {
      downloadText(safeFileName(table, 'csv'), await this.#client.tableCsv(table), 'text/csv');
    } catch (error) {
      this.exportError = error;
    }
  }
}
