/**
 * Pure ECharts option builders for Classify: ROC and precision–recall curves (with the chance
 * line / positive rate as reference), the calibration plot, cumulative gain, and permutation
 * importance bars. Text comes in translated; these functions only shape data.
 */
import type { ChartOption } from './echarts';

const ACCENT = '#2f6fdf';
const SECOND = '#e07b39';
const GREY = '#8a94a6';

const pct = (v: number) => `${Math.round(v * 100)} %`;

function xy(xs: readonly number[], ys: readonly number[]): [number, number][] {
  return xs.map((x, i) => [x, ys[i]!]);
}

function unitAxes(xName: string, yName: string) {
  return {
    grid: { left: 8, right: 16, top: 28, bottom: 40, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 1, name: xName, nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'value', min: 0, max: 1, name: yName, nameLocation: 'middle', nameGap: 36 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => (typeof v === 'number' ? v.toFixed(3) : String(v)) },
  };
}

/** ROC curve with the diagonal of a model that guesses. */
export function rocOption(
  roc: { fpr: readonly number[]; tpr: readonly number[] },
  labels: { fpr: string; tpr: string; model: string; chance: string },
): ChartOption {
  return {
    ...unitAxes(labels.fpr, labels.tpr),
    legend: { top: 0, data: [labels.model, labels.chance] },
    series: [
      {
        type: 'line',
        name: labels.model,
        data: xy(roc.fpr, roc.tpr),
        showSymbol: false,
        lineStyle: { color: ACCENT },
        itemStyle: { color: ACCENT },
      },
      {
        type: 'line',
        name: labels.chance,
        data: [
          [0, 0],
          [1, 1],
        ],
        showSymbol: false,
        lineStyle: { color: GREY, type: 'dashed' },
        itemStyle: { color: GREY },
      },
    ],
  };
}

/** Precision–recall curve with the positive rate (what guessing achieves). */
export function prOption(
  pr: { recall: readonly number[]; precision: readonly number[] },
  positiveRate: number,
  labels: { recall: string; precision: string; model: string; chance: string },
): ChartOption {
  return {
    ...unitAxes(labels.recall, labels.precision),
    legend: { top: 0, data: [labels.model, labels.chance] },
    series: [
      {
        type: 'line',
        name: labels.model,
        data: xy(pr.recall, pr.precision),
        showSymbol: false,
        step: 'end',
        lineStyle: { color: ACCENT },
        itemStyle: { color: ACCENT },
      },
      {
        type: 'line',
        name: labels.chance,
        data: [
          [0, positiveRate],
          [1, positiveRate],
        ],
        showSymbol: false,
        lineStyle: { color: GREY, type: 'dashed' },
        itemStyle: { color: GREY },
      },
    ],
  };
}

/** Observed positive rate against the mean predicted probability per bin; the diagonal is perfect calibration. */
export function calibrationOption(
  cal: { predicted: readonly number[]; observed: readonly number[]; counts: readonly number[] },
  labels: { predicted: string; observed: string; model: string; perfect: string },
): ChartOption {
  return {
    ...unitAxes(labels.predicted, labels.observed),
    legend: { top: 0, data: [labels.model, labels.perfect] },
    series: [
      {
        type: 'line',
        name: labels.model,
        data: xy(cal.predicted, cal.observed),
        symbolSize: 7,
        lineStyle: { color: SECOND },
        itemStyle: { color: SECOND },
      },
      {
        type: 'line',
        name: labels.perfect,
        data: [
          [0, 0],
          [1, 1],
        ],
        showSymbol: false,
        lineStyle: { color: GREY, type: 'dashed' },
        itemStyle: { color: GREY },
      },
    ],
  };
}

/** Cumulative gain: share of all positives among the top x % of rows by score. */
export function gainOption(
  gain: readonly { fraction: number; gain: number }[],
  labels: { rows: string; positives: string; model: string; chance: string },
): ChartOption {
  return {
    ...unitAxes(labels.rows, labels.positives),
    xAxis: {
      type: 'value',
      min: 0,
      max: 1,
      name: labels.rows,
      nameLocation: 'middle',
      nameGap: 26,
      axisLabel: { formatter: pct },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: 1,
      name: labels.positives,
      nameLocation: 'middle',
      nameGap: 40,
      axisLabel: { formatter: pct },
    },
    legend: { top: 0, data: [labels.model, labels.chance] },
    series: [
      {
        type: 'line',
        name: labels.model,
        data: [[0, 0], ...gain.map((g) => [g.fraction, g.gain])],
        symbolSize: 6,
        lineStyle: { color: ACCENT },
        itemStyle: { color: ACCENT },
      },
      {
        type: 'line',
        name: labels.chance,
        data: [
          [0, 0],
          [1, 1],
        ],
        showSymbol: false,
        lineStyle: { color: GREY, type: 'dashed' },
        itemStyle: { color: GREY },
      },
    ],
  };
}

/** Horizontal bars of the ROC-AUC lost per shuffled feature (largest on top), at most `max` bars. */
export function importanceOption(
  rows: readonly { feature: string; permutation: number; permutationStd: number }[],
  labels: { importance: string },
  max = 15,
): ChartOption {
  const top = rows.slice(0, max).reverse();
  return {
    grid: { left: 8, right: 48, top: 8, bottom: 36, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', name: labels.importance, nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'category', data: top.map((r) => r.feature), axisLabel: { width: 140, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        name: labels.importance,
        data: top.map((r) => Number(r.permutation.toFixed(4))),
        itemStyle: { color: ACCENT },
        label: { show: true, position: 'right', formatter: (p: { value: number }) => p.value.toFixed(3) },
      },
    ],
  };
}
