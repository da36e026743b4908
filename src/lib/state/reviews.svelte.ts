/**
 * The Reviews view's state: the table, the text and rating (or label) columns, the language,
 * the grouping column for complaint keywords, the training job and the CSV export.
 */
import type { ColumnRole, TableInfo } from '../contracts/data-api';
import type { SentimentModelChoice, SentimentResult } from '../contracts/recommend-api';
import type { RecommendClient } from '../clients/recommend-client';
import { downloadText, safeFileName } from '../download';
import { JobState } from './job.svelte';

const roleOf = (table: TableInfo, role: ColumnRole): string => table.columns.find((c) => c.role === role)?.name ?? '';

/** A likely review text column: role review_text, else a column named like one. */
export function guessTextColumn(table: TableInfo): string {
  return (
    roleOf(table, 'review_text') ||
    table.columns.find(
      (c) => /review|comment|text|content|评论|评价|内容/i.test(c.name) && /CHAR|TEXT|STRING/i.test(c.type),
    )?.name ||
    ''
  );
}

/** A likely label column (0/1): named label / sentiment / polarity. */
export function guessLabelColumn(table: TableInfo): string {
  return table.columns.find((c) => /^(label|sentiment|polarity|标签|情感)$/i.test(c.name))?.name ?? '';
}

/** The best table: has review text, then a rating or label; loaded before derived. */
export function pickReviewTable(tables: readonly TableInfo[]): TableInfo | undefined {
  const score = (t: TableInfo): number =>
    guessTextColumn(t) ? 1 + (roleOf(t, 'rating') || guessLabelColumn(t) ? 2 : 0) + (t.derived ? 0 : 4) : 0;
  let best: TableInfo | undefined;
  for (const t of tables) if (score(t) > (best ? score(best) : 0)) best = t;
  return best ?? tables[0];
}

export class ReviewsState {
  readonly #client: RecommendClient;
  readonly #host: { tables: TableInfo[] };
  table = $state('');
  text = $state('');
  /** 'rating': star ratings with thresholds; 'label': a 0/1 column. */
  source = $state<'rating' | 'label'>('rating');
  rating = $state('');
  label = $state('');
  positiveMin = $state(4);
  negativeMax = $state(2);
  language = $state<'auto' | 'en' | 'zh'>('auto');
  groupBy = $state('');
  /** TF-IDF + LR, the TF.js embedding network, or both compared. */
  model = $state<SentimentModelChoice>('tfidf');
  job: JobState<SentimentResult>;
  keywordGroup = $state('all');
  exportError = $state<unknown>(null);

  constructor(host: { tables: TableInfo[] }, client: RecommendClient) {
    this.#host = host;
    this.#client = client;
    this.job = new JobState((jobId) => client.cancel(jobId));
    const best = pickReviewTable(host.tables);
    if (best) this.setTable(best.name);
  }

  get info(): TableInfo | undefined {
    return this.#host.tables.find((t) => t.name === this.table);
  }

  setTable(name: string): void {
    this.table = name;
    const t = this.info;
    if (!t) return;
    this.text = guessTextColumn(t);
    this.rating = roleOf(t, 'rating');
    this.label = guessLabelColumn(t);
    this.source = !this.rating && this.label ? 'label' : 'rating';
    this.groupBy = roleOf(t, 'category') || roleOf(t, 'product_id');
  }

  sync(): void {
    if (!this.info) {
      const best = pickReviewTable(this.#host.tables);
      if (best) this.setTable(best.name);
    }
  }

  get canRun(): boolean {
    const target = this.source === 'rating' ? this.rating : this.label;
    return !!this.info && !!this.text && !!target && !this.job.running;
  }

  async run(): Promise<void> {
    const result = await this.job.run((jobId, onProgress) =>
      this.#client.sentiment(
        jobId,
        {
          table: this.table,
          text: this.text,
          ...(this.source === 'rating' ? { rating: this.rating } : { label: this.label }),
          positiveMin: Number(this.positiveMin),
          negativeMax: Number(this.negativeMax),
          language: this.language,
          ...(this.groupBy ? { groupBy: this.groupBy } : {}),
          model: this.model,
        },
        onProgress,
      ),
    );
    if (result) this.keywordGroup = result.keywords[0]?.group ?? 'all';
  }

  async exportCsv(): Promise<void> {
    const r = this.job.result;
    if (!r) return;
    this.exportError = null;
    try {
      downloadText(safeFileName(r.outputTable, 'csv'), await this.#client.tableCsv(r.outputTable), 'text/csv');
    } catch (error) {
      this.exportError = error;
    }
  }
}
