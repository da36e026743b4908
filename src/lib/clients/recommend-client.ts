/**
 * Recommendations and review sentiment from the UI thread (and the embed API): calls the ML
 * worker's `recommend` / `sentiment`, refreshes the catalog for the result tables, cancels, and
 * exports result tables as CSV.
 */
import type { ProgressCallback, QueryResult } from '../contracts/data-api';
import type { RecommendRequest, RecommendResult, SentimentRequest, SentimentResult } from '../contracts/recommend-api';
import { type DecodedResult, decodeIpc } from '../data/arrow';
import { quoteIdent } from '../sql/ident';
import { type TrainClient, withProgress } from './train-client';

/** What the client needs from the app (AppState fits). */
export interface RecommendHost {
  mlReady(): Promise<TrainClient>;
  refreshTables(): Promise<void>;
  readonly ml: { cancel(jobId: string): Promise<boolean> };
  readonly client: { query(sql: string, limit: number): Promise<QueryResult> };
}

/** Rows exported at most (a recommendations table of 100,000 customers × 10 fits). */
export const CSV_ROW_LIMIT = 2_000_000;

/** RFC 4180 CSV of a decoded result (fields with comma, quote or line break are quoted). */
export function toCsv(result: DecodedResult): string {
  const quote = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [result.columns.map((c) => quote(c.name)).join(',')];
  for (let r = 0; r < result.rowCount; r++) {
    const cells: string[] = [];
    for (let c = 0; c < result.columns.length; c++) cells.push(quote(result.cell(r, c)));
    lines.push(cells.join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export class RecommendClient {
  readonly #host: RecommendHost;

  constructor(host: RecommendHost) {
    this.#host = host;
  }

  async recommend(jobId: string, request: RecommendRequest, onProgress?: ProgressCallback): Promise<RecommendResult> {
    const ml = await this.#host.mlReady();
    const result = await ml.call((api) => api.recommend(jobId, request, withProgress(onProgress)));
    await this.#host.refreshTables();
    return result;
  }

  async sentiment(jobId: string, request: SentimentRequest, onProgress?: ProgressCallback): Promise<SentimentResult> {
    const ml = await this.#host.mlReady();
    const result = await ml.call((api) => api.sentiment(jobId, request, withProgress(onProgress)));
    await this.#host.refreshTables();
    return result;
  }

  cancel(jobId: string): Promise<boolean> {
    return this.#host.ml.cancel(jobId);
  }

  /** A whole table as CSV text. */
  async tableCsv(table: string): Promise<string> {
    const result = await this.#host.client.query(`SELECT * FROM ${quoteIdent(table)}`, CSV_ROW_LIMIT);
    return toCsv(decodeIpc(result.ipc));
  }
}
