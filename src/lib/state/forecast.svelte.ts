/**
 * The Forecast view's state: which table and columns, the calendar, the models and the
 * backtest, the running job (progress, live training curve, Cancel), the result and what the
 * user looks at in it (series, model on the chart, overlays), the inventory helper and the CSV.
 */
import type { TableInfo } from '../contracts/data-api';
import type {
  ForecastCovariate,
  ForecastFrequency,
  ForecastModelId,
  ForecastProgressEvent,
  ForecastRequest,
  ForecastResult,
  ForecastSeries,
} from '../contracts/forecast-api';
import { FORECAST_BASELINES } from '../contracts/forecast-api';
import type { ForecastClient } from '../clients/forecast-client';
import { isNumericType } from '../data/infer/kinds';
import { reorderPoint, type InventoryAdvice } from '../ml/forecast/inventory';
import { defaultAggregate } from '../ml/forecast/exogenous';
import { JobState } from './job.svelte';

/** Models offered as checkboxes, simplest first (baselines are always run). */
export const OPTIONAL_MODELS: readonly ForecastModelId[] = [
  'ses',
  'holt_winters',
  'ets',
  'ets_yearly',
  'arima',
  'lstm',
  'gru',
];
const NEURAL: readonly ForecastModelId[] = ['lstm', 'gru'];

const isDateColumn = (c: TableInfo['columns'][number]) =>
  c.kind === 'date' || c.kind === 'timestamp' || /^(DATE|TIMESTAMP)/i.test(c.type);
const isNumberColumn = (c: TableInfo['columns'][number]) => isNumericType(c.type);

/** The best table to start with: a built sales series, else orders with a timestamp and an amount, else anything dated. */
export function pickForecastTable(tables: readonly TableInfo[]): TableInfo | undefined {
  const dated = tables.filter((t) => t.columns.some(isDateColumn) && t.columns.some(isNumberColumn));
  return (
    dated.find((t) => t.derived?.kind === 'series') ??
    dated.find(
      (t) => t.columns.some((c) => c.role === 'timestamp') && t.columns.some((c) => c.role === 'line_amount'),
    ) ??
    dated.find((t) => t.columns.some((c) => c.role === 'timestamp')) ??
    dated.find((t) => t.derived?.kind !== 'forecast') ??
    dated[0]
  );
}

/** The columns to pre-select in a table: date, value (amount → value → quantity → first number), split. */
export function guessColumns(table: TableInfo): { date: string; value: string; multiplyBy: string; by: string } {
  const dates = table.columns.filter(isDateColumn);
  const numbers = table.columns.filter(isNumberColumn);
  const date = (dates.find((c) => c.role === 'timestamp') ?? dates.find((c) => c.name === 'period') ?? dates[0])?.name;
  const amount = numbers.find((c) => c.role === 'line_amount');
  const quantity = numbers.find((c) => c.role === 'quantity');
  const price = numbers.find((c) => c.role === 'unit_price');
  const named = numbers.find((c) => /^(value|sales|revenue|amount)$/i.test(c.name));
  const value = amount ?? named ?? quantity ?? numbers.find((c) => !c.role.endsWith('_id')) ?? numbers[0];
  const multiplyBy = !amount && !named && value === quantity && price ? price.name : '';
  const by = table.derived?.kind === 'series' ? (table.columns.find((c) => c.name === 'group')?.name ?? '') : '';
  return { date: date ?? '', value: value?.name ?? '', multiplyBy, by };
}

/** A covariate as the form edits it: `future` is the typed list of planned values. */
export interface CovariateChoice {
  column: string;
  aggregate: 'mean' | 'sum' | 'max';
  known: boolean;
  future: string;
}

/** Planned values typed as "1, 0, 0.2" → numbers (empty entries dropped; NaN kept so the service can say what is wrong). */
export function parsePlanned(text: string): number[] {
  return text
    .split(/[\s,;]+/)
    .filter((v) => v !== '')
    .map(Number);
}

/** The request's covariates from the form's choices. */
export function covariateRequest(choices: readonly CovariateChoice[]): ForecastCovariate[] {
  return choices.map((c) => ({
    column: c.column,
    aggregate: c.aggregate,
    ...(c.known ? { known: true, future: parsePlanned(c.future) } : {}),
  }));
}

/** Forecast rows as CSV: period, series, model, recommended, lower, p50, upper. */
export function forecastCsv(result: ForecastResult): string {
  const [lo, mid, hi] = result.quantileColumns;
  const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const num = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '' : String(v));
  const lines = [`period,series,model,recommended,${lo},${mid},${hi}`];
  for (const s of result.series) {
    for (const [model, path] of Object.entries(s.forecasts)) {
      s.future.forEach((period, k) => {
        lines.push(
          [
            period,
            quote(s.key ?? ''),
            model,
            model === s.recommended ? '1' : '0',
            num(path.lower[k]),
            num(path.median[k]),
            num(path.upper[k]),
          ].join(','),
        );
      });
    }
  }
  return lines.join('\n') + '\n';
}

export interface ForecastHost {
  tables: readonly TableInfo[];
  refreshTables(): Promise<void>;
}

export class ForecastState {
  readonly #client: ForecastClient;
  readonly #host: ForecastHost;
  tableName = $state('');
  date = $state('');
  value = $state('');
  multiplyBy = $state('');
  by = $state('');
  topN = $state(5);
  freq = $state<ForecastFrequency | 'auto'>('auto');
  horizon = $state(28);
  // ARIMA's order search takes minutes on a long daily series: offered, not ticked by default.
  models = $state<ForecastModelId[]>(['ses', 'holt_winters', 'ets']);
  epochs = $state(20);
  origins = $state(3);
  level = $state(0.8);
  /** Holidays as typed: ISO dates separated by commas, spaces or new lines. */
  holidays = $state('');
  /** LSTM / GRU inputs: calendar (with the holidays), the holiday window, covariates, one global model. */
  calendar = $state(false);
  holidayWindow = $state(0);
  covariates = $state<CovariateChoice[]>([]);
  global = $state(false);
  job: JobState<ForecastResult>;
  /** Loss per epoch of the neural fit that is training now. */
  liveCurve = $state.raw<{ epoch: number; loss: number; valLoss: number | null }[]>([]);
  liveModel = $state('');
  seriesIndex = $state(0);
  chartModel = $state('');
  showBacktests = $state(false);
  leadTime = $state(7);
  serviceLevel = $state(0.95);

  constructor(client: ForecastClient, host: ForecastHost) {
    this.#client = client;
    this.#host = host;
    this.job = new JobState((jobId) => client.cancel(jobId));
    const table = pickForecastTable(host.tables);
    if (table) this.chooseTable(table.name);
  }

  get table(): TableInfo | undefined {
    return this.#host.tables.find((t) => t.name === this.tableName);
  }

  get tables(): TableInfo[] {
    return this.#host.tables.filter((t) => t.columns.some(isDateColumn) && t.columns.some(isNumberColumn));
  }

  get dateColumns(): string[] {
    return (this.table?.columns ?? []).filter(isDateColumn).map((c) => c.name);
  }

  get valueColumns(): string[] {
    return (this.table?.columns ?? []).filter(isNumberColumn).map((c) => c.name);
  }

  get splitColumns(): string[] {
    return (this.table?.columns ?? [])
      .filter((c) => !isDateColumn(c) && (!isNumberColumn(c) || c.name === 'group'))
      .map((c) => c.name);
  }

  /** Picks a table up when the list changes (first load) and keeps the choice otherwise. */
  sync(): void {
    if (this.table) return;
    const table = pickForecastTable(this.#host.tables);
    if (table) this.chooseTable(table.name);
  }

  chooseTable(name: string): void {
    this.tableName = name;
    const table = this.table;
    if (!table) return;
    const guess = guessColumns(table);
    this.date = guess.date;
    this.value = guess.value;
    this.multiplyBy = guess.multiplyBy;
    this.by = guess.by;
    this.covariates = [];
  }

  /** Numeric columns that can be covariates (not the value being forecast, nor its factor). */
  get covariateColumns(): string[] {
    return (this.table?.columns ?? [])
      .filter(
        (c) => isNumberColumn(c) && c.name !== this.value && c.name !== this.multiplyBy && !c.role.endsWith('_id'),
      )
      .map((c) => c.name);
  }

  toggleCovariate(column: string, on: boolean): void {
    const role = this.table?.columns.find((c) => c.name === column)?.role;
    this.covariates = on
      ? [
          ...this.covariates.filter((c) => c.column !== column),
          { column, aggregate: defaultAggregate(column, role), known: false, future: '' },
        ]
      : this.covariates.filter((c) => c.column !== column);
  }

  updateCovariate(column: string, patch: Partial<Omit<CovariateChoice, 'column'>>): void {
    this.covariates = this.covariates.map((c) => (c.column === column ? { ...c, ...patch } : c));
  }

  toggleModel(id: ForecastModelId, on: boolean): void {
    this.models = on ? [...this.models.filter((m) => m !== id), id] : this.models.filter((m) => m !== id);
  }

  get neuralChosen(): boolean {
    return this.models.some((m) => NEURAL.includes(m));
  }

  get request(): ForecastRequest {
    return {
      table: this.tableName,
      date: this.date,
      value: this.value,
      ...(this.multiplyBy ? { multiplyBy: this.multiplyBy } : {}),
      ...(this.by ? { by: this.by, topN: this.topN } : {}),
      freq: this.freq,
      horizon: this.horizon,
      models: [...FORECAST_BASELINES, ...this.models],
      ...(this.neuralChosen ? { neural: { epochs: this.epochs } } : {}),
      backtest: { origins: this.origins, horizon: this.horizon },
      level: this.level,
      ...(this.holidayList.length ? { holidays: this.holidayList } : {}),
      ...(this.neuralChosen && this.calendar ? { calendar: true } : {}),
      ...(this.neuralChosen && this.calendar && this.holidayWindow > 0 ? { holidayWindow: this.holidayWindow } : {}),
      ...(this.neuralChosen && this.covariates.length ? { covariates: covariateRequest(this.covariates) } : {}),
      ...(this.neuralChosen && this.global && this.by ? { global: true } : {}),
    };
  }

  get holidayList(): string[] {
    return this.holidays.split(/[\s,;]+/).filter((d) => d !== '');
  }

  async run(): Promise<void> {
    this.liveCurve = [];
    this.liveModel = '';
    const result = await this.job.run((jobId, onProgress) =>
      this.#client.forecast(
        this.request,
        (event: ForecastProgressEvent) => {
          if (event.epoch) {
            const e = event.epoch;
            const key = e.series ? `${e.model} · ${e.series}` : e.model;
            const reset = e.epoch === 1 || key !== this.liveModel;
            this.liveModel = key;
            this.liveCurve = [...(reset ? [] : this.liveCurve), { epoch: e.epoch, loss: e.loss, valLoss: e.valLoss }];
          }
          onProgress(event);
        },
        jobId,
      ),
    );
    if (result) {
      this.seriesIndex = 0;
      this.chartModel = result.series[0]?.recommended ?? '';
      await this.#host.refreshTables();
    }
  }

  get result(): ForecastResult | null {
    return this.job.result;
  }

  get series(): ForecastSeries | undefined {
    return this.result?.series[Math.min(this.seriesIndex, (this.result?.series.length ?? 1) - 1)];
  }

  selectSeries(index: number): void {
    this.seriesIndex = index;
    this.chartModel = this.result?.series[index]?.recommended ?? this.chartModel;
  }

  /** Reorder point and safety stock from the chart model's forecast over the lead time. */
  get inventory(): { advice: InventoryAdvice } | { error: string } | null {
    const s = this.series;
    const path = s?.forecasts[this.chartModel] ?? (s?.recommended ? s.forecasts[s.recommended] : undefined);
    if (!s || !path || !this.result) return null;
    try {
      const advice = reorderPoint(
        {
          mean: Float64Array.from(path.mean),
          lower: Float64Array.from(path.lower),
          upper: Float64Array.from(path.upper),
          level: this.result.level,
          intervalMethod: path.intervalMethod,
        },
        { leadTime: this.leadTime, serviceLevel: this.serviceLevel },
      );
      return { advice };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }
}
