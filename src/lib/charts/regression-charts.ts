/**
 * Pure ECharts option builders for Classify's regression results: predicted against actual
 * (with the y = x line of a perfect model), residuals against predicted (with the zero line),
 * and R² lost per shuffled feature. Text comes in translated; at most `maxPoints` points are
 * drawn (evenly spaced rows), so a large test part stays responsive.
 */
import type { ChartOption } from './echarts';

const ACCENT = '#2f6fdf';
const SECOND = '#e07b39';
const GREY = '#8a94a6';

/** Indices of at most `max` evenly spaced rows (all rows when there are fewer). */
export function sampleRows(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, k) => Math.round((k * (n - 1)) / (max - 1)));
}

/** Rounds to 4 significant digits so the option stays small and tooltips readable. */
function round(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(4)) : v;
}

function axes(xName: string, yName: string) {
  return {
    grid: { left: 8, right: 16, top: 28, bottom: 40, containLabel: true },
    xAxis: { type: 'value', scale: true, name: xName, nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'value', scale: true, name: yName, nameLocation: 'middle', nameGap: 44 },
    tooltip: { trigger: 'item' },
  };
}

/** Scatter of predicted (y) against actual (x) with the diagonal a perfect model would sit on. */
export function predictedActualOption(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  labels: { actual: string; predicted: string; model: string; perfect: string },
  maxPoints = 2000,
): ChartOption {
  const rows = sampleRows(actual.length, maxPoints);
  let lo = Infinity;
  let hi = -Infinity;
  for (const i of rows) {
    lo = Math.min(lo, actual[i]!, predicted[i]!);
    hi = Math.max(hi, actual[i]!, predicted[i]!);
  }
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  return {
    ...axes(labels.actual, labels.predicted),
    legend: { top: 0, data: [labels.model, labels.perfect] },
    series: [
      {
        type: 'scatter',
        name: labels.model,
        data: rows.map((i) => [round(actual[i]!), round(predicted[i]!)]),
        symbolSize: 4,
        itemStyle: { color: ACCENT, opacity: 0.6 },
      },
      {
        type: 'line',
        name: labels.perfect,
        data: [
          [round(lo), round(lo)],
          [round(hi), round(hi)],
        ],
        showSymbol: false,
        lineStyle: { color: GREY, type: 'dashed' },
        itemStyle: { color: GREY },
      },
    ],
  };
}

/** Scatter of residuals (actual − predicted) against predicted, with the zero line. */
export function residualsOption(
  actual: ArrayLike<number>,
  predicted: ArrayLike<number>,
  labels: { predicted: string; residual: string; model: string; zero: string },
  maxPoints = 2000,
): ChartOption {
  const rows = sampleRows(actual.length, maxPoints);
  let lo = Infinity;
  let hi = -Infinity;
  for (const i of rows) {
    lo = Math.min(lo, predicted[i]!);
    hi = Math.max(hi, predicted[i]!);
  }
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  return {
    ...axes(labels.predicted, labels.residual),
    legend: { top: 0, data: [labels.model, labels.zero] },
    series: [
      {
        type: 'scatter',
        name: labels.model,
        data: rows.map((i) => [round(predicted[i]!), round(actual[i]! - predicted[i]!)]),
        symbolSize: 4,
        itemStyle: { color: SECOND, opacity: 0.6 },
      },
      {
        type: 'line',
        name: labels.zero,
        data: [
          [round(lo), 0],
          [round(hi), 0],
        ],
        showSymbol: false,
        lineStyle: { color: GREY, type: 'dashed' },
        itemStyle: { color: GREY },
      },
    ],
  };
}
