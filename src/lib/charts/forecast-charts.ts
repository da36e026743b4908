/**
 * Pure ECharts option builders for the Forecast view: history + forecast + interval band (with
 * anomalies and optional backtest overlays), residuals, decomposition and the training curve.
 * Text comes in translated; these functions only shape data.
 */
import type { ForecastSeries } from '../contracts/forecast-api';
import type { ChartOption } from './echarts';

const HISTORY = '#5f7d95';
const FORECAST = '#2f6fdf';
const BAND = 'rgba(47, 111, 223, 0.28)';
const ANOMALY = '#d64545';
const OVERLAY = '#e07b39';

const finite = (v: number | null | undefined): number | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : v;

function compact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}

/** Labels of the main chart. */
export interface ForecastChartLabels {
  history: string;
  forecast: string;
  interval: string;
  anomalies: string;
  backtest: string;
}

/** Share of the x axis shown at first: the last max(120, 4·H) periods (zoom out with the slider). */
export function initialZoomStart(total: number, horizon: number): number {
  const shown = Math.max(120, 4 * horizon);
  return total <= shown ? 0 : Math.round((1 - shown / total) * 1000) / 10;
}

/**
 * History line, the chosen model's forecast with its band (a stacked pair: lower, then
 * upper − lower filled), anomalies as red points, and optionally that model's backtest forecasts.
 */
export function forecastOption(
  s: ForecastSeries,
  model: string,
  labels: ForecastChartLabels,
  options: { backtests: boolean },
): ChartOption {
  const n = s.periods.length;
  const x = [...s.periods, ...s.future];
  const path = s.forecasts[model];
  const pad = (values: readonly number[]) => [...new Array<null>(n).fill(null), ...values.map(finite)];
  const series: Record<string, unknown>[] = [
    {
      type: 'line',
      name: labels.history,
      data: [...s.values.map(finite), ...new Array<null>(s.future.length).fill(null)],
      showSymbol: false,
      lineStyle: { width: 1.2, color: HISTORY },
      itemStyle: { color: HISTORY },
    },
  ];
  if (path) {
    series.push(
      {
        type: 'line',
        name: labels.interval,
        stack: 'band',
        data: pad(path.lower),
        showSymbol: false,
        lineStyle: { opacity: 0 },
        itemStyle: { color: BAND },
        tooltip: { show: false },
      },
      {
        type: 'line',
        name: labels.interval,
        stack: 'band',
        data: pad(path.upper.map((u, i) => u - path.lower[i]!)),
        showSymbol: false,
        lineStyle: { opacity: 0 },
        areaStyle: { color: BAND },
        itemStyle: { color: BAND },
        tooltip: { show: false },
      },
      {
        type: 'line',
        name: labels.forecast,
        data: pad(path.median),
        showSymbol: false,
        lineStyle: { width: 2, color: FORECAST },
        itemStyle: { color: FORECAST },
      },
    );
  }
  if (options.backtests) {
    for (const o of s.backtests[model] ?? []) {
      const data = new Array<number | null>(x.length).fill(null);
      o.mean.forEach((v, i) => (data[o.origin + i] = finite(v)));
      series.push({
        type: 'line',
        name: labels.backtest,
        data,
        showSymbol: false,
        lineStyle: { width: 1.5, type: 'dashed', color: OVERLAY },
        itemStyle: { color: OVERLAY },
      });
    }
  }
  if (s.anomalies.length > 0) {
    series.push({
      type: 'scatter',
      name: labels.anomalies,
      data: s.anomalies.map((a) => [a.index, a.value]),
      symbolSize: 7,
      itemStyle: { color: ANOMALY },
    });
  }
  return {
    grid: { left: 8, right: 16, top: 36, bottom: 56, containLabel: true },
    legend: {
      top: 0,
      data: [labels.history, labels.forecast, labels.interval, labels.anomalies, labels.backtest],
    },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? compact(v) : '—') },
    xAxis: { type: 'category', data: x, boundaryGap: false },
    yAxis: { type: 'value', scale: true, axisLabel: { formatter: compact } },
    dataZoom: [
      { type: 'inside', start: initialZoomStart(x.length, s.future.length), end: 100 },
      { type: 'slider', height: 18, bottom: 8, start: initialZoomStart(x.length, s.future.length), end: 100 },
    ],
    series,
  };
}

/** Residuals (actual − one-step fit) of the recommended model, as bars. */
export function residualsOption(s: ForecastSeries, name: string): ChartOption {
  return {
    grid: { left: 8, right: 16, top: 16, bottom: 28, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? compact(v) : '—') },
    xAxis: { type: 'category', data: s.periods },
    yAxis: { type: 'value', axisLabel: { formatter: compact } },
    series: [{ type: 'bar', name, data: s.residuals.map(finite), itemStyle: { color: HISTORY }, barMaxWidth: 6 }],
  };
}

/** Trend and seasonal components, each seasonal named by its period. */
export function decompositionOption(
  s: ForecastSeries,
  labels: { trend: string; seasonal: (period: number) => string },
): ChartOption {
  const colors = ['#2a9d8f', '#c44e97', '#d4a017'];
  return {
    grid: { left: 8, right: 16, top: 36, bottom: 28, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? compact(v) : '—') },
    xAxis: { type: 'category', data: s.periods },
    yAxis: { type: 'value', scale: true, axisLabel: { formatter: compact } },
    series: [
      {
        type: 'line',
        name: labels.trend,
        data: s.decomposition.trend.map(finite),
        showSymbol: false,
        lineStyle: { color: FORECAST, width: 2 },
        itemStyle: { color: FORECAST },
      },
      ...s.decomposition.seasonal.map((c, k) => ({
        type: 'line',
        name: labels.seasonal(s.decomposition.periods[k]!),
        data: c.map(finite),
        showSymbol: false,
        lineStyle: { width: 1, color: colors[k % colors.length] },
        itemStyle: { color: colors[k % colors.length] },
      })),
    ],
  };
}

/** Training and validation loss per epoch. */
export function trainingOption(
  curve: readonly { epoch: number; loss: number; valLoss: number | null }[],
  labels: { loss: string; valLoss: string; epoch: string },
): ChartOption {
  return {
    grid: { left: 8, right: 16, top: 30, bottom: 30, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'category',
      data: curve.map((c) => c.epoch),
      name: labels.epoch,
      nameLocation: 'middle',
      nameGap: 22,
    },
    yAxis: { type: 'value', scale: true },
    series: [
      { type: 'line', name: labels.loss, data: curve.map((c) => c.loss), itemStyle: { color: FORECAST } },
      { type: 'line', name: labels.valLoss, data: curve.map((c) => c.valLoss), itemStyle: { color: OVERLAY } },
    ],
  };
}
